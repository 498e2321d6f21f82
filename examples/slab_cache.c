/* examples/slab_cache.c - a kmem cache and kmalloc, as LKD3 chapter 12 uses them */
#include <umm.h>
#include <stdio.h>

struct task_struct {
	int pid;
	char comm[16];
	struct list_head tasks;
};

int main(void)
{
	struct kmem_cache *task_struct_cachep;
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
					       ARCH_MIN_TASKALIGN, SLAB_PANIC | SLAB_NOTRACK, NULL);
	struct task_struct *tsk = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
	if (!tsk)
		return 1;
	tsk->pid = 1;
	kmem_cache_free(task_struct_cachep, tsk);
	int err = kmem_cache_destroy(task_struct_cachep);   /* -EBUSY if objects remain */

	char *s = kmalloc(100, GFP_KERNEL);                 /* from kmalloc-128 */
	printf("kmalloc(100) gave %zu bytes\n", ksize(s));
	kfree(s);
	return err || umm_slab_check();
}
