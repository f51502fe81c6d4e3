/*
 * settle.h — the settlement engine: automatic inkomstenverrekening per the
 * uniform rules (the specification's rules.md §2–§6).
 *
 * A pure function: (one dossier's register history, its effective income
 * records, the ledger of what was released for it, the rules, the
 * settings, the run month M) → its settlement for the run of M.  No I/O,
 * no clock, no globals; the same input gives the same output, so the
 * engine is tested without files and the payment run only books what it
 * returns.
 *
 * Vocabulary (rules.md §5), for a month k:
 *   norm(k)   the household norm incl. VT, pro rata by active days      §2
 *   income(k) Σ net of the records attributed to k (applicant+partner)  §3
 *   vrij(k)   Σ vrijlating per person                                   §4
 *   right(k)  min(norm, max(0, norm − (income − vrij)))      incl. VT
 *   owed(k)   excl(right(k)) = round(vt_excl × right(k))     excl. VT
 *   vtres(k)  right(k) − owed(k), the VT reserved for k
 *   paid(k)   Σ released ledger amounts booked on month k (advance,
 *             differences, deductions, claims made of old deductions)
 *   vtpaid(k) Σ VT released for k
 * IOAW/IOAZ/BBZ: norm(k) = VastBedrag pro rata, owed = right = norm, no VT,
 * no income settlement: income arriving opens an INKOMEN_HANDMATIG job
 * (rules.md §5): a month in which a record not `gezien` counts raises one
 * event (the month's lines name its records).
 *
 * The run for M: advance(M) = owed of the norm alone (excl(norm(M)));
 * every earlier settled month k with owed(k) ≠ paid(k) is settled; in the
 * VT month and after the dossier's end the VT due is settled; negative
 * differences are deducted oldest first, never below €0, the rest carried,
 * and those older than the verrekentermijn become a claim; then claim
 * instalments above the beslagvrije voet, then third parties in priority
 * order, then the client.  Every amount is int64 cents; every fraction is
 * rounded half away from zero (money_mul_ratio).
 *
 * Memory: the caller owns input and output; settle_result_init/_release
 * manage the output's arrays, reusable across dossiers (no allocation per
 * dossier once warmed up).
 */
#ifndef BR_SETTLE_H
#define BR_SETTLE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "date.h"
#include "rules.h"

#define SETTLE_MAX_GRANTS 16
#define SETTLE_MAX_CLAIMS 32
#define SETTLE_MAX_DERDEN 16
#define SETTLE_KENMERK_MAX 35
#define SETTLE_WHY_MAX 160

enum settle_regeling { REGELING_PW = 0, REGELING_IOAW, REGELING_IOAZ, REGELING_BBZ };
enum settle_leefvorm { LEEFVORM_ALLEENSTAAND = 0, LEEFVORM_ALLEENSTAANDE_OUDER, LEEFVORM_GEHUWD };
enum settle_soort { INKOMEN_ARBEID = 0, INKOMEN_UITKERING, INKOMEN_PENSIOEN, INKOMEN_OVERIG };
enum settle_person { PERSON_AANVRAGER = 0, PERSON_PARTNER = 1 };

struct settle_grant {
	enum vrij_code code;
	enum settle_person persoon;
	int32_t ingangsdatum;
	int32_t einddatum;          /* DATE_NONE when open */
	int maanden_gebruikt;       /* cut-over months already used, 0 when none */
};

struct settle_claim {
	char kenmerk[SETTLE_KENMERK_MAX + 1];
	int64_t saldo_cents;        /* Saldo of the latest register snapshot */
	int64_t termijn_cents;      /* monthly instalment */
	int64_t withheld_cents;     /* withheld by released runs since that snapshot's peildatum */
	int64_t withheld_run_month_cents; /* of which in released runs for the run month itself */
};

struct settle_derde {
	char kenmerk[SETTLE_KENMERK_MAX + 1];
	int64_t bedrag_cents;
	int prioriteit;             /* 1 is paid first; ties in register order */
	int paid_run_month;         /* already paid by a released run for the run month */
};

