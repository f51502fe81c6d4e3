/*
 * fuzz_rules.c — libFuzzer target for the rules file loader
 * (parsers/rules_xml.h).
 *
 * rules_load takes a path (it also hashes the file for the run manifest),
 * so each input is written to a private temporary file first; it is loaded
 * with and without data/schemas/regels.xsd, because the loader must
 * check everything it relies on itself.  On success every set is read
 * through rules_for_month and rules_aow_date and its contract checked:
 * sets sorted and distinct, all norms and codes present, ratios with a
 * positive denominator.
 *
 *   make fuzz && build/fuzz/fuzz_rules -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_rules
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "error.h"
#include "levering.h"
#include "rules_xml.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[64];
static char xsd_path[4096];

static void contract(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_rules: contract violated: %s\n", what);
	abort();
}

static void check(const struct rules *r)
{
	size_t i;
	int k;

	contract(r->n_sets > 0, "a loaded file has sets");
	for (i = 0; i < r->n_sets; i++) {
		const struct rule_set *s = &r->sets[i];
		if (i)
			contract(r->sets[i - 1].geldig_vanaf < s->geldig_vanaf, "sets sorted and distinct");
		for (k = 0; k < NORM_COUNT; k++)
			contract(s->norm_cents[k] >= 0, "norms are not negative");
		for (k = 0; k < VRIJ_COUNT; k++)
			contract(s->vrij[k].pct_den > 0 && s->vrij[k].pct_num >= 0, "percentages are ratios");
		contract(s->vt_excl_den > 0, "VT ratio");
		contract(s->n_aow >= 1 && s->n_aow <= RULES_AOW_MAX, "AOW rows");
		contract(rules_for_month(r, month_of(s->geldig_vanaf)) == s, "set in force in its own month");
		contract(rules_aow_date(s, date_from_ymd(1960, 2, 29)) != DATE_NONE, "AOW date");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules r;
	struct br_error err;
	FILE *f;
	int pass;

	if (!tmp_path[0]) {
		const char *root = getenv("BR_SOURCE_DIR");
		snprintf(tmp_path, sizeof(tmp_path), "/tmp/fuzz_rules.%ld.xml", (long)getpid());
		snprintf(xsd_path, sizeof(xsd_path), "%s/data/schemas/regels.xsd",
			 root && root[0] ? root : BR_SOURCE_DIR);
	}
	if (size > (1 << 20) || !(f = fopen(tmp_path, "wb")))
		return 0;
	if (fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	for (pass = 0; pass < 2; pass++) {
		memset(&r, 0, sizeof(r));
		br_error_clear(&err);
		if (rules_load(&r, tmp_path, pass ? xsd_path : NULL, &err) == 0)
			check(&r);
		else
			contract(err.code == BR_ECONFIG || err.code == BR_ENOMEM, "errors are configuration errors");
		rules_release(&r);
	}
	unlink(tmp_path);
	return 0;
}
