/*
 * specification.h — the payment specification per dossier (payments.md
 * "Specification per dossier", rules.md §5 end): what a client and an
 * income consultant read to understand one run's payment, in Dutch, as
 * plain UTF-8 text.
 *
 * Input is what the engine returned (settle.h) plus the few dossier facts
 * the engine does not need (number, municipality, name, account).  The
 * writer computes nothing new: every amount it prints is a field of the
 * settle_result or its input, or a step of the engine's own formula shown
 * with the numbers it used, so each line can be checked by hand.
 *
 * Layout (one file per dossier per run):
 *
 *   header      dossier, regeling, gemeente, naam, betaalmaand,
 *               uitbetaaldatum, rekening (masked, below)
 *   per month   oldest first: every earlier month settled in this run (a
 *               difference owed − paid, or a VT difference in a VT run) with
 *               its whole calculation — household and age, the category
 *               norm and its legal source, the kostendelersnorm with A and
 *               round(B × (40+30·A)/(100·A)) filled in, the
 *               woonkostenverlaging, pro rata "x van y dagen" and why, every
 *               income record (employer, period, bruto, the net formula,
 *               vakantiebijslag share, the month it counts for, the part
 *               counted), every vrijlating grant applied or not and why,
 *               then recht, VT reservation, verschuldigd, al betaald,
 *               verschil.  Earlier months recomputed without any difference
 *               are named in one line, not repeated (a dossier settled since
 *               startmaand would otherwise print every month of its life in
 *               every run).  Then the run month: its norm found the same
 *               way and the voorschot (art. 52 Pw); income over the run
 *               month is settled in a later run, and the text says so.
 *               A month whose right is €0 (income above the norm) is shown
 *               in full and says why it is €0.
 *   betaling    the run's sum, one signed line per booking, which adds up
 *               to "Uitbetaald aan u" exactly: voorschot, toevoegingen,
 *               vakantietoeslag, verrekend (per month), inhoudingen per
 *               claim, betalingen aan derden.  "Uitbetaald aan u" is always
 *               printed, also € 0,00, with the reason.
 *   toelichting what is carried to a later run (doorgeschoven, per month),
 *               what became a vordering (verrekentermijn verstreken), claims
 *               not withheld and third parties not paid, each with why.
 *
 * Form: amounts by money_format_nl ("€ 1.234,56", "-€ 12,00"), right-
 * aligned so that a block's amounts add up to its last line; dates
 * DD-MM-YYYY; months "januari 2026".  Lines are at most
 * SPECIFICATION_LINE_MAX characters (code points; text is wrapped at 78);
 * control characters in register text become spaces.
 *
 * Personal data: never a BSN — the dossier struct has no field for it, and
 * as a last guard the writer masks every run of nine or more digits in any
 * line it writes (all but the last four become '*'), so the output never
 * holds a 9-digit run whatever a register name or kenmerk contains.  The
 * loonheffingennummer is printed in the Belastingdienst's written form
 * (1234.56.789.L.01, as on a payslip).  The IBAN is shown masked: the
 * first eight characters (country, check digits and — for NL — the bank
 * code) and the last four, grouped by four like a bank statement
 * ("NL91 ABNA **** **43 00").  A specification is stored in the run folder
 * and printed or mailed; the bank and the last digits are what a client
 * needs to recognise the account, the full number adds only risk.
 * Income records are identified by employer and period; their OpgaveIds
 * (which hold 9-digit runs) are in the store's recorded steps, not here.
 *
 * Memory: nothing is allocated; all pointers are borrowed for the call.
 */
#ifndef BR_SPECIFICATION_H
#define BR_SPECIFICATION_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "settle.h"

/* Longest line the writer produces, in characters (code points). */
#define SPECIFICATION_LINE_MAX 100
/* A buffer that holds any summary line. */
#define SPECIFICATION_SUMMARY_MAX 320

/* What happened to the money (payments.md "Specification per dossier"). */
enum specification_outcome {
	SPEC_PAID = 0,   /* in the payment file as computed (or € 0,00) */
	SPEC_HELD,       /* on hold: nothing paid, to the client or to third parties */
	SPEC_BLOCKED     /* a record problem or a rejected account: nothing paid */
};

/*
 * The dossier facts the engine does not carry.  All borrowed; strings are
 * UTF-8 as in the register.  The regeling is taken from settle_input, the
 * betaalmaand from settle_result (one source of truth each).
 */
struct specification_dossier {
	const char *dossiernummer;      /* required, e.g. "PW-0405-000123" */
	const char *gemeente;           /* CBS code, e.g. "0405" (Hoorn); NULL: not shown */
	const char *naam;               /* the applicant's name; required */
	const char *partner_naam;       /* NULL when none */
	const char *iban;               /* electronic form; printed masked; NULL: not shown */
	const char *uitbetaaldatum;     /* "YYYY-MM-DD" is shown as DD-MM-YYYY,
					 * anything else as given; NULL: not shown */
	/* Per register claim, in in->claims order (n = in->n_claims); each
	 * array may be NULL and each entry NULL.  A NULL kenmerk falls back to
	 * in->claims[i].kenmerk. */
	const char *const *claim_kenmerk;
	const char *const *claim_naam;  /* e.g. "terugvordering", "boete" */
	/* Per third party, in in->derden order (n = in->n_derden), same rules. */
	const char *const *derde_kenmerk;
	const char *const *derde_naam;  /* e.g. "Woningstichting Het Grootslag" */
	/* The run's settings, for the texts that name them (verrekentermijn,
	 * beslagvrije voet, toerekening); NULL: the texts do without numbers. */
	const struct settle_settings *set;
	/* SPEC_PAID (0) unless the run paid nothing: then the computed amount
	 * is shown as not paid, with why and (held) since when and what
	 * happens next, or (blocked) what the client can do. */
	enum specification_outcome outcome;
	const char *outcome_since;      /* HELD: "YYYY-MM-DD", or NULL */
	const char *outcome_why;        /* in words; NULL: none given */
};

/*
 * Write the specification of one dossier for the run r->run_month.
 * `in` and `r` are exactly what settle_dossier was given and returned.
 * Nothing is written when the input is inconsistent (a result whose
 * bookings do not add up to client_cents, indices out of range):
 * BR_EINTERNAL.  BR_EIO when writing fails.  0 on success.
 */
int specification_write(FILE *out, const struct specification_dossier *d,
			const struct settle_input *in, const struct settle_result *r,
			struct br_error *err);

/*
 * One line for listings, no newline, e.g.
 *   "2026-01: voorschot € 1.331,43, verrekend € 120,00, uitbetaald € 1.211,43"
 * Voorschot, verrekend and uitbetaald always; toevoegingen, vakantietoeslag,
 * doorgeschoven, vordering, inhoudingen and derden only when not zero.
 * Returns 0, or BR_EINTERNAL when it does not fit `cap` (the buffer then
 * holds the line cut short, NUL-terminated; SPECIFICATION_SUMMARY_MAX
 * always fits).
 */
int specification_summary_line(char *buf, size_t cap, const struct settle_result *r);

#endif
