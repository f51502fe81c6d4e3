/*
 * incomepack.c — a person's income records in one blob (incomepack.h).
 */
#include "incomepack.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "varint.h"

#include "banned.h"

static size_t put_text(unsigned char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	p[n] = '\0';
	return n + 1;
}

int incomepack_append(struct incomepack_buf *b, const struct incomepack_row *r, struct br_error *err)
{
	const char *t[3] = { r->opgave_id ? r->opgave_id : "", r->lhnr ? r->lhnr : "",
			     r->vervangt ? r->vervangt : "" };
	const int64_t amount[6] = { r->ln_lb_ph_cents, r->vak_bsl_cents, r->wrd_pr_gebr_aut_cents,
				    r->ing_lb_ph_cents, r->bijdr_zvw_cents, r->pr_wga_whk_wn_cents };
	size_t n[3], i;
	unsigned char *p;

	if (r->id <= b->last_id || r->dat_eind_tv < r->dat_aanv_tv || (unsigned)r->soort > INKOMEN_OVERIG)
		return br_error_set(err, BR_EINTERNAL, "inkomenspak: opgave %lld niet op volgorde of onjuist",
				    (long long)r->id);
	for (i = 0; i < 3; i++)
		if ((n[i] = strlen(t[i])) > INCOMEPACK_TEXT_MAX)
			return br_error_set(err, BR_EINTERNAL, "inkomenspak: tekst van opgave %lld te lang",
					    (long long)r->id);
	if (mem_grow((void **)&b->p, &b->cap, b->len + INCOMEPACK_RECORD_MAX, 1) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	p = b->p + b->len;
	p += varint_put(p, (uint64_t)(r->id - b->last_id));
	*p++ = (unsigned char)((r->intrekking ? 1 : 0) | (unsigned)r->soort << 1);
	p += varint_put(p, varint_zig(r->dat_aanv_tv));
	p += varint_put(p, (uint64_t)(r->dat_eind_tv - r->dat_aanv_tv));
	for (i = 0; i < 6; i++)
		p += varint_put(p, varint_zig(amount[i]));
	for (i = 0; i < 3; i++)
		p += put_text(p, t[i], n[i]);
	b->len = (size_t)(p - b->p);
	b->last_id = r->id;
	return 0;
}

int incomepack_append_raw(struct incomepack_buf *b, const void *pack, size_t len, int64_t last_id,
			  struct br_error *err)
{
	if (b->len)
		return br_error_set(err, BR_EINTERNAL, "inkomenspak: een bestaand pak komt vooraan");
	if (mem_grow((void **)&b->p, &b->cap, len + 1, 1) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	memcpy(b->p, pack, len);
	b->len = len;
	b->last_id = last_id;
	return 0;
}

void incomepack_buf_free(struct incomepack_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static int damaged(size_t at, struct br_error *err)
{
	return br_error_set(err, BR_EINTERNAL, "inkomenspak beschadigd bij byte %zu", at);
}

/* A NUL-terminated text of at most INCOMEPACK_TEXT_MAX bytes at *at. */
static const char *get_text(const unsigned char *p, size_t len, size_t *at)
{
	const unsigned char *nul;
	size_t room = len - *at;
	const char *s = (const char *)p + *at;

	if (room > INCOMEPACK_TEXT_MAX + 1)
		room = INCOMEPACK_TEXT_MAX + 1;
	if (!(nul = memchr(p + *at, '\0', room)))
		return NULL;
	*at = (size_t)(nul - p) + 1;
	return s;
}

int incomepack_next(struct incomepack_row *r, const unsigned char *pack, size_t len, size_t *at,
		    int64_t prev_id, struct br_error *err)
{
	int64_t *amount[6] = { &r->ln_lb_ph_cents, &r->vak_bsl_cents, &r->wrd_pr_gebr_aut_cents,
			       &r->ing_lb_ph_cents, &r->bijdr_zvw_cents, &r->pr_wga_whk_wn_cents };
	uint64_t d, aanv, span, u;
	size_t start = *at, i;
	unsigned flags;
	int64_t a;

	if (*at >= len)
		return 0;
	if (varint_get(pack, len, at, &d) < 0 || d == 0 || d > (uint64_t)(INT64_MAX - prev_id) || *at >= len)
		return damaged(start, err);
	flags = pack[(*at)++];
	if (flags > 7 || varint_get(pack, len, at, &aanv) < 0 || varint_get(pack, len, at, &span) < 0)
		return damaged(start, err);
	a = varint_unzig(aanv);
	if (a < INT32_MIN || a > INT32_MAX || span > (uint64_t)(INT32_MAX - a))
		return damaged(start, err);
	r->id = prev_id + (int64_t)d;
	r->intrekking = (int)(flags & 1);
	r->soort = (enum settle_soort)(flags >> 1);
	r->dat_aanv_tv = (int32_t)a;
	r->dat_eind_tv = (int32_t)(a + (int64_t)span);
	for (i = 0; i < 6; i++) {
		if (varint_get(pack, len, at, &u) < 0)
			return damaged(start, err);
		*amount[i] = varint_unzig(u);
	}
	if (!(r->opgave_id = get_text(pack, len, at)) || !(r->lhnr = get_text(pack, len, at)) ||
	    !(r->vervangt = get_text(pack, len, at)))
		return damaged(start, err);
	return 1;
}
