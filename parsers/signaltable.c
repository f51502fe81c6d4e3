/*
 * signaltable.c — loads the signal table of signals.md from
 * data/rules/signaaltabel.xml (schema data/schemas/signaaltabel.xsd).
 *
 *   <Signaaltabel xmlns="urn:nl:betaalrun:signaaltabel:1">
 *     <Signaal soort="DETENTIE" bron="DJI" taak="DETENTIE" prioriteit="1"
 *              termijn="5" effect="HOLD"/>            1..256, first
 *     <Taak naam="REGISTER" prioriteit="1" termijn="5"/> 1..256, then
 *   </Signaaltabel>
 *
 * The table is data that changes without a rebuild, so loading checks what
 * the code depends on even without the schema: every value, no Soort or
 * Taak twice, and every job the pipeline opens itself is present (a run
 * must not find out halfway that it cannot open a REGISTER job).  Any
 * problem is BR_ECONFIG with the file and line.
 */
#include "signaltable.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "xmlin.h"
#include "banned.h"

#define NS_SIGNAALTABEL "urn:nl:betaalrun:signaaltabel:1"
#define ROOT "Signaaltabel"
#define MAX_ROWS 256
#define ATTR_MAX 64

/* signals.md: the jobs the pipeline opens itself, without a signal. */
static const char *const pipeline_jobs[] = {
	"INKOMEN_OUD", "DERDEN", "AOW", "INKOMEN_HANDMATIG", "REGISTER", "BANK", "BUFFER", "HERBEREKENING", NULL
};

/* formats.md §3: the sources of Inlichtingenbureau signals. */
static const char *const bronnen[] = {
	"UWV", "DJI", "DUO", "BELASTINGDIENST", "RDW", "BRP", "GEMEENTE", "CJIB", "SVB", NULL
};

static int in_list(const char *s, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Copy a required attribute (xmlin's pointer is borrowed). */
static int get_attr(struct xmlin *x, const char *el, const char *name, char *buf, size_t cap,
		    struct br_error *err)
{
	const char *v = xmlin_attr(x, name);
	size_t len;

	if (!v)
		return xmlin_fail(x, err, "attribuut %s van <%s> ontbreekt", name, el);
	len = strlen(v);
	if (len >= cap)
		return xmlin_fail(x, err, "attribuut %s van <%s> is langer dan %zu bytes", name, el,
				  cap - 1);
	memcpy(buf, v, len + 1);
	return 0;
}

/* A signal or job kind: [A-Z][A-Z0-9_]{0,39} (as the Soort of formats.md §3). */
static int get_name(struct xmlin *x, const char *el, const char *name, char *out,
		    struct br_error *err)
{
	char v[ATTR_MAX];
	size_t i, len;
	int rc;

	if ((rc = get_attr(x, el, name, v, sizeof(v), err)) < 0)
		return rc;
	len = strlen(v);
	for (i = 0; i < len; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (i > 0 && ((v[i] >= '0' && v[i] <= '9') || v[i] == '_'))))
			break;
	if (len == 0 || len > SIGNALTABLE_NAME_MAX || i < len)
		return xmlin_fail(x, err,
				  "%s '%.40s' van <%s> moet een hoofdletter zijn, gevolgd door ten hoogste %d hoofdletters, cijfers en '_'",
				  name, v, el, SIGNALTABLE_NAME_MAX - 1);
	memcpy(out, v, len + 1);
	return 0;
}

static int get_number(struct xmlin *x, const char *el, const char *name, long min, long max,
		      int *out, struct br_error *err)
{
	char v[ATTR_MAX], *s = v, *end = NULL;
	size_t len;
	long n = 0;
	int rc;

	if ((rc = get_attr(x, el, name, v, sizeof(v), err)) < 0)
		return rc;
	/* xs:int collapses whitespace before its facets apply. */
	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len && s[len - 1] == ' ')
		s[--len] = '\0';
	errno = 0;
	if (len == 0 || len > 3 || strspn(s, "0123456789") != len ||
	    (n = strtol(s, &end, 10), errno != 0) || end != s + len || n < min || n > max)
		return xmlin_fail(x, err, "%s '%.20s' van <%s> moet een geheel getal van %ld tot en met %ld zijn",
				  name, v, el, min, max);
	*out = (int)n;
	return 0;
}

