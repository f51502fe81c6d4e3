/*
 * settle_bench — time a month's settlement of every dossier in a store
 * (make bench, issue 3): reading the input (settle_store) and the engine
 * (settle_dossier) are timed separately, with the totals printed so a run
 * can be checked for plausibility.
 *
 *   settle_bench STORE.db RULES.xml RULES.xsd YYYY-MM STARTMAAND [--history]
 *
 * With --history, first every month from STARTMAAND up to YYYY-MM − 1 is
 * settled and booked as released (ledger_book), one transaction per month,
 * as a year of monthly runs would have left the ledger; then the run for
 * YYYY-MM is timed (read-only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "date.h"
#include "ledger.h"
#include "rules_xml.h"
#include "settle.h"
#include "settle_store.h"
#include "store.h"

#include "banned.h"

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Settle every dossier for `month` and book it as released. */
static int book_month(struct store *st, const struct rules *rules, struct settle_settings *set,
		      int32_t month, struct br_error *err)
{
	struct settle_source *src = NULL;
	struct settle_dossier_info info;
	struct settle_input in;
	struct settle_result res;
	struct ledger *led = NULL;
	char rel[DATE_FMT_MAX];
	int rc;

	settle_result_init(&res);
	date_format(rel, month_first_day(month) + 24);
	if ((rc = store_begin(st, err)) < 0)
		return rc;
	if ((rc = settle_source_open(&src, st, month, set, NULL, err)) < 0 ||
	    (rc = ledger_open(&led, st, err)) < 0)
		goto out;
	while ((rc = settle_source_next(src, &info, &in, err)) == 1) {
		if ((rc = settle_dossier(&res, &in, rules, set, month, err)) < 0 ||
		    (rc = ledger_book(led, month, info.id, &res, in.claims, in.n_claims, in.derden, in.n_derden,
				      err)) < 0)
			goto out;
	}
	if (rc == 0) {
		settle_source_free(src);
		src = NULL;
		if ((rc = ledger_release(st, month, rel, err)) == 0)
			rc = store_commit(st, err);
	}
out:
	ledger_free(led);
	settle_source_free(src);
	settle_result_release(&res);
	if (rc < 0)
		store_rollback(st);
	return rc;
}

int main(int argc, char **argv)
{
	struct br_error err;
	struct store *st = NULL;
	struct rules rules;
	struct settle_source *src = NULL;
	struct settle_dossier_info info;
	struct settle_input in;
	struct settle_result res;
	struct settle_settings set;
	struct config cfg;
	int32_t month, start;
	int64_t t_load = 0, t_engine = 0, t0, client = 0, advance = 0, income_months = 0;
	long n = 0, zero = 0;
	int rc;

	br_error_clear(&err);
	memset(&rules, 0, sizeof(rules));
	settle_result_init(&res);
	if (argc < 6 || argc > 7 || (argc == 7 && strcmp(argv[6], "--history") != 0) ||
	    month_parse(&month, argv[4], strlen(argv[4]), &err) < 0 ||
	    month_parse(&start, argv[5], strlen(argv[5]), &err) < 0) {
		fprintf(stderr, "usage: settle_bench STORE RULES XSD YYYY-MM STARTMAAND [--history]\n");
		return 64;
	}
	/* the settings as the run derives them, startmaand as given */
	config_init(&cfg);
	cfg.startmaand = start;
	if (store_open(&st, argv[1], 0, &err) < 0 || rules_load(&rules, argv[2], argv[3], &err) < 0 ||
	    settle_settings_derive(&set, st, &cfg, month, &err) < 0)
		goto fail;
	if (argc == 7) {
		int32_t k;
		t0 = now_ns();
		for (k = start; k < month; k++)
			if (book_month(st, &rules, &set, k, &err) < 0)
				goto fail;
		printf("history: %d monthly runs booked in %lld ms\n", (int)(month - start),
		       (long long)((now_ns() - t0) / 1000000));
		if (ledger_check(st, &err) < 0)
			goto fail;
	}
	t0 = now_ns();
	if (settle_source_open(&src, st, month, &set, NULL, &err) < 0)
		goto fail;
	t_load += now_ns() - t0;
	for (;;) {
		size_t i;
		t0 = now_ns();
		rc = settle_source_next(src, &info, &in, &err);
		t_load += now_ns() - t0;
		if (rc < 0)
			goto fail;
		if (rc == 0)
			break;
		t0 = now_ns();
		if (settle_dossier(&res, &in, &rules, &set, month, &err) < 0)
			goto fail;
		t_engine += now_ns() - t0;
		n++;
		client += res.client_cents;
		advance += res.advance_cents;
		if (res.active_in_run && res.client_cents == 0)
			zero++;
		for (i = 0; i < res.n_months; i++)
			if (res.months[i].income_cents)
				income_months++;
	}
	printf("settled %ld dossiers for %s (months from %s): read %lld ms, engine %lld ms\n", n, argv[4],
	       argv[5], (long long)(t_load / 1000000), (long long)(t_engine / 1000000));
	printf("totals: advance %lld cents, client %lld cents, %ld zero payments, %lld months with income\n",
	       (long long)advance, (long long)client, zero, (long long)income_months);
	settle_source_free(src);
	settle_result_release(&res);
	rules_release(&rules);
	store_close(st);
	return 0;
fail:
	fprintf(stderr, "settle_bench: %s\n", err.msg);
	settle_source_free(src);
	settle_result_release(&res);
	rules_release(&rules);
	store_close(st);
	return 70;
}
