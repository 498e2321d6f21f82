/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault-inject.h - the kernel's fault-injection framework
 * (include/linux/fault-inject.h, lib/fault-inject.c).
 */
#ifndef _UMM_FAULT_INJECT_H
#define _UMM_FAULT_INJECT_H

#include "compiler.h"

UMM_BEGIN_DECLS

struct fault_attr {
	unsigned long probability;	/* percent, 0..100 */
	unsigned long interval;		/* fail every interval-th eligible call */
	int times;			/* failures left; -1 unlimited (atomic) */
	int space;			/* bytes that pass before failing (atomic) */
	unsigned long verbose;		/* 0 silent, 1 one line per failure */
	unsigned long count;		/* eligible calls seen (atomic) */
	const char *name;
};

#define FAULT_ATTR_INITIALIZER(n) {			\
	.interval = 1, .times = 1, .verbose = 1, .name = (n) }

enum fault_flags {
	FAULT_NOWARN = 1 << 0,
};

UMM_API bool should_fail_ex(struct fault_attr *attr, long size, int flags);
UMM_API bool should_fail(struct fault_attr *attr, long size);
/* Parse "<interval>,<probability>,<space>,<times>" as the boot option does. */
UMM_API int setup_fault_attr(struct fault_attr *attr, const char *str);

UMM_END_DECLS

#endif /* _UMM_FAULT_INJECT_H */
