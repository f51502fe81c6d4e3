/* progress.c — one updating progress line; see progress.h. */
#include "progress.h"

#include <string.h>
#include <time.h>

#include "banned.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_start(struct progress *p, FILE *out, const char *what, const char *unit, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->what = what;
	p->unit = unit;
	p->total = total;
	if (out)
		p->start_ms = p->last_ms = now_ms();
}

static uint64_t shown_amount(const struct progress *p, uint64_t v)
{
	return strcmp(p->unit, "MB") == 0 ? v >> 20 : v;
}

static void progress_show(struct progress *p, int64_t t)
{
	int64_t ms = t - p->start_ms;
	uint64_t rate = ms > 0 ? p->done * 1000 / (uint64_t)ms : 0;

	fprintf(p->out, "\r%s: %llu", p->what, (unsigned long long)shown_amount(p, p->done));
	if (p->total)
		fprintf(p->out, "/%llu %s (%llu%%)", (unsigned long long)shown_amount(p, p->total), p->unit,
			(unsigned long long)(p->done >= p->total ? 100 : p->done * 100 / p->total));
	else
		fprintf(p->out, " %s", p->unit);
	if (rate)
		fprintf(p->out, ", %llu %s/s", (unsigned long long)shown_amount(p, rate), p->unit);
	if (rate && p->total > p->done)
		fprintf(p->out, ", nog %llu s", (unsigned long long)((p->total - p->done) / rate + 1));
	fputs("\033[K", p->out);   /* clear what a longer line left */
	fflush(p->out);
	p->shown = 1;
	p->last_ms = t;
}

void progress_update(struct progress *p, uint64_t done)
{
	int64_t t;

	if (!p->out)
		return;
	p->done = done;
	if (++p->ticks % PROGRESS_CLOCK_EVERY != 0)
		return;
	t = now_ms();
	if (t - p->last_ms >= 1000 / PROGRESS_PER_SECOND)
		progress_show(p, t);
}

void progress_end(struct progress *p)
{
	if (!p->out || !p->shown)
		return;
	progress_show(p, now_ms());
	fputc('\n', p->out);
	fflush(p->out);
	p->shown = 0;
}
