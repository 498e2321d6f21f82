// SPDX-License-Identifier: GPL-2.0
/*
 * draw.c - `umm draw PICTURE` and `umm cat --svg PATH`: umm's state as an
 * SVG document on stdout (fs/proc/svg.c renders it).
 *
 *   umm draw buddy                 the free lists of every zone, one cell
 *   umm cat --svg /proc/buddyinfo  per pageblock (pagetypeinfo too)
 *
 * The pictures of an address space (maps, walk) need one, and only the
 * scenario language makes them: `draw maps A > maps.svg`.
 *
 * Errors: one line on stderr ("umm: ..."); 2 for bad use, 1 when drawing
 * failed (a write error, out of memory).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <umm.h>
#include <umm/svg.h>
#include "draw.h"

static int draw_buddy(const char *what)
{
	int ret = umm_svg_buddy(stdout);

	if (ret < 0) {
		fprintf(stderr, "umm: %s: %s\n", what, strerror(-ret));
		return 1;
	}
	return 0;
}

int cmd_draw(int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "buddy"))
		return draw_buddy("draw buddy");
	if (argc >= 1 && (!strcmp(argv[0], "maps") || !strcmp(argv[0], "walk"))) {
		fprintf(stderr, "umm: draw %s needs an address space: draw it in a scenario "
			"(e.g. 'draw %s A > %s.svg' in umm shell)\n", argv[0], argv[0], argv[0]);
		return 2;
	}
	/* (argc >= 1: umm.c's table asks for the picture's name) */
	if (argc > 1 && !strcmp(argv[0], "buddy"))
		fprintf(stderr, "umm: draw buddy takes no arguments (umm draw buddy > buddy.svg)\n");
	else
		fprintf(stderr, "umm: draw: no picture '%s' (pictures: buddy; in scenarios also "
			"maps and walk)\n", argv[0]);
	return 2;
}

int cmd_cat_svg(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "umm: cat --svg: one file at a time (umm cat --svg /proc/buddyinfo)\n");
		return 2;
	}
	if (strcmp(argv[0], "/proc/buddyinfo") && strcmp(argv[0], "/proc/pagetypeinfo")) {
		fprintf(stderr, "umm: cat --svg: no picture of %s (pictures: /proc/buddyinfo, "
			"/proc/pagetypeinfo)\n", argv[0]);
		return 2;
	}
	return draw_buddy(argv[0]);
}
