/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockstat.h - reading the lock statistics of a -DUMM_LOCK_STAT=ON build
 * (kernel/locking/lockstat.c): per lock site, acquisitions and
 * contentions (first try failed), most acquired first.
 */
#ifndef _UMM_LOCKSTAT_H
#define _UMM_LOCKSTAT_H

#include "compiler.h"

UMM_BEGIN_DECLS

struct umm_lock_stat {
	const char *file;	/* where the lock is taken */
	const char *func;
	int line;
	unsigned long acquisitions;
	unsigned long contentions;
};

/* Zero every site's counters. */
UMM_API void umm_lock_stat_reset(void);
/* Up to @max sites into @out, most acquired first; -EOPNOTSUPP unless built with UMM_LOCK_STAT. */
UMM_API int umm_lock_stat_read(struct umm_lock_stat *out, int max);

UMM_END_DECLS

#endif /* _UMM_LOCKSTAT_H */
