// SPDX-License-Identifier: GPL-2.0
/*
 * time.c - conversions between jiffies, ms, us, ns and USER_HZ clock
 * ticks (kernel/time/time.c, Linux 6.18).
 *
 * Owns nothing but arithmetic.  The kernel picks each formula at compile
 * time from HZ; umm's HZ is a boot parameter, so the same choice is made
 * at run time, with the same results: into jiffies rounds up (a timeout
 * is never short), out of jiffies to ms rounds up and to us and ns down,
 * as the kernel's do for each HZ Kconfig offers (100, 250, 300, 1000).
 * Where the kernel multiplies by a precomputed reciprocal (HZ=300) umm
 * divides exactly; the kernel's reciprocals are exact over the range
 * they are used in.
 */
#include <umm/jiffies.h>

#define DIV_ROUND_UP_ULL(n, d)	(((n) + (d) - 1) / (d))

unsigned int jiffies_to_msecs(unsigned long j)
{
	if (HZ <= MSEC_PER_SEC && !(MSEC_PER_SEC % HZ))
		return (unsigned int)((MSEC_PER_SEC / HZ) * j);
	return (unsigned int)DIV_ROUND_UP_ULL((u64)j * MSEC_PER_SEC, HZ);
}

unsigned int jiffies_to_usecs(unsigned long j)
{
	if (HZ <= USEC_PER_SEC && !(USEC_PER_SEC % HZ))
		return (unsigned int)((USEC_PER_SEC / HZ) * j);
	return (unsigned int)((u64)j * USEC_PER_SEC / HZ);
}

u64 jiffies_to_nsecs(unsigned long j)
{
	return (u64)jiffies_to_usecs(j) * NSEC_PER_USEC;
}

unsigned long msecs_to_jiffies(unsigned int m)
{
	if ((int)m < 0)		/* negative: as good as forever */
		return MAX_JIFFY_OFFSET;
	if (HZ <= MSEC_PER_SEC && !(MSEC_PER_SEC % HZ))
		return (m + (MSEC_PER_SEC / HZ) - 1) / (MSEC_PER_SEC / HZ);
	if (m > jiffies_to_msecs(MAX_JIFFY_OFFSET))
		return MAX_JIFFY_OFFSET;
	return (unsigned long)DIV_ROUND_UP_ULL((u64)m * HZ, MSEC_PER_SEC);
}

unsigned long usecs_to_jiffies(unsigned int u)
{
	if ((int)u < 0)
		return MAX_JIFFY_OFFSET;
	if (HZ <= USEC_PER_SEC && !(USEC_PER_SEC % HZ))
		return (u + (USEC_PER_SEC / HZ) - 1) / (USEC_PER_SEC / HZ);
	return (unsigned long)DIV_ROUND_UP_ULL((u64)u * HZ, USEC_PER_SEC);
}

/* nsecs_to_jiffies64(): rounds down, as the kernel's */
unsigned long nsecs_to_jiffies(u64 n)
{
	if (!(NSEC_PER_SEC % HZ))
		return (unsigned long)(n / (NSEC_PER_SEC / HZ));
	/* the generic case, exact for HZ a multiple of 3 */
	return (unsigned long)(n * 9 / ((9ULL * NSEC_PER_SEC + HZ / 2) / HZ));
}

long jiffies_to_clock_t(unsigned long x)
{
	if (!(TICK_NSEC % (NSEC_PER_SEC / USER_HZ)))
		return HZ < USER_HZ ? (long)(x * (USER_HZ / HZ)) : (long)(x / (HZ / USER_HZ));
	return (long)((u64)x * TICK_NSEC / (NSEC_PER_SEC / USER_HZ));
}

unsigned long clock_t_to_jiffies(unsigned long x)
{
	if (!(HZ % USER_HZ)) {
		if (x >= ~0UL / (HZ / USER_HZ))
			return ~0UL;
		return x * (HZ / USER_HZ);
	}
	if (x >= ~0UL / HZ * USER_HZ)
		return ~0UL;
	return (unsigned long)((u64)x * HZ / USER_HZ);
}

u64 jiffies_64_to_clock_t(u64 x)
{
	if (!(TICK_NSEC % (NSEC_PER_SEC / USER_HZ))) {
		if (HZ < USER_HZ)
			return x * USER_HZ / HZ;
		return HZ > USER_HZ ? x / (HZ / USER_HZ) : x;
	}
	return x * TICK_NSEC / (NSEC_PER_SEC / USER_HZ);
}

u64 nsec_to_clock_t(u64 x)
{
	return x / (NSEC_PER_SEC / USER_HZ);
}