/* Household values in force from `vanaf` (formats.md §1). */
struct settle_stand {
	int32_t vanaf;              /* first day of a month */
	int64_t aanvrager_id;       /* who the applicant and partner are (any ids that */
	int64_t partner_id;         /* tell people apart; 0 = none, or not given) */
	int32_t aanvrager_geb;
	int has_partner;
	int32_t partner_geb;
	enum settle_leefvorm leefvorm;
	int32_t jongste_kind_geb;   /* DATE_NONE when absent */
	int kostendelers;           /* medebewoners besides applicant and partner */
	int woonkostenverlaging_pct;
	int has_vast_bedrag;
	int64_t vast_bedrag_cents;
	int n_grants;
	struct settle_grant grants[SETTLE_MAX_GRANTS];
};

/*
 * One effective income record (corrections already applied by the loader:
 * a replaced or withdrawn record is not passed).  Whose income it is, is
 * decided per month (rules.md §3, formats.md §1): it counts for month k only
 * when `person_id` is the applicant, or the partner of a couple, of the
 * stand in force on k's first day.  A record without a person_id (0) takes
 * the role `persoon` in every month instead.
 */
struct settle_income {
	int64_t id;                 /* the store's, for a job's key (0 when not stored) */
	int gezien;                 /* an earlier run settled the dossier with this record
				     * already: it opens no INKOMEN_HANDMATIG job again */
	const char *opgave_id;      /* borrowed, for the explanation */
	const char *lhnr;           /* borrowed */
	int64_t person_id;
	enum settle_person persoon;
	enum settle_soort soort;
	int32_t dat_aanv_tv, dat_eind_tv;
	int64_t ln_lb_ph_cents, vak_bsl_cents, wrd_pr_gebr_aut_cents;
	int64_t ing_lb_ph_cents, bijdr_zvw_cents, pr_wga_whk_wn_cents;
};

/*
 * Released ledger totals for one month of this dossier: what the payment
 * run books at release, from the bookings of settle_result:
 *   paid_cents    = Σ VOORSCHOT + VERSCHIL + VORDERING booked on the month
 *   vt_paid_cents = Σ VT + VT_VORDERING booked on the month
 * The cut-over VtReservering is booked as VT on the month before
 * startmaand; VT booked on months before startmaand is passed as
 * settle_input.vt_cutover_paid_cents, not here.
 */
struct settle_paid {
	int32_t month;
	int64_t paid_cents;
	int64_t vt_paid_cents;
	int advanced;       /* a payment (advance or addition) was ever released for
			     * the month, even if later recovered: such a month
			     * before startmaand stays settled (rules.md §5) */
};

/* A period without right (RECHT_VERVALLEN, signals.md): days not paid. */
struct settle_gap {
	int32_t van, tot;           /* both days included */
};

struct settle_input {
	enum settle_regeling regeling;
	int32_t ingangsdatum;
	int32_t einddatum;          /* DATE_NONE when open */
	int64_t vt_cutover_cents;   /* VtReservering from the first snapshot */
	int64_t vt_cutover_paid_cents;
	const struct settle_stand *stands;   /* sorted by vanaf, ≥ 1 */
	size_t n_stands;
	const struct settle_income *incomes;
	size_t n_incomes;
	const struct settle_paid *paid;      /* sorted by month; months absent = 0 */
	size_t n_paid;
	const struct settle_gap *gaps;
	size_t n_gaps;
	/* claims and third parties of the stand in force for the run month */
	const struct settle_claim *claims;
	size_t n_claims;
	const struct settle_derde *derden;
	size_t n_derden;
	/* rules.md §2: the regular run of the latest VT month before the run
	 * month withheld this dossier (a hold or a block) and no run has paid it
	 * since: this run pays the reservations that run would have paid */
	int vt_withheld;
	/* rules.md §5a: bufferbudget released in runs for months of the run
	 * month's calendar year, and grants not yet paid */
	int64_t buffer_used_cents;
	const struct settle_buffer_grant *buffer_grants;
	size_t n_buffer_grants;
};

