// SPDX-License-Identifier: GPL-2.0
/*
 * printk.c - the log.
 *
 * Owns: console_loglevel.  Messages at or below it go to fd 2 as one
 * write(2); a message longer than the 1 KiB stack buffer is truncated.
 * vsnprintf with a caller buffer does not allocate in glibc for the
 * conversions umm uses (%d %u %l %x %s %p %c), which keeps this safe to
 * call from the malloc front end.
 */
#include <stdio.h>
#include <unistd.h>
#include <umm/printk.h>

int console_loglevel = LOGLEVEL_NOTICE;

int umm_vprintk(int level, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (level > console_loglevel)
		return 0;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (int off = 0; off < n;) {
		ssize_t w = write(2, buf + off, (size_t)(n - off));
		if (w <= 0)
			break;
		off += (int)w;
	}
	return n;
}

int umm_printk(int level, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = umm_vprintk(level, fmt, ap);
	va_end(ap);
	return n;
}
