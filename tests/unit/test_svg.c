// SPDX-License-Identifier: GPL-2.0
/*
 * test_svg.c - the SVG API (include/umm/svg.h) as a C caller meets it:
 * bad arguments and write errors are -errno, an empty address space draws,
 * the counts returned are what was drawn, and a buddy map drawn while
 * another thread allocates is still one consistent snapshot per zone
 * (its cells hold exactly the free pages its buddyinfo line counts).
 * tests/draw/check_svg.py checks the pictures against /proc.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tests/test.h"
#include "mm/internal.h"
#include <umm/svg.h>

/* Render into memory; returns the text (caller frees) and *ret. */
static char *render(int (*draw)(struct mm_struct *, unsigned long, FILE *),
		    struct mm_struct *mm, unsigned long addr, int *ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	*ret = draw(mm, addr, f);
	fclose(f);
	return text;
}

static int draw_buddy(struct mm_struct *mm, unsigned long addr, FILE *f)
{
	(void)mm;
	(void)addr;
	return umm_svg_buddy(f);
}

static int draw_maps(struct mm_struct *mm, unsigned long addr, FILE *f)
{
	(void)addr;
	return umm_svg_maps(mm, f);
}

static int count(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

/* Free pages the cells show, and free pages the zones' buddyinfo counts. */
static void free_pages_drawn(const char *text, unsigned long *cells, unsigned long *lists)
{
	const char *p;

	*cells = *lists = 0;
	for (p = text; (p = strstr(p, "data-free=\"")); p++)
		*cells += strtoul(p + 11, NULL, 10);
	for (p = text; (p = strstr(p, "data-buddyinfo=\"")); p++) {
		char *end = (char *)p + 16;

		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			*lists += strtoul(end, &end, 10) << o;
	}
}

TEST(test_bad_arguments)
{
	struct mm_struct *mm = umm_mm_create();
	FILE *full = fopen("/dev/full", "w");

	ASSERT(mm);
	EXPECT_EQ(umm_svg_buddy(NULL), -EINVAL);
	EXPECT_EQ(umm_svg_maps(NULL, stdout), -EINVAL);
	EXPECT_EQ(umm_svg_maps(mm, NULL), -EINVAL);
	EXPECT_EQ(umm_svg_walk(NULL, 0x1000, stdout), -EINVAL);
	EXPECT_EQ(umm_svg_walk(mm, 0x1000, NULL), -EINVAL);
	if (full) {
		/* a write that fails is reported, with its errno, not dropped */
		EXPECT_EQ(umm_svg_buddy(full), -ENOSPC);
		clearerr(full);
		EXPECT_EQ(umm_svg_maps(mm, full), -ENOSPC);
		fclose(full);
	}
	umm_mm_destroy(mm);
}

TEST(test_counts)
{
	struct mm_struct *mm = umm_mm_create();
	char *text;
	long addr;
	int ret;

	ASSERT(mm);
	text = render(draw_buddy, NULL, 0, &ret);
	ASSERT(text);
	EXPECT_EQ(ret, (64 << 20) / (PAGE_SIZE * pageblock_nr_pages));
	EXPECT_EQ(count(text, "class=\"pb\""), ret);
	free(text);

	text = render(draw_maps, mm, 0, &ret);
	ASSERT(text);
	EXPECT_EQ(ret, 0);
	EXPECT(strstr(text, "no VMAs"));
	EXPECT(strstr(text, "</svg>"));
	free(text);
	text = render(umm_svg_walk, mm, 0x1000, &ret);
	ASSERT(text);
	EXPECT_EQ(ret, 0);
	EXPECT_EQ(count(text, "class=\"level\""), 5);
	free(text);

	addr = umm_mmap(mm, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	ASSERT(addr > 0);
	ASSERT_EQ(umm_touch(mm, (unsigned long)addr, PAGE_SIZE, 1, NULL), 0);
	text = render(draw_maps, mm, 0, &ret);
	ASSERT(text);
	EXPECT_EQ(ret, 1);
	EXPECT(strstr(text, "data-rss=\"4096\""));
	free(text);
	text = render(umm_svg_walk, mm, (unsigned long)addr + 5, &ret);
	ASSERT(text);
	EXPECT_EQ(ret, 5);	/* pgd, p4d (folded), pud, pmd, pte */
	EXPECT_EQ(count(text, "data-state=\"present\""), 5);
	free(text);
	text = render(umm_svg_walk, mm, (unsigned long)addr + PAGE_SIZE, &ret);
	ASSERT(text);
	EXPECT_EQ(ret, 4);	/* the PTE of an untouched page is none */
	free(text);
	umm_mm_destroy(mm);
}

static volatile bool churn_stop;
/* Blocks churn() has allocated and freed so far. */
static unsigned long churn_rounds;

/* Allocate and free blocks of every order while the picture is drawn. */
static void *churn(void *arg)
{
	struct page *held[64] = { NULL };

	(void)arg;
	for (unsigned int i = 0; !__atomic_load_n(&churn_stop, __ATOMIC_RELAXED); i++) {
		unsigned int slot = i % 64, order = i % 6;

		if (held[slot])
			__free_pages(held[slot], (unsigned int)page_private(held[slot] + 1));
		held[slot] = alloc_pages(GFP_KERNEL, order + 1);
		if (held[slot])
			set_page_private(held[slot] + 1, order + 1);
		__atomic_add_fetch(&churn_rounds, 1, __ATOMIC_RELAXED);
	}
	for (int i = 0; i < 64; i++)
		if (held[i])
			__free_pages(held[i], (unsigned int)page_private(held[i] + 1));
	return NULL;
}

TEST(test_buddy_snapshot_while_allocating)
{
	unsigned long before;
	pthread_t t;

	ASSERT_EQ(pthread_create(&t, NULL, churn, NULL), 0);
	/* draw only once the churn is under way (the alarm bounds the wait) */
	while (__atomic_load_n(&churn_rounds, __ATOMIC_RELAXED) < 1000)
		sched_yield();
	before = __atomic_load_n(&churn_rounds, __ATOMIC_RELAXED);
	/*
	 * At least 40 pictures, and on until churn() has moved on by 100
	 * rounds meanwhile (a busy machine may not run it during the first
	 * 40; the alarm bounds the wait).
	 */
	for (int i = 0; i < 40 || __atomic_load_n(&churn_rounds, __ATOMIC_RELAXED) < before + 100;
	     i++) {
		unsigned long cells, lists;
		char *text;
		int ret;

		/* no ASSERT here: a failure must still stop and join churn() */
		text = render(draw_buddy, NULL, 0, &ret);
		EXPECT(text);
		if (!text)
			break;
		free_pages_drawn(text, &cells, &lists);
		EXPECT(lists > 0);
		EXPECT_EQ(cells, lists);
		EXPECT(strstr(text, "</svg>"));
		free(text);
	}
	/* the pictures were drawn while blocks came and went */
	EXPECT(__atomic_load_n(&churn_rounds, __ATOMIC_RELAXED) >= before + 100);
	__atomic_store_n(&churn_stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
}

int main(void)
{
	/* a hang is a failure */
	alarm(120);
	if (umm_boot("mem=64M")) {
		fprintf(stderr, "test_svg: umm_boot(\"mem=64M\") failed\n");
		return 1;
	}
	RUN(test_bad_arguments);
	RUN(test_counts);
	RUN(test_buddy_snapshot_while_allocating);
	umm_shutdown();
	TEST_EXIT();
}