/* rules.md §5a: the setting `bufferbudget`. */
enum settle_buffer_mode { BUFFER_UIT = 0, BUFFER_VOORSTEL, BUFFER_AUTOMATISCH };

/* A bufferbudget proposal granted (TOEKENNEN) and not yet paid: paid by this
 * run as an addition booked on `month`, the month it was proposed for. */
#define SETTLE_MAX_BUFFER_GRANTS 12
struct settle_buffer_grant {
	int32_t month;
	int64_t amount_cents;
	int64_t job;                /* the BUFFER job that granted it (the booking's kenmerk) */
};

struct settle_settings {
	int32_t startmaand;         /* month index: the first month betaalrun settles */
	int toerekening_dagen;      /* 0: by DatEindTv (default); 1: pro rata by days */
	int vt_uitbetaalmaand;      /* 1..12, default 6 */
	int verrekentermijn;        /* months, default 6 */
	int beslagvrije_voet_pct;   /* default 95 */
	enum settle_buffer_mode bufferbudget;   /* default BUFFER_UIT */
	int bufferbudget_ondergrens_pct;        /* default 95 */
};

/* ---- the result ---------------------------------------------------------- */

/* How a vrijlating grant fared in a month. */
struct settle_vrij {
	int grant;                  /* index into the stand's grants */
	enum vrij_code code;
	enum settle_person persoon;
	int applied;                /* 1: this grant gave the person's vrijlating */
	int64_t candidate_cents;    /* min(cap, round(pct × arbeid)) when applicable */
	int64_t amount_cents;       /* what was applied (0 when not chosen) */
	char why[SETTLE_WHY_MAX];   /* in Dutch, e.g. "jonger dan 27", "limiet van 6 maanden bereikt" */
};

/* One income record's share in a month. */
struct settle_income_line {
	int income;                 /* index into input incomes */
	int32_t month;
	enum settle_person persoon; /* whose income it is in this month */
	int64_t net_cents;          /* the record's whole net (§3) */
	int64_t net_vt_cents;       /* its vakantiebijslag share, shown separately */
	int64_t counted_cents;      /* the part counted in this month (benefit period, dagen) */
};

struct settle_month {
	int32_t month;
	const struct rule_set *rules;
	int32_t first_day;          /* the month's first active day (conditions are taken on it) */
	int active_days, days;
	enum norm_cat cat;          /* category; for IOAW/IOAZ/BBZ unused */
	int kostendelers_a;         /* A of art. 22a, 0 when the published norm applies */
	int aow;                    /* applicant at AOW age */
	int64_t base_cents;         /* category norm, or kostendelersnorm ×2 for a couple */
	int64_t wkv_cents;          /* woonkostenverlaging */
	int64_t norm_cents;         /* after pro rata */
	int64_t income_cents;       /* Σ counted */
	int64_t arbeid_cents[2];    /* per person, for the vrijlating */
	int64_t vrij_cents;
	int64_t right_cents, owed_cents, vtres_cents;
	int64_t paid_cents, vt_paid_cents;   /* from the ledger before this run */
	int advanced;               /* a payment was ever released for the month */
	int64_t diff_cents;         /* owed − paid, settled in this run (0 for M) */
	int64_t vt_diff_cents;      /* vtres − vtpaid, settled in a VT run */
	int first_line, n_lines;    /* into result lines */
	int first_vrij, n_vrij;     /* into result vrij */
};

/* What this run books, per month it belongs to (the payrun's ledger). */
enum settle_booking_kind {
	BOOK_VOORSCHOT = 0,   /* advance for M */
	BOOK_VERSCHIL,        /* a positive difference added, or a negative one deducted */
	BOOK_VT,              /* VT paid (or a VT decrease deducted) for the month */
	BOOK_VORDERING,       /* an open deduction older than the verrekentermijn made a claim */
	BOOK_VT_VORDERING,    /* the same for an open VT decrease (counts as VT paid) */
	BOOK_INHOUDING,       /* an instalment on a register claim (month M) */
	BOOK_DERDEN,          /* a third-party payment (month M) */
	BOOK_CLIENT,          /* what the client is paid (month M) */
	BOOK_BUFFER           /* bufferbudget (rules.md §5a) paid on the month whose work-income
			       * deduction it covers, or a granted proposal on its month */
};

