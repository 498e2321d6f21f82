// SPDX-License-Identifier: GPL-2.0
/*
 * mstress.c - objects migrating between threads, in the manner of
 * mimalloc's stress test: threads keep a set of live objects of varying
 * size (mostly small, 1% up to 32 KiB, 0.1% up to 320 KiB, 0.01% up to
 * about 5 MiB), replace and drop them at random, and swap objects with a
 * global transfer array, freeing whatever another thread left there.
 * Work goes in rounds of fresh threads; what a round leaves in the
 * transfer array is freed by later rounds.  Every object is filled
 * completely and checked completely when it is freed.
 *
 *   alloc_mstress [THREADS] [SCALE]
 */
#include "common.h"

#define ROUNDS 10
#define RETAINED 500
#define TRANSFER 1000

struct obj {
	uint64_t tag;
	uint64_t words;		/* whole object, header included */
	uint64_t data[];
};

static struct obj *transfer[TRANSFER];	/* __atomic_* only */

struct worker {
	int round, id;
	long steps;
	struct tally tally;
} __attribute__((aligned(64)));

static struct obj *make(uint64_t *rng)
{
	uint64_t r = rng_next(rng);
	uint64_t words = 2 + r % 40;
	struct obj *o;

	if (r % 10000 < 1)
		words *= 16000;
	else if (r % 10000 < 11)
		words *= 1000;
	else if (r % 10000 < 111)
		words *= 100;
	o = wl_malloc(words * 8);
	o->tag = rng_next(rng);
	o->words = words;
	for (uint64_t i = 0; i < words - 2; i++)
		o->data[i] = o->tag ^ i;
	return o;
}

static void drop(struct tally *t, struct obj *o)
{
	uint64_t words, tag, bad = 0;

	if (!o)
		return;
	words = o->words;
	tag = o->tag;
	for (uint64_t i = 0; i < words - 2; i++)
		bad |= o->data[i] ^ tag ^ i;
	t->bad += bad != 0;
	t->sum += tag;
	t->objects++;
	free(o);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	uint64_t rng = rng_seed(5, (uint64_t)w->round, (uint64_t)w->id);
	struct obj **keep = wl_malloc(sizeof(*keep) * RETAINED);

	memset(keep, 0, sizeof(*keep) * RETAINED);
	for (long i = 0; i < w->steps; i++) {
		uint64_t r = rng_next(&rng);
		unsigned int k = (unsigned int)((r >> 8) % RETAINED);

		switch (r % 8) {
		case 0: case 1: case 2: case 3:	/* replace one of ours */
			drop(&w->tally, keep[k]);
			keep[k] = make(&rng);
			break;
		case 4:				/* drop one of ours */
			drop(&w->tally, keep[k]);
			keep[k] = NULL;
			break;
		default: {			/* trade with whoever was here */
			unsigned int x = (unsigned int)((r >> 24) % TRANSFER);
			struct obj *o = keep[k] ? keep[k] : make(&rng);

			keep[k] = NULL;
			drop(&w->tally, __atomic_exchange_n(&transfer[x], o, __ATOMIC_ACQ_REL));
			break;
		}
		}
	}
	for (int k = 0; k < RETAINED; k++)
		drop(&w->tally, keep[k]);
	free(keep);
	return NULL;
}

int main(int argc, char **argv)
{
	struct wl_args args = wl_parse(argc, argv, 4);
	int t = args.threads;
	struct worker *w = wl_malloc(sizeof(*w) * (size_t)t);
	struct tally total = { 0 };

	memset(w, 0, sizeof(*w) * (size_t)t);
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < t; i++) {
			w[i].round = round;
			w[i].id = i;
			w[i].steps = wl_scaled(16000000, args.scale) / ROUNDS / t;
		}
		wl_run_threads(t, work, w, sizeof(*w));
	}
	for (int x = 0; x < TRANSFER; x++)
		drop(&w[0].tally, transfer[x]);
	for (int i = 0; i < t; i++)
		tally_add(&total, &w[i].tally);
	free(w);
	return wl_finish("mstress", &total);
}
