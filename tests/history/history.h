/*
 * history.h — the data model of a generated register history (issue 15),
 * shared by the generator/driver (test_history.c) and the oracle
 * (oracle.c).  Nothing here comes from the program: dates are int32 days
 * since 1970-01-01 and months are `year * 12 + month - 1` (the same
 * numbering the engine uses, so results can be compared directly), amounts
 * are int64 cents.
 *
 * A history is what the outside world sends over a span of months:
 * register snapshots, Polis income records (with corrections and
 * withdrawals), Inlichtingenbureau signals and the consultant's closing of
 * the jobs they open.  Each item carries the run month before which it
 * arrives (`arrive`): the run for month M sees exactly the items with
 * arrive <= M.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stdint.h>

#define H_MAX_PERSONS 400
#define H_MAX_DOSSIERS 40
#define H_MAX_SNAPS 60
#define H_MAX_RECORDS 6000
#define H_MAX_SIGNALS 64
#define H_MAX_GRANTS 4
#define H_MAX_CLAIMS 3
#define H_MAX_DERDEN 3
#define H_MAX_MONTHS 24
#define H_NONE 0            /* "no date": day 0 is 1970-01-01, never used */

enum h_leefvorm { H_ALLEENSTAAND = 0, H_ALLEENSTAANDE_OUDER, H_GEHUWD };
enum h_soort { H_ARBEID = 0, H_UITKERING, H_PENSIOEN, H_OVERIG };
enum h_code { H_N = 0, H_R, H_Y, H_Z, H_AA, H_NCODES };
enum h_rol { H_AANVRAGER = 0, H_PARTNER = 1 };
enum h_outcome { H_GEEN_GEVOLGEN = 0, H_RECHT_VERVALLEN, H_BEEINDIGD };
/* rules.md §6 `bufferbudget` (§5a), the setting of the whole history */
enum h_buffer { H_BUFFER_UIT = 0, H_BUFFER_VOORSTEL, H_BUFFER_AUTOMATISCH };

struct h_person {
	char bsn[10];
	char naam[24];
	int32_t geb;
};

struct h_grant {
	int code;                   /* enum h_code */
	int rol;                    /* enum h_rol */
	int32_t ingang, eind;       /* eind H_NONE: open */
	int gebruikt;               /* maanden_gebruikt (cut-over), 0 = absent */
};

struct h_claim {
	char kenmerk[40];
	int64_t saldo, termijn;
};

struct h_derde {
	char kenmerk[40];
	int64_t bedrag;
	int prio;
};

/* One dossier as one snapshot shows it. */
struct h_dos {
	int present;
	int32_t ingang, eind;       /* eind H_NONE: open */
	int aanvrager;              /* person index */
	int partner;                /* person index, -1 none */
	int leefvorm;
	int32_t kind;               /* JongsteKindGeboortedatum, H_NONE absent */
	int kostendelers;
	int wkv;                    /* Woonkostenverlaging %, -1 absent */
	int n_grants;
	struct h_grant grants[H_MAX_GRANTS];
	int n_claims;
	struct h_claim claims[H_MAX_CLAIMS];
	int n_derden;
	struct h_derde derden[H_MAX_DERDEN];
};

struct h_snap {
	int32_t peil;               /* peildatum */
	int aanmaak_sec;            /* aanmaakdatum = peil + this many seconds */
	int arrive;                 /* run month before which it is ingested */
	struct h_dos d[H_MAX_DOSSIERS];
};

struct h_record {
	char id[24];
	int vervangt;               /* record index it corrects, -1 none */
	int intrekking;
	int person;
	int soort;
	int numiv;
	int32_t aanv, eind;         /* DatAanvTv, DatEindTv */
	int64_t ln, vak, autov, ing, zvw, wga;
	int arrive;                 /* run month */
	int file;                   /* which delivery of that month (0, 1) */
	int pos;                    /* sort key inside the delivery */
};

struct h_signal {
	char id[24];
	int hold;                   /* 1: DETENTIE (hold), 0: STUDIEFINANCIERING */
	int dossier;
	int person;
	int32_t begin;              /* PeriodeBegin */
	int arrive;
	int close;                  /* run month at whose start the job is closed, 0 never */
	int outcome;                /* enum h_outcome */
	int32_t datum, van, tot;
};

/*
 * rules.md §5a voorstel: what the consultant does with the BUFFER job a run
 * opens for a dossier (drawn for every dossier and run month in advance; it
 * matters only when that run proposes something).  The amount itself
 * follows from the proposal and what is left of the year (oracle.c).
 */
struct h_bdecision {
	int delay;                  /* closed at the start of the run delay months later, 0 never */
	int grant;                  /* 1 TOEKENNEN, 0 AFWIJZEN */
	int pct;                    /* TOEKENNEN: 100 = all that may be granted (--bedrag
				     * omitted when that is the proposal), else this
				     * percentage of it (at least 0.01) */
	int probe;                  /* first try 0.01 more than may be granted: refused */
};

struct h_history {
	uint64_t seed;
	int m0, m1;                 /* first and last run month; startmaand = m0 */
	int dagen;                  /* toerekening = dagen */
	int n_persons;
	struct h_person persons[H_MAX_PERSONS];
	int n_dossiers;
	char nummer[H_MAX_DOSSIERS][21];
	int n_snaps;
	struct h_snap snaps[H_MAX_SNAPS];   /* in (peil, aanmaak) order */
	int n_records;
	struct h_record records[H_MAX_RECORDS];
	int n_signals;
	struct h_signal signals[H_MAX_SIGNALS];
	int buffer;                 /* enum h_buffer */
	int ondergrens;             /* bufferbudget_ondergrens_pct: 95 or 100 */
	struct h_bdecision bdec[H_MAX_DOSSIERS][H_MAX_MONTHS];   /* [d][run month - m0] */
};

#endif
