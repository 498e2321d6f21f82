/* SPDX-License-Identifier: GPL-2.0 */
/*
 * malloc_stats.h - what malloc/malloc.c tells malloc/malloc_stats.c
 * (mallinfo(), mallinfo2(), malloc_stats(), malloc_info()): its size
 * classes, and the huge blocks it hands out above KMALLOC_MAX_SIZE (and
 * the vmalloc areas of aligned requests), which no umm counter tells
 * apart from the rest.  Both files are libumm-malloc.so's only.
 */
#ifndef _UMM_MALLOC_STATS_H
#define _UMM_MALLOC_STATS_H

#include <stdbool.h>

struct kmem_cache;
struct page;

/* The calls libumm-malloc.so exports (the rest is hidden). */
#define MALLOC_API __attribute__((visibility("default")))

#define MALLOC_NR_CLASSES 44

/* Class @i's cache and size; NULL past the last or before the front end's boot. */
struct kmem_cache *malloc_class(unsigned int i, unsigned int *size);

/*
 * A huge block of @pages made (+1) or freed (-1).  @run: its first page
 * when it is a page run (not vmalloc), whose bytes count as
 * unreclaimable slab memory: counted here, with the block.
 */
void malloc_stat_huge(long blocks, unsigned long pages, struct page *run);
/* The same for the vmalloc area that starts at @p, which the caller owns. */
void malloc_stat_vmalloc(const void *p, long blocks);

#endif /* _UMM_MALLOC_STATS_H */
