// SPDX-License-Identifier: GPL-2.0
/*
 * stress_sched.c - random scenarios on the simulated scheduler, with its
 * invariants checked after every step: boots with random CPU counts, HZ
 * and fair policy; tasks with random programs (nested loops and repeats,
 * forks with and without blocks, exec, exit, wait, sleep, msleep,
 * wait-irq, yield, mmap/touch/munmap, nice), random nice, policy,
 * affinity and slice changes, exits from the API, reaping, interrupts
 * and devices, and mutated program texts (which must be refused cleanly
 * or run).  Checked: umm_sched_check(), umm_task_check(), that CPU time
 * given out never exceeds the CPUs' time, and that the simulation does
 * not hang (the watchdog).  Prints its seed; `stress_sched SEED STEPS`
 * replays one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <umm.h>
#include "tests/test.h"

#define MS	1000000ULL
#define MAX_PIDS	64

static unsigned long long rng;

static unsigned long long rnd(unsigned long long n)
{
	return n ? test_splitmix64(&rng) % n : 0;
}

static const char *dur(char *buf, size_t size)
{
	static const char *const units[] = { "us", "ms" };

	snprintf(buf, size, "%llu%s", 1 + rnd(20), units[rnd(2)]);
	return buf;
}

/* A random program of about @budget steps, @depth blocks deep at most. */
static void gen(char *out, size_t size, int budget, int depth)
{
	char d[32];

	for (int i = 0; i < budget && strlen(out) + 80 < size; i++) {
		size_t len = strlen(out);
		unsigned long long k = rnd(depth > 0 ? 16 : 13);

		switch (k) {
		case 0: case 1: case 2:
			snprintf(out + len, size - len, "run %s; ", dur(d, sizeof(d)));
			break;
		case 3:
			snprintf(out + len, size - len, "sleep %s; ", dur(d, sizeof(d)));
			break;
		case 4:
			snprintf(out + len, size - len, "msleep %llu; ", 1 + rnd(5));
			break;
		case 5:
			snprintf(out + len, size - len, "wait-irq %llu; ", rnd(4));
			break;
		case 6:
			snprintf(out + len, size - len, "yield; ");
			break;
		case 7:
			snprintf(out + len, size - len, "mmap %lluK; touch; ", 4 + rnd(64));
			break;
		case 8:
			snprintf(out + len, size - len, "munmap; nice %lld; ", (long long)rnd(40) - 20);
			break;
		case 9:
			snprintf(out + len, size - len, "wait; ");
			break;
		case 10:
			snprintf(out + len, size - len, rnd(8) ? "fork; " : "exec /usr/bin/true x; ");
			break;
		case 11:
			snprintf(out + len, size - len, rnd(4) ? "run 1ms; " : "exit %llu; ", rnd(256));
			break;
		case 12:
			snprintf(out + len, size - len, "run 50us; ");
			break;
		default: {
			static const char *const heads[] = { "loop { ", "repeat %llu { ", "fork { " };
			unsigned long long h = k - 13;

			snprintf(out + len, size - len, heads[h], 1 + rnd(5));
			gen(out, size, 1 + (int)rnd(3), depth - 1);
			len = strlen(out);
			/* a loop gets a step that takes time, so it never spins in zero time */
			snprintf(out + len, size - len, "run 10us }; ");
			break;
		}
		}
	}
}

static void mutate(char *p)
{
	size_t len = strlen(p);

	for (int n = 1 + (int)rnd(4); n-- && len;) {
		size_t at = rnd(len);

		switch (rnd(3)) {
		case 0:
			p[at] = "{};0aZ -#\n9"[rnd(11)];
			break;
		case 1:
			memmove(p + at, p + at + 1, len - at);
			len--;
			break;
		default:
			p[at] = (char)(1 + rnd(255));
			break;
		}
	}
}

static struct task_struct *any_task(void)
{
	return umm_find_task((pid_t)(3 + rnd(MAX_PIDS)));
}

/*
 * At UMM_DEBUG=2 every API entry walks the mm's page tables and lists
 * (include/umm/debug.h): a tenth of the steps keeps the run near 30 s.
 */
static long steps = UMM_DEBUG >= 2 ? 150 : 1500;

