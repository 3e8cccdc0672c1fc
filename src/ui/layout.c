/*
 * Where the panels go for a terminal size: the full arrangement from
 * 120x40, a compact one from 80x24, nothing but a message below that.
 */
#include "ui/panel.h"

void
layout_compute(struct layout *l, int w, int h)
{
	int	top = 2, bottom, left, right, mid, logs_h;

	*l = (struct layout){ 0 };
	if (w < UI_MIN_W || h < UI_MIN_H) {
		l->too_small = 1;
		return;
	}
	l->status = (struct rect){ 0, 0, w, 2 };
	l->cmdline = (struct rect){ 0, h - 2, w, 1 };
	l->hint = (struct rect){ 0, h - 1, w, 1 };
	bottom = h - 2;
	l->compact = w < 120 || h < 40;
	left = w * 45 / 100;
	if (left < 46)
		left = 46;
	right = w - left;
	if (l->compact) {
		/* Services beside alerts, one graph strip, two log lines;
		 * output opens as an overlay. */
		logs_h = 4;
		mid = (bottom - logs_h - top) / 2 + 1;
		l->services = (struct rect){ 0, top, left, mid };
		l->alerts = (struct rect){ left, top, right, mid };
		l->graphs = (struct rect){ 0, top + mid, w,
		    bottom - logs_h - top - mid };
		l->logs = (struct rect){ 0, bottom - logs_h, w, logs_h };
		l->output = (struct rect){ 2, top + 1, w - 4, bottom - top - 2 };
		return;
	}
	logs_h = h >= 50 ? 10 : 7;
	mid = (bottom - logs_h - top) * 62 / 100;
	l->services = (struct rect){ 0, top, left, mid };
	l->graphs = (struct rect){ left, top, right, mid };
	l->alerts = (struct rect){ 0, top + mid, left,
	    bottom - logs_h - top - mid };
	l->output = (struct rect){ left, top + mid, right,
	    bottom - logs_h - top - mid };
	l->logs = (struct rect){ 0, bottom - logs_h, w, logs_h };
}
