/* examples/process_life.c - fork, exec, exit and wait, as LKD3 chapter 3 tells it */
#include <umm.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

/* Print the lines of /proc/PID/status that LKD3 draws in task_struct. */
static void show_task_lines(const char *status)
{
	static const char *const keys[] = { "Name:", "State:", "Tgid:", "Pid:", "PPid:", "Threads:" };
	for (const char *l = status; *l; l = strchr(l, '\n') + 1)
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(l, keys[k], strlen(keys[k])))
				printf("%.*s", (int)(strchr(l, '\n') - l + 1), l);
}

int main(void)
{
	if (umm_boot(NULL))
		return 1;
	struct task_struct *init = umm_init_task();             /* pid 1 */
	long pid = umm_clone(init, SIGCHLD);                    /* fork() */
	if (pid < 0)
		return 1;
	struct task_struct *child = umm_find_task((pid_t)pid);
	char *argv[] = { "/usr/bin/true", "--version", NULL }, *envp[] = { "LANG=C", NULL };
	long err = umm_execve(child, "/usr/bin/true", argv, envp);
	if (err)
		return 1;
	char buf[8192];
	umm_task_show(child, "status", buf, sizeof(buf));       /* /proc/PID/status */
	show_task_lines(buf);
	umm_task_show(child, "maps", buf, sizeof(buf));         /* the ELF image, ld.so, [stack], [vdso] */
	fputs(buf, stdout);
	umm_exit(child, 300);                                   /* a zombie until its parent waits */
	int status;
	long reaped = umm_wait4(init, (pid_t)pid, &status, 0);
	printf("wait4: pid %ld, status %#x, exit code %d\n", reaped, status, WEXITSTATUS(status));
	umm_shutdown();
	return 0;
}
