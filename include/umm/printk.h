/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk.h - umm's log: one line per message on standard error, written
 * with a single write(2) from a stack buffer, so that it can be used from
 * inside the allocator (no stdio, no malloc).
 */
#ifndef _UMM_PRINTK_H
#define _UMM_PRINTK_H

#include "compiler.h"
#include <stdarg.h>

UMM_BEGIN_DECLS

#define LOGLEVEL_EMERG	 0
#define LOGLEVEL_ERR	 3
#define LOGLEVEL_WARNING 4
#define LOGLEVEL_NOTICE	 5
#define LOGLEVEL_INFO	 6
#define LOGLEVEL_DEBUG	 7

UMM_API extern int console_loglevel;
UMM_API __printf(2, 3) int umm_printk(int level, const char *fmt, ...);
UMM_API int umm_vprintk(int level, const char *fmt, va_list ap);

#define pr_err(fmt, ...)	umm_printk(LOGLEVEL_ERR, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	umm_printk(LOGLEVEL_WARNING, fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	umm_printk(LOGLEVEL_NOTICE, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	umm_printk(LOGLEVEL_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	umm_printk(LOGLEVEL_DEBUG, fmt, ##__VA_ARGS__)

UMM_END_DECLS

#endif /* _UMM_PRINTK_H */