static int read_signal(struct xmlin *x, struct signaltable *t, size_t *cap, struct br_error *err)
{
	struct signal_kind *k;
	char v[ATTR_MAX];
	int rc;

	if (t->n_signals >= MAX_ROWS)
		return xmlin_fail(x, err, "te veel <Signaal> (ten hoogste %d)", MAX_ROWS);
	if (mem_grow((void **)&t->signals, cap, t->n_signals + 1, sizeof(*t->signals)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het laden van de signaaltabel");
	k = &t->signals[t->n_signals];
	memset(k, 0, sizeof(*k));
	if ((rc = get_name(x, "Signaal", "soort", k->soort, err)) < 0)
		return rc;
	if (signaltable_find(t, k->soort))
		return xmlin_fail(x, err, "signaalsoort %s komt twee keer voor", k->soort);
	if ((rc = get_attr(x, "Signaal", "bron", v, sizeof(v), err)) < 0)
		return rc;
	if (!in_list(v, bronnen))
		return xmlin_fail(x, err, "bron '%.20s' van signaalsoort %s is geen bron uit formats.md §3",
				  v, k->soort);
	memcpy(k->bron, v, strlen(v) + 1); /* the longest source fits bron[16] */
	if ((rc = get_name(x, "Signaal", "taak", k->taak, err)) < 0 ||
	    (rc = get_number(x, "Signaal", "prioriteit", 1, 9, &k->prioriteit, err)) < 0 ||
	    (rc = get_number(x, "Signaal", "termijn", 0, 365, &k->termijn_dagen, err)) < 0 ||
	    (rc = get_attr(x, "Signaal", "effect", v, sizeof(v), err)) < 0)
		return rc;
	if (strcmp(v, "HOLD") == 0)
		k->effect = SIGNAL_EFFECT_HOLD;
	else if (strcmp(v, "NONE") == 0)
		k->effect = SIGNAL_EFFECT_NONE;
	else
		return xmlin_fail(x, err, "effect '%.20s' van signaalsoort %s moet NONE of HOLD zijn", v,
				  k->soort);
	t->n_signals++;
	return xmlin_end_empty(x, err);
}

static int read_job(struct xmlin *x, struct signaltable *t, size_t *cap, struct br_error *err)
{
	struct job_kind *j;
	int rc;

	if (t->n_jobs >= MAX_ROWS)
		return xmlin_fail(x, err, "te veel <Taak> (ten hoogste %d)", MAX_ROWS);
	if (mem_grow((void **)&t->jobs, cap, t->n_jobs + 1, sizeof(*t->jobs)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het laden van de signaaltabel");
	j = &t->jobs[t->n_jobs];
	memset(j, 0, sizeof(*j));
	if ((rc = get_name(x, "Taak", "naam", j->taak, err)) < 0)
		return rc;
	if (signaltable_find_job(t, j->taak))
		return xmlin_fail(x, err, "taaksoort %s komt twee keer voor", j->taak);
	if ((rc = get_number(x, "Taak", "prioriteit", 1, 9, &j->prioriteit, err)) < 0 ||
	    (rc = get_number(x, "Taak", "termijn", 0, 365, &j->termijn_dagen, err)) < 0)
		return rc;
	t->n_jobs++;
	return xmlin_end_empty(x, err);
}

/* The whole document: root, Signaal rows, then Taak rows. */
static int read_table(struct xmlin *x, struct signaltable *t, struct br_error *err)
{
	size_t cap_signals = 0, cap_jobs = 0;
	int rc, i, empty;

	if ((rc = xmlin_read(x, err)) < 0)
		return rc;
	if (rc == 0 || xmlin_type(x) != XMLIN_START)
		return xmlin_fail(x, err, "het bestand heeft geen rootelement; verwacht <%s>", ROOT);
	if (strcmp(xmlin_name(x), ROOT) != 0 || strcmp(xmlin_ns(x), NS_SIGNAALTABEL) != 0)
		return xmlin_fail(x, err,
				  "het rootelement is <%.64s> in namespace '%.100s'; verwacht <%s> in namespace '%s'",
				  xmlin_name(x), xmlin_ns(x), ROOT, NS_SIGNAALTABEL);
	empty = xmlin_is_empty(x);
	while (!empty && (rc = xmlin_read(x, err)) > 0) {
		if (xmlin_type(x) == XMLIN_END && xmlin_depth(x) == 1)
			break;
		if (xmlin_type(x) != XMLIN_START || xmlin_depth(x) != 2 ||
		    strcmp(xmlin_ns(x), NS_SIGNAALTABEL) != 0)
			return xmlin_fail(x, err, "onverwachte inhoud in <%s>", ROOT);
		if (strcmp(xmlin_name(x), "Signaal") == 0) {
			if (t->n_jobs)
				return xmlin_fail(x, err, "<Signaal> moet vóór de eerste <Taak> staan");
			rc = read_signal(x, t, &cap_signals, err);
		} else if (strcmp(xmlin_name(x), "Taak") == 0) {
			rc = read_job(x, t, &cap_jobs, err);
		} else {
			rc = xmlin_fail(x, err, "element <%.64s> hoort niet in <%s>", xmlin_name(x),
					ROOT);
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (!t->n_signals)
		return xmlin_fail(x, err, "de tabel heeft geen <Signaal>");
	for (i = 0; pipeline_jobs[i]; i++)
		if (!signaltable_find_job(t, pipeline_jobs[i]))
			return xmlin_fail(x, err, "taaksoort %s ontbreekt (betaalrun opent die taak zelf, signals.md)",
					  pipeline_jobs[i]);
	/* End of the document: libxml2 reports late schema errors here. */
	if ((rc = xmlin_read(x, err)) > 0)
		rc = xmlin_fail(x, err, "inhoud na het einde van <%s>", ROOT);
	return rc;
}

int signaltable_load(struct signaltable *out, const char *path, const char *xsd_path,
		     struct br_error *err)
{
	struct xmlin_schema *schema = NULL;
	struct xmlin *x = NULL;
	struct br_error e;
	int rc;

	memset(out, 0, sizeof(*out));
	br_error_clear(&e);
	if (xsd_path && (rc = xmlin_schema_load(&schema, xsd_path, &e)) < 0)
		goto out;
	if ((rc = xmlin_open(&x, path, path, schema, NULL, &e)) < 0)
		goto out;
	rc = read_table(x, out, &e);
out:
	if (rc < 0) {
		/* A bad or missing table is a configuration problem, not an input. */
		enum br_code code = e.code == BR_ENOMEM ? BR_ENOMEM : BR_ECONFIG;

		rc = br_error_set(err, code, "signaaltabel %s: %s", path,
				  e.code != BR_OK ? e.msg : "kan niet worden geladen");
		br_error_at(err, e.file[0] ? e.file : path, e.line);
		signaltable_release(out);
	}
	xmlin_free(x);
	xmlin_schema_free(schema);
	return rc;
}

void signaltable_release(struct signaltable *t)
{
	if (!t)
		return;
	free(t->signals);
	free(t->jobs);
	memset(t, 0, sizeof(*t));
}

const struct signal_kind *signaltable_find(const struct signaltable *t, const char *soort)
{
	size_t i;

	for (i = 0; t && soort && i < t->n_signals; i++)
		if (strcmp(t->signals[i].soort, soort) == 0)
			return &t->signals[i];
	return NULL;
}

const struct job_kind *signaltable_find_job(const struct signaltable *t, const char *taak)
{
	size_t i;

	for (i = 0; t && taak && i < t->n_jobs; i++)
		if (strcmp(t->jobs[i].taak, taak) == 0)
			return &t->jobs[i];
	return NULL;
}
