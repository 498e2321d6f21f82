/* examples/slab_cache.c - a kmem cache and kmalloc, as LKD3 chapter 12 uses them */
#include <umm.h>
#include <stdio.h>

/* LKD3's is task_struct; umm has the real one (umm/sched.h), so a cache of our own */
struct my_task {
	int pid;
	char comm[16];
	struct list_head tasks;
};

int main(void)
{
	struct kmem_cache *my_task_cachep;
	my_task_cachep = kmem_cache_create("my_task", sizeof(struct my_task),
					   ARCH_MIN_TASKALIGN, SLAB_PANIC | SLAB_NOTRACK, NULL);
	struct my_task *tsk = kmem_cache_alloc(my_task_cachep, GFP_KERNEL);
	if (!tsk)
		return 1;
	tsk->pid = 1;
	kmem_cache_free(my_task_cachep, tsk);
	int err = kmem_cache_destroy(my_task_cachep);       /* -EBUSY if objects remain */

	char *s = kmalloc(100, GFP_KERNEL);                 /* from kmalloc-128 */
	printf("kmalloc(100) gave %zu bytes\n", ksize(s));
	kfree(s);
	return err || umm_slab_check();
}