#define SETTLE_BOOKING_KINDS (BOOK_BUFFER + 1)

struct settle_booking {
	enum settle_booking_kind kind;
	int32_t month;
	int64_t amount_cents;       /* signed: a deduction is negative */
	int ref;                    /* claim or derde index for INHOUDING/DERDEN, else -1 */
};

enum settle_event_kind {
	EVENT_INKOMEN_OUD = 0,      /* a deduction past the verrekentermijn became a claim */
	EVENT_DERDEN,               /* a third-party payment did not fit */
	EVENT_AOW,                  /* applicant at AOW age */
	EVENT_INKOMEN_HANDMATIG,    /* income for an IOAW/IOAZ/BBZ dossier */
	EVENT_BUFFER_VOORSTEL       /* bufferbudget mode voorstel: what it would cover (month M) */
};

struct settle_event {
	enum settle_event_kind kind;
	int32_t month;
	int64_t amount_cents;
	int ref;                    /* derde index for DERDEN, else -1 */
};

struct settle_result {
	int32_t run_month;
	int active_in_run;          /* the dossier has active days in M */
	int vt_run;                 /* VT settled in this run (June, or after the end) */
	int64_t advance_cents;
	int64_t additions_cents;    /* Σ positive differences */
	int64_t vt_cents;           /* Σ VT increases paid */
	int64_t deducted_cents;     /* Σ negative differences deducted (≥ 0) */
	int64_t carried_cents;      /* Σ negative differences left open (≥ 0) */
	int64_t claimed_cents;      /* Σ made a claim (past the verrekentermijn) */
	int64_t instalments_cents;  /* Σ register claim instalments */
	int64_t derden_cents;       /* Σ third parties paid */
	int64_t client_cents;       /* paid to the client, ≥ 0 */
	int64_t buffer_cents;       /* bufferbudget applied (automatisch) and grants paid */
	int64_t buffer_proposed_cents; /* voorstel: what it would have covered, not applied */
	int64_t buffer_left_cents;  /* of the year's budget after this run; -1: no budget */
	/* growable arrays, owned (settle_result_release) */
	struct settle_month *months; size_t n_months, cap_months;
	struct settle_income_line *lines; size_t n_lines, cap_lines;
	struct settle_vrij *vrij; size_t n_vrij, cap_vrij;
	struct settle_booking *bookings; size_t n_bookings, cap_bookings;
	struct settle_event *events; size_t n_events, cap_events;
	char derden_skipped[SETTLE_MAX_DERDEN]; /* 1 when derde i did not fit */
};

void settle_result_init(struct settle_result *r);
void settle_result_release(struct settle_result *r);

/*
 * Settle one dossier for the run of month `run_month`.  Reuses the arrays
 * of `out`.  Returns 0; BR_EINPUT when the input cannot be settled (no
 * stand, no rules set for a month that must be settled); BR_ENOMEM.
 * Months settled: every month from startmaand to the run month in which
 * the dossier is active or something was paid, plus earlier months for
 * which an advance was paid (rules.md §5).
 * Invariants (tested): advance + additions + vt + buffer − deducted −
 * instalments − derden == client, client ≥ 0, and the same over the
 * bookings: Σ VOORSCHOT + VERSCHIL + VT + BUFFER − INHOUDING − DERDEN == CLIENT.
 */
int settle_dossier(struct settle_result *out, const struct settle_input *in,
		   const struct rules *rules, const struct settle_settings *set,
		   int32_t run_month, struct br_error *err);

/* Dutch names for the explanation ("alleenstaande", "voorschot", ...). */
const char *settle_booking_name(enum settle_booking_kind k);
const char *settle_event_name(enum settle_event_kind k);

#endif
