/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timeline.h - the schedule as a picture (tools/timeline.c): the events
 * umm_sched_trace_start() records, drawn as an SVG timeline, one row per
 * simulated CPU.  Used by `umm run-script --timeline FILE` and by the
 * scenario language's `timeline` command.
 */
#ifndef _UMM_TOOLS_TIMELINE_H
#define _UMM_TOOLS_TIMELINE_H

#include <stdbool.h>
#include <stdio.h>

/* The most events one recording keeps (umm_sched_trace_start()'s @max). */
#define TIMELINE_MAX_EVENTS	(1UL << 20)

/*
 * Start recording the schedule from now, forgetting an earlier
 * recording; notes which task is on each CPU at this moment.  umm is
 * booted.  0 or -errno (-ENOMEM).
 */
int timeline_start(void);

/* Stop recording and free what was recorded. */
void timeline_stop(void);

/* Whether timeline_start() has started a recording that still runs. */
bool timeline_recording(void);

/*
 * What was recorded from timeline_start() to now (or to the last event
 * kept, when the recording filled up), as an SVG document on @f.
 * Returns the number of context switches drawn, or -errno: -EINVAL when
 * nothing is being recorded, -ENOMEM, or the write's error.
 */
int timeline_write(FILE *f);

/*
 * timeline_write() into @path (replaced if it exists).  Returns as
 * timeline_write(); on a failure to open @path, -errno of fopen().
 */
int timeline_write_file(const char *path);

#endif /* _UMM_TOOLS_TIMELINE_H */
