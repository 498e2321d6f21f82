/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svg.h - pictures of umm's state as SVG (fs/proc/svg.c).
 *
 *   umm_svg_buddy()  every zone's pageblocks as a fragmentation map: one
 *                    cell per pageblock, its ring coloured by the
 *                    pageblock's migratetype, its centre by the largest
 *                    free buddy block that covers part of it (the state
 *                    /proc/buddyinfo and /proc/pagetypeinfo print)
 *   umm_svg_maps()   an address space's VMAs to scale, huge gaps elided
 *                    and labelled, with flags, names and Rss (the state
 *                    /proc/PID/maps and smaps print)
 *   umm_svg_walk()   the page-table walk to one address, PGD -> P4D
 *                    (folded) -> PUD -> PMD -> PTE -> page frame
 *
 * Each returns what it drew (pageblocks, VMAs, present levels of the
 * walk, P4D included) or -errno: -EINVAL for a NULL argument, -ENOMEM,
 * the write's -errno when writing to @f failed (-ENOSPC, -EPIPE; -EIO
 * when the stream lost it), -ENODEV if umm cannot boot.  The
 * elements carry data-* attributes with the numbers they show, so that a
 * program can check a picture against /proc.
 */
#ifndef _UMM_SVG_H
#define _UMM_SVG_H

#include "compiler.h"
#include <stdio.h>

UMM_BEGIN_DECLS

struct mm_struct;

UMM_API int umm_svg_buddy(FILE *f);
UMM_API int umm_svg_maps(struct mm_struct *mm, FILE *f);
UMM_API int umm_svg_walk(struct mm_struct *mm, unsigned long addr, FILE *f);
/* @s as SVG text: markup characters as entities, control bytes and bad UTF-8 as \ooo. */
UMM_API void umm_svg_text(FILE *f, const char *s);

UMM_END_DECLS

#endif /* _UMM_SVG_H */