static int run(void)
{
	static const char *const policies[] = { "eevdf", "cfs" };
	static const unsigned int hzs[] = { 100, 250, 300, 1000 };
	char cmdline[96], prog[2048];
	unsigned int ncpus = 1 + (unsigned int)rnd(4);
	unsigned long long elapsed = 0, progs = 0, refused = 0;
	long forks = 0;

	/* 32 MiB: threads-max 256, and fork bombs meet memory pressure too */
	snprintf(cmdline, sizeof(cmdline), "mem=32M umm.sim_cpus=%u umm.hz=%u umm.sched=%s", ncpus,
		 hzs[rnd(4)], policies[rnd(2)]);
	fprintf(stderr, "  boot \"%s\"\n", cmdline);
	if (umm_boot(cmdline))
		return 1;
	for (long step = 0; step < steps; step++) {
		struct task_struct *t = any_task();
		unsigned long long what = rnd(100);

		if (what < 15 && forks < 2000) {
			long pid = umm_clone(umm_init_task(), SIGCHLD);

			forks++;
			if (pid > 0 && (t = umm_find_task((pid_t)pid))) {
				prog[0] = '\0';
				gen(prog, sizeof(prog), 1 + (int)rnd(6), 2);
				if (umm_task_program(t, prog)) {
					fprintf(stderr, "refused: \"%s\": %s\n", prog,
						umm_task_program_error());
					return 1;
				}
				progs++;
			}
		} else if (what < 20 && t) {
			prog[0] = '\0';
			gen(prog, sizeof(prog), 1 + (int)rnd(4), 1);
			mutate(prog);
			if (umm_task_program(t, prog))
				refused++;
			else
				progs++;
		} else if (what < 28 && t) {
			umm_set_user_nice(t, (long)rnd(40) - 20);
		} else if (what < 33 && t) {
			int pol = (int)rnd(5), prio = 0;
			static const int pols[] = { SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_FIFO,
						    SCHED_RR };

			if (pols[pol] == SCHED_FIFO || pols[pol] == SCHED_RR)
				prio = 1 + (int)rnd(99);
			umm_sched_setscheduler(t, pols[pol], prio);
		} else if (what < 40 && t) {
			cpu_set_t m;

			CPU_ZERO(&m);
			for (unsigned int c = 0; c < ncpus; c++)
				if (rnd(2))
					CPU_SET(c, &m);
			umm_sched_setaffinity(t, &m);	/* empty: -EINVAL, nothing changes */
		} else if (what < 43 && t) {
			umm_sched_set_slice(t, rnd(2) ? 0 : 100000 + rnd(5000000));
		} else if (what < 48 && t) {
			umm_exit(t, (int)rnd(256));
		} else if (what < 55) {
			umm_wait4(umm_init_task(), -1, NULL, WNOHANG | __WALL);
		} else if (what < 60) {
			umm_raise_irq((unsigned int)rnd(4), (unsigned int)rnd(ncpus));
		} else if (what < 62) {
			if (rnd(2))
				umm_irq_device((unsigned int)rnd(4), (unsigned int)rnd(ncpus),
					       MS / 10 + rnd(5 * MS), MS / 10 + rnd(5 * MS));
			else
				umm_irq_device_stop((unsigned int)rnd(4));
		} else {
			unsigned long long ns = rnd(4) ? rnd(2 * MS) : rnd(30 * MS);

			umm_sched_run(ns);
			elapsed += ns;
		}
		if (umm_sched_check() || umm_task_check()) {
			fprintf(stderr, "step %ld: an invariant broke\n", step);
			return 1;
		}
	}
	{
		char buf[4096];
		unsigned long long user, nice, sys, idle;

		/* the CPUs' time is what /proc/stat gives out, in clock ticks */
		if (umm_proc_read("/proc/stat", buf, sizeof(buf)) <= 0 ||
		    sscanf(buf, "cpu %llu %llu %llu %llu", &user, &nice, &sys, &idle) != 4)
			return 1;
		if (user + nice + sys > elapsed / 10000000ULL * ncpus + ncpus * 2ULL) {
			fprintf(stderr, "busy %llu ticks beyond %u CPUs x %llu ns\n",
				user + nice + sys, ncpus, elapsed);
			return 1;
		}
	}
	fprintf(stderr, "  %ld steps: %ld forks, %llu programs (%llu mutated ones refused), "
		"%.3f s simulated\n", steps, forks, progs, refused, elapsed / 1e9);
	umm_shutdown();
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long seed = (unsigned long long)time(NULL);

	parse_seed_steps(argc, argv, &seed, &steps);
	rng = seed;
	fprintf(stderr, "stress_sched: seed %llu, %ld steps\n", seed, steps);
	return run_watched(run, 300, seed);
}
