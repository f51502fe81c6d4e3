/*
 * store.c — see store.h.  The schema lives here, as migrations; this is
 * the current schema (version 10) in prose, table by table (style.md: the
 * store's schema is a contract between stages).
 *
 * Deliveries and the register (intake):
 *   levering      one row per ingested file: sha256 (its identity), soort
 *                 (register inkomen signalen pain002 camt053 camt054),
 *                 levering_id + aanmaakdatum, archief path; duplicaat
 *                 records the same bytes arriving again.
 *   snapshot      a register delivery: peildatum and counts.
 *   persoon       a BSN with name and birth date.
 *   dossier       nummer, regeling, gemeente, ingangs- and einddatum.
 *   stand         a dossier's household values in force from `vanaf` (the
 *                 first day of the snapshot's peildatum month): applicant,
 *                 partner, leefvorm, kostendelers, woonkosten, account,
 *                 probleem (a record problem blocks its payments); with
 *                 vrijlating, inhouding (claims) and derde per stand.
 *   opschorting   holds (register or signal) from `vanaf` until opgeheven.
 *   inkomen       Polis records; `vervangt` names the record a correction
 *                 or withdrawal replaces, whatever the order of arrival.
 *   signaal       IB signals, with signaal_gegeven.
 * Jobs (jobs.c): taak (one open per dossier and kind; dossier NULL for a
 *   BANK job; bedrag_cents a BUFFER proposal or grant), taak_signaal,
 *   taak_gebeurtenis (the audit trail, triggers forbid edits), and the
 *   outcomes recht_vervallen and beeindiging.
 * Money (ledger.h, payrun.c):
 *   run           a payment run: msg_id, maand, aanvullend, status, dates,
 *                 the file's sha256/sha1, preparer and approver with their
 *                 certificates' fingerprints.
 *   betaling      one transaction of a run: EndToEndId (unique for all
 *                 time), PmtInfId, amount, account; status: the bank's
 *                 final word (ACSC, RJCT, RTRN); herbetaling_van: an owed
 *                 third-party payment it pays again.
 *   run_dossier   what a run decided per dossier (BETAALD NUL OPGESCHORT
 *                 GEBLOKKEERD) and its totals.
 *   boeking       every booking (voorschot verschil vakantietoeslag
 *                 vordering vt_vordering inhouding derden client
 *                 bufferbudget) of a run, pending until release;
 *                 `terugboeking` marks a client's booking back (unique per
 *                 payment); a released bufferbudget grant's kenmerk is
 *                 unique.
 *   grootboek     per dossier the released paid(k)/vtpaid(k) summary.
 *   afrekening    per dossier and run the settlement's totals and its record
 *                 (vastlegging, core/settle_record.h) from which the
 *                 specification is rendered (specstore.h); rows from before
 *                 version 9 keep the rendered text (specificatie) instead.
 *   regels        every rules file a run used, by its SHA-256.
 *   A run that is SUPERSEDED or CANCELLED keeps only its run row (status,
 *   dates, the file's hashes, totals, signers): its betaling, run_dossier,
 *   afrekening and pending boeking rows are deleted when it stops counting
 *   (payrun.c run_discard; runs stopped before version 8 kept theirs).
 * The bank (bankfeedback.h):
 *   bankstatus    every pain.002 status line (level, status, reason, name),
 *                 onbekend when it matches nothing.
 *   bankpost      the statement entries that are betaalrun's (a batch
 *                 debit, a return).
 *   terugboeking  a payment booked back: primary key the payment, so at most
 *                 once; klasse REKENING blocks the account; herbetaald the
 *                 payment that paid an owed third party again (unique).
 *   afschrijving  a batch (PmtInf) debited, once.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

/* Statements kept for the connection's life (store_borrow), by the
 * address of their SQL text: a module's static strings. */
#define STORE_CACHE_MAX 32

struct store {
	sqlite3 *db;
	struct {
		const char *sql;
		sqlite3_stmt *st;
		int lent;
	} cache[STORE_CACHE_MAX];
};

/*
 * Migrations, applied in order; migration i brings the schema to version
 * i + 1.  Never edit a migration that has shipped: add a new one.
 */
/* 1: intake — ledger, register, income, signals, bank statuses. */
static const char *const migration_1[] = {
	"CREATE TABLE levering (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),\n"
	"  soort TEXT NOT NULL CHECK (soort IN ('register','inkomen','signalen','pain002')),\n"
	"  levering_id TEXT NOT NULL,\n"
	"  bestandsnaam TEXT NOT NULL,\n"
	"  aanmaakdatum TEXT NOT NULL,\n"
	"  ontvangen TEXT NOT NULL,\n"
	"  bytes INTEGER NOT NULL,\n"
	"  records INTEGER NOT NULL DEFAULT 0,\n"
	"  onbekende_bsn INTEGER NOT NULL DEFAULT 0,\n"
	"  archief TEXT NOT NULL UNIQUE,\n"
	"  gearchiveerd INTEGER NOT NULL DEFAULT 0 CHECK (gearchiveerd IN (0,1)),\n"
	"  UNIQUE (soort, levering_id)\n"
	");\n",
	"CREATE TABLE duplicaat (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  levering INTEGER NOT NULL REFERENCES levering(id),\n"
	"  bestandsnaam TEXT NOT NULL,\n"
	"  ontvangen TEXT NOT NULL\n"
	");\n",
	"CREATE TABLE snapshot (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  levering INTEGER NOT NULL UNIQUE REFERENCES levering(id),\n"
	"  peildatum TEXT NOT NULL,\n"
	"  aanmaakdatum TEXT NOT NULL,\n"
	"  dossiers INTEGER NOT NULL DEFAULT 0,\n"
	"  beeindigd INTEGER NOT NULL DEFAULT 0,\n"
	"  gemarkeerd INTEGER NOT NULL DEFAULT 0,\n"
	"  krimp_toegestaan INTEGER NOT NULL DEFAULT 0\n"
	");\n",
	"CREATE TABLE persoon (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  bsn TEXT NOT NULL UNIQUE CHECK (length(bsn) = 9),\n"
	"  naam TEXT NOT NULL,\n"
	"  geboortedatum TEXT NOT NULL\n"
	");\n",
	"CREATE TABLE dossier (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  nummer TEXT NOT NULL UNIQUE,\n"
	"  regeling TEXT NOT NULL CHECK (regeling IN ('PW','IOAW','IOAZ','BBZ')),\n"
	"  gemeente TEXT NOT NULL,\n"
	"  ingangsdatum TEXT NOT NULL,\n"
	"  einddatum TEXT,\n"
	"  beeindigd_door INTEGER REFERENCES snapshot(id),\n"
	"  eerste_snapshot INTEGER NOT NULL REFERENCES snapshot(id),\n"
	"  laatste_snapshot INTEGER NOT NULL REFERENCES snapshot(id),\n"
	"  vt_reservering_cents INTEGER\n"
	");\n",
	/* Household values in force from `vanaf` (first day of the month of
	 * the snapshot's peildatum, formats.md §1) until the next stand. */
	"CREATE TABLE stand (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  vanaf TEXT NOT NULL,\n"
	"  snapshot INTEGER NOT NULL REFERENCES snapshot(id),\n"
	"  hash BLOB NOT NULL,\n"
	"  aanvrager INTEGER NOT NULL REFERENCES persoon(id),\n"
	"  partner INTEGER REFERENCES persoon(id),\n"
	"  leefvorm TEXT NOT NULL CHECK (leefvorm IN ('ALLEENSTAAND','ALLEENSTAANDE_OUDER','GEHUWD')),\n"
	"  jongste_kind_geb TEXT,\n"
	"  kostendelers INTEGER NOT NULL CHECK (kostendelers BETWEEN 0 AND 20),\n"
	"  woonkostenverlaging_pct INTEGER NOT NULL CHECK (woonkostenverlaging_pct BETWEEN 0 AND 20),\n"
	"  iban TEXT NOT NULL,\n"
	"  bic TEXT,\n"
	"  tenaamstelling TEXT NOT NULL,\n"
	"  vast_bedrag_cents INTEGER,\n"
	"  opschorting_vanaf TEXT,\n"
	"  opschorting_reden TEXT,\n"
	"  probleem TEXT,\n"
	"  UNIQUE (dossier, vanaf)\n"
	");\n",
	"CREATE INDEX stand_aanvrager ON stand(aanvrager);\n",
	"CREATE INDEX stand_partner ON stand(partner);\n",
	"CREATE TABLE vrijlating (\n"
	"  stand INTEGER NOT NULL REFERENCES stand(id) ON DELETE CASCADE,\n"
	"  volgnr INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  persoon TEXT NOT NULL CHECK (persoon IN ('AANVRAGER','PARTNER')),\n"
	"  ingangsdatum TEXT NOT NULL,\n"
	"  einddatum TEXT,\n"
	"  maanden_gebruikt INTEGER,\n"
	"  PRIMARY KEY (stand, volgnr)\n"
	");\n",
	"CREATE TABLE inhouding (\n"
	"  stand INTEGER NOT NULL REFERENCES stand(id) ON DELETE CASCADE,\n"
	"  volgnr INTEGER NOT NULL,\n"
	"  kenmerk TEXT NOT NULL,\n"
	"  soort TEXT NOT NULL CHECK (soort IN ('TERUGVORDERING','BOETE')),\n"
	"  saldo_cents INTEGER NOT NULL,\n"
	"  termijn_cents INTEGER NOT NULL,\n"
	"  PRIMARY KEY (stand, volgnr)\n"
	");\n",
	"CREATE TABLE derde (\n"
	"  stand INTEGER NOT NULL REFERENCES stand(id) ON DELETE CASCADE,\n"
	"  volgnr INTEGER NOT NULL,\n"
	"  kenmerk TEXT NOT NULL,\n"
	"  naam TEXT NOT NULL,\n"
	"  iban TEXT NOT NULL,\n"
	"  bedrag_cents INTEGER NOT NULL,\n"
	"  prioriteit INTEGER NOT NULL,\n"
	"  omschrijving TEXT NOT NULL,\n"
	"  PRIMARY KEY (stand, volgnr)\n"
	");\n",
	/* Holds (signals.md): from the register's Opschorting now, from
	 * signals later; active from `vanaf` until `opgeheven`. */
	"CREATE TABLE opschorting (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  bron TEXT NOT NULL CHECK (bron IN ('REGISTER','SIGNAAL')),\n"
	"  vanaf TEXT NOT NULL,\n"
	"  reden TEXT NOT NULL,\n"
	"  ingesteld_door TEXT NOT NULL,\n"
	"  opgeheven TEXT,\n"
	"  opgeheven_door TEXT\n"
	");\n",
	"CREATE INDEX opschorting_dossier ON opschorting(dossier);\n",
	"CREATE TABLE inkomen (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  opgave_id TEXT NOT NULL UNIQUE,\n"
	"  levering INTEGER NOT NULL REFERENCES levering(id),\n"
	"  regel INTEGER NOT NULL,\n"
	"  vervangt TEXT,\n"
	"  vervangt_inkomen INTEGER REFERENCES inkomen(id),\n"
	"  vervangt_onbekend INTEGER NOT NULL DEFAULT 0,\n"
	"  intrekking INTEGER NOT NULL CHECK (intrekking IN (0,1)),\n"
	"  bsn TEXT NOT NULL CHECK (length(bsn) = 9),\n"
	"  lhnr TEXT NOT NULL,\n"
	"  numiv INTEGER NOT NULL,\n"
	"  soort TEXT NOT NULL CHECK (soort IN ('ARBEID','UITKERING','PENSIOEN','OVERIG')),\n"
	"  dat_aanv_tv TEXT NOT NULL,\n"
	"  dat_eind_tv TEXT NOT NULL,\n"
	"  ln_lb_ph_cents INTEGER NOT NULL,\n"
	"  vak_bsl_cents INTEGER NOT NULL,\n"
	"  extr_per_sal_cents INTEGER NOT NULL,\n"
	"  opn_avwb_cents INTEGER NOT NULL,\n"
	"  wrd_pr_gebr_aut_cents INTEGER NOT NULL,\n"
	"  ing_lb_ph_cents INTEGER NOT NULL,\n"
	"  bijdr_zvw_cents INTEGER NOT NULL,\n"
	"  pr_wga_whk_wn_cents INTEGER NOT NULL,\n"
	"  ind_heffingskorting INTEGER NOT NULL,\n"
	"  aant_verl_u INTEGER,\n"
	"  tags INTEGER NOT NULL\n"
	");\n",
	"CREATE INDEX inkomen_bsn ON inkomen(bsn);\n",
	"CREATE INDEX inkomen_vervangt ON inkomen(vervangt_inkomen);\n",
	"CREATE TABLE signaal (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  signaal_id TEXT NOT NULL UNIQUE,\n"
	"  levering INTEGER NOT NULL REFERENCES levering(id),\n"
	"  regel INTEGER NOT NULL,\n"
	"  soort TEXT NOT NULL,\n"
	"  bsn TEXT NOT NULL CHECK (length(bsn) = 9),\n"
	"  bron TEXT NOT NULL,\n"
	"  signaaldatum TEXT NOT NULL,\n"
	"  periode_begin TEXT NOT NULL,\n"
	"  periode_einde TEXT,\n"
	"  omschrijving TEXT\n"
	");\n",
	"CREATE INDEX signaal_bsn ON signaal(bsn);\n",
	"CREATE TABLE signaal_gegeven (\n"
	"  signaal INTEGER NOT NULL REFERENCES signaal(id),\n"
	"  volgnr INTEGER NOT NULL,\n"
	"  naam TEXT NOT NULL,\n"
	"  waarde TEXT NOT NULL,\n"
	"  PRIMARY KEY (signaal, volgnr)\n"
	");\n",
	"CREATE TABLE bankstatus (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  levering INTEGER NOT NULL REFERENCES levering(id),\n"
	"  regel INTEGER NOT NULL,\n"
	"  orgnl_msg_id TEXT NOT NULL,\n"
	"  orgnl_pmtinf_id TEXT,\n"
	"  orgnl_e2e_id TEXT,\n"
	"  status TEXT NOT NULL,\n"
	"  reden TEXT,\n"
	"  verwerkt INTEGER NOT NULL DEFAULT 0\n"
	");\n",
	"CREATE INDEX bankstatus_e2e ON bankstatus(orgnl_e2e_id);\n",
	NULL
};

/* 2: the released ledger (what was paid, per dossier and month; written by
 * the payment run at release) and the stored settlements (rules.md §5:
 * every step recorded so that any amount can be explained). */
static const char *const migration_2[] = {
	/* run: the payment run that made the booking; vrijgegeven: NULL while
	 * the run is only prepared, the release date once it is released */
	"CREATE TABLE boeking (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  run INTEGER NOT NULL,\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  maand TEXT NOT NULL,\n"
	"  soort TEXT NOT NULL CHECK (soort IN ('voorschot','verschil','vakantietoeslag','vordering',"
	"'vt_vordering','inhouding','derden','client')),\n"
	"  bedrag_cents INTEGER NOT NULL,\n"
	"  kenmerk TEXT,\n"
	"  vrijgegeven TEXT\n"
	");\n",
	/* covering: the settlement reads paid totals per dossier and month */
	"CREATE INDEX boeking_dossier ON boeking(dossier, maand, soort, bedrag_cents);\n",
	"CREATE INDEX boeking_run ON boeking(run, dossier);\n",
	"CREATE TABLE afrekening (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  run_maand TEXT NOT NULL,\n"
	"  run INTEGER,\n"
	"  berekend TEXT NOT NULL,\n"
	"  regels_sha256 TEXT NOT NULL,\n"
	"  voorschot_cents INTEGER NOT NULL,\n"
	"  toevoegingen_cents INTEGER NOT NULL,\n"
	"  vt_cents INTEGER NOT NULL,\n"
	"  verrekend_cents INTEGER NOT NULL,\n"
	"  doorgeschoven_cents INTEGER NOT NULL,\n"
	"  vordering_cents INTEGER NOT NULL,\n"
	"  inhoudingen_cents INTEGER NOT NULL,\n"
	"  derden_cents INTEGER NOT NULL,\n"
	"  client_cents INTEGER NOT NULL,\n"
	"  specificatie TEXT NOT NULL\n"
	");\n",
	"CREATE INDEX afrekening_dossier ON afrekening(dossier, run_maand);\n",
	/* Per dossier, the released totals per month (ledger.h): what the
	 * settlement reads as paid(k)/vtpaid(k).  Kept by ledger_book in the
	 * same transaction as the bookings it sums; ledger_check verifies it. */
	"CREATE TABLE grootboek (\n"
	"  dossier INTEGER PRIMARY KEY REFERENCES dossier(id),\n"
	"  maanden BLOB NOT NULL\n"
	");\n",
	NULL
};

/* 3: payment runs (payments.md): the run and its lifecycle, every
 * transaction of its file (EndToEndId unique for all time), and what the
 * run decided per dossier (paid, €0, on hold, blocked). */
static const char *const migration_3[] = {
	"CREATE TABLE run (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  msg_id TEXT NOT NULL UNIQUE,\n"
	"  maand TEXT NOT NULL,\n"
	"  aanvullend INTEGER NOT NULL CHECK (aanvullend IN (0,1)),\n"
	"  status TEXT NOT NULL CHECK (status IN ('PREPARED','APPROVED','RELEASED','SUPERSEDED','CANCELLED')),\n"
	"  aangemaakt TEXT NOT NULL,\n"
	"  uitvoerdatum TEXT NOT NULL,\n"
	"  startmaand TEXT NOT NULL,\n"
	"  regels_sha256 TEXT NOT NULL,\n"
	"  pain_versie TEXT NOT NULL,\n"
	"  map TEXT NOT NULL,\n"
	"  sha256 TEXT,\n"
	"  sha1 TEXT,\n"
	"  aantal INTEGER NOT NULL DEFAULT 0,\n"
	"  totaal_cents INTEGER NOT NULL DEFAULT 0,\n"
	"  voorbereider TEXT,\n"
	"  goedkeurder TEXT,\n"
	"  goedgekeurd TEXT,\n"
	"  vrijgegeven TEXT,\n"
	"  geannuleerd TEXT\n"
	");\n",
	"CREATE INDEX run_maand ON run(maand, status);\n",
	"CREATE TABLE betaling (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  run INTEGER NOT NULL REFERENCES run(id),\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  soort TEXT NOT NULL CHECK (soort IN ('CLIENT','DERDE')),\n"
	"  end_to_end_id TEXT NOT NULL UNIQUE,\n"
	"  pmtinf_id TEXT,\n"
	"  bedrag_cents INTEGER NOT NULL CHECK (bedrag_cents > 0),\n"
	"  iban TEXT NOT NULL,\n"
	"  bic TEXT,\n"
	"  naam TEXT NOT NULL,\n"
	"  omschrijving TEXT NOT NULL,\n"
	"  kenmerk TEXT,\n"
	"  status TEXT,\n"
	"  reden TEXT\n"
	");\n",
	"CREATE INDEX betaling_run ON betaling(run, soort, id);\n",
	"CREATE TABLE run_dossier (\n"
	"  run INTEGER NOT NULL REFERENCES run(id),\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  status TEXT NOT NULL CHECK (status IN ('BETAALD','NUL','OPGESCHORT','GEBLOKKEERD')),\n"
	"  reden TEXT,\n"
	"  client_cents INTEGER NOT NULL,\n"
	"  derden_cents INTEGER NOT NULL,\n"
	"  inhouding_cents INTEGER NOT NULL,\n"
	"  verrekend_cents INTEGER NOT NULL,\n"
	"  toegevoegd_cents INTEGER NOT NULL,\n"
	"  ingehouden_cents INTEGER NOT NULL,\n"
	"  derden_overgeslagen INTEGER NOT NULL,\n"
	"  PRIMARY KEY (run, dossier)\n"
	") WITHOUT ROWID;\n",
	NULL
};

/* 4: heronderzoek jobs (signals.md): one open job per dossier and kind,
 * the signals joined to it, an audit trail that cannot be edited, holds
 * from signals linked to their job, and the outcomes that change the
 * settlement (periods without right, an end date). */
static const char *const migration_4[] = {
	"CREATE TABLE taak (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  soort TEXT NOT NULL,\n"
	"  prioriteit INTEGER NOT NULL CHECK (prioriteit BETWEEN 1 AND 9),\n"
	"  vervaldatum TEXT NOT NULL,\n"
	"  status TEXT NOT NULL CHECK (status IN ('OPEN','IN_BEHANDELING','AFGEROND')),\n"
	"  uitkomst TEXT CHECK (uitkomst IS NULL OR uitkomst IN"
	" ('GEEN_GEVOLGEN','AANGEPAST','BEEINDIGD','RECHT_VERVALLEN','AUTOMATISCH')),\n"
	"  datum TEXT,\n"
	"  van TEXT,\n"
	"  tot TEXT,\n"
	"  bedrag_cents INTEGER,\n"
	"  omschrijving TEXT NOT NULL,\n"
	"  sleutel TEXT,\n"
	"  aangemaakt TEXT NOT NULL,\n"
	"  afgerond TEXT,\n"
	"  door TEXT\n"
	");\n",
	/* one open job per dossier and kind (signals.md "deduplication") */
	"CREATE UNIQUE INDEX taak_open ON taak(dossier, soort) WHERE status <> 'AFGEROND';\n",
	"CREATE INDEX taak_sleutel ON taak(dossier, soort, sleutel);\n",
	"CREATE INDEX taak_status ON taak(status, vervaldatum);\n",
	"CREATE TABLE taak_signaal (\n"
	"  taak INTEGER NOT NULL REFERENCES taak(id),\n"
	"  signaal INTEGER NOT NULL REFERENCES signaal(id),\n"
	"  PRIMARY KEY (taak, signaal)\n"
	") WITHOUT ROWID;\n",
	"CREATE INDEX taak_signaal_signaal ON taak_signaal(signaal);\n",
	"CREATE TABLE taak_gebeurtenis (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  taak INTEGER NOT NULL REFERENCES taak(id),\n"
	"  tijd TEXT NOT NULL,\n"
	"  door TEXT NOT NULL,\n"
	"  gebeurtenis TEXT NOT NULL,\n"
	"  van_status TEXT,\n"
	"  naar_status TEXT NOT NULL,\n"
	"  reden TEXT NOT NULL\n"
	");\n",
	"CREATE INDEX taak_gebeurtenis_taak ON taak_gebeurtenis(taak);\n",
	/* the audit trail cannot be edited afterwards; a closed job stays closed */
	"CREATE TRIGGER taak_gebeurtenis_geen_wijziging BEFORE UPDATE ON taak_gebeurtenis"
	" BEGIN SELECT RAISE(ABORT, 'the audit trail of a job cannot be changed'); END;\n",
	"CREATE TRIGGER taak_gebeurtenis_geen_verwijdering BEFORE DELETE ON taak_gebeurtenis"
	" BEGIN SELECT RAISE(ABORT, 'the audit trail of a job cannot be deleted'); END;\n",
	"CREATE TRIGGER taak_afgerond_blijft BEFORE UPDATE ON taak WHEN OLD.status = 'AFGEROND'"
	" BEGIN SELECT RAISE(ABORT, 'a closed job cannot be reopened or changed'); END;\n",
	"CREATE TRIGGER taak_geen_verwijdering BEFORE DELETE ON taak"
	" BEGIN SELECT RAISE(ABORT, 'a job cannot be deleted'); END;\n",
	"ALTER TABLE opschorting ADD COLUMN taak INTEGER REFERENCES taak(id);\n",
	"CREATE TABLE recht_vervallen (\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  van TEXT NOT NULL,\n"
	"  tot TEXT NOT NULL,\n"
	"  taak INTEGER NOT NULL REFERENCES taak(id)\n"
	");\n",
	"CREATE INDEX recht_vervallen_dossier ON recht_vervallen(dossier);\n",
	"CREATE TABLE beeindiging (\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  datum TEXT NOT NULL,\n"
	"  taak INTEGER NOT NULL REFERENCES taak(id)\n"
	");\n",
	"CREATE INDEX beeindiging_dossier ON beeindiging(dossier);\n",
	NULL
};

/*
 * 5: every CHECK (col IN (a, b, c, ...)) of more than two values becomes
 * CHECK (col = a OR col = b OR ...).  SQLite 3.40 evaluates an IN list of
 * more than two constants through an ephemeral index that it fills with
 * the list (EXPLAIN: OpenEphemeral, one IdxInsert per value) for every row
 * an INSERT writes: about 2 microseconds a row per such CHECK, 1.7 of the
 * 19 s of CPU of the bench ingest of 500,000 dossiers.  Lists of one or
 * two values are already coded as comparisons and stay as they are.
 *
 * The two forms accept the same values: both compare under the column's
 * affinity and collation (TEXT, BINARY), and both are NULL, so the CHECK
 * passes, when the column is NULL.  Stored rows stay valid as they are, so
 * the table definitions are edited in place (store_rewrite_checks) rather
 * than rebuilt: a rebuild copies every row of eight tables that most
 * foreign keys of the schema point at, and needs foreign keys off, which
 * SQLite does not allow to change inside the migration's transaction.
 *
 * `old` is the text exactly as migrations 1-4 created it; a definition
 * without it fails the migration instead of being skipped.
 */
struct check_rewrite {
	const char *table;
	const char *old;
	const char *new;
};

static const struct check_rewrite migration_5_checks[] = {
	{ "levering",
	  "CHECK (soort IN ('register','inkomen','signalen','pain002'))",
	  "CHECK (soort = 'register' OR soort = 'inkomen' OR soort = 'signalen' OR soort = 'pain002')" },
	{ "dossier",
	  "CHECK (regeling IN ('PW','IOAW','IOAZ','BBZ'))",
	  "CHECK (regeling = 'PW' OR regeling = 'IOAW' OR regeling = 'IOAZ' OR regeling = 'BBZ')" },
	{ "stand",
	  "CHECK (leefvorm IN ('ALLEENSTAAND','ALLEENSTAANDE_OUDER','GEHUWD'))",
	  "CHECK (leefvorm = 'ALLEENSTAAND' OR leefvorm = 'ALLEENSTAANDE_OUDER' OR leefvorm = 'GEHUWD')" },
	{ "inkomen",
	  "CHECK (soort IN ('ARBEID','UITKERING','PENSIOEN','OVERIG'))",
	  "CHECK (soort = 'ARBEID' OR soort = 'UITKERING' OR soort = 'PENSIOEN' OR soort = 'OVERIG')" },
	{ "boeking",
	  "CHECK (soort IN ('voorschot','verschil','vakantietoeslag','vordering',"
	  "'vt_vordering','inhouding','derden','client'))",
	  "CHECK (soort = 'voorschot' OR soort = 'verschil' OR soort = 'vakantietoeslag'"
	  " OR soort = 'vordering' OR soort = 'vt_vordering' OR soort = 'inhouding'"
	  " OR soort = 'derden' OR soort = 'client')" },
	{ "run",
	  "CHECK (status IN ('PREPARED','APPROVED','RELEASED','SUPERSEDED','CANCELLED'))",
	  "CHECK (status = 'PREPARED' OR status = 'APPROVED' OR status = 'RELEASED'"
	  " OR status = 'SUPERSEDED' OR status = 'CANCELLED')" },
	{ "run_dossier",
	  "CHECK (status IN ('BETAALD','NUL','OPGESCHORT','GEBLOKKEERD'))",
	  "CHECK (status = 'BETAALD' OR status = 'NUL' OR status = 'OPGESCHORT' OR status = 'GEBLOKKEERD')" },
	{ "taak",
	  "CHECK (status IN ('OPEN','IN_BEHANDELING','AFGEROND'))",
	  "CHECK (status = 'OPEN' OR status = 'IN_BEHANDELING' OR status = 'AFGEROND')" },
	{ "taak",
	  "CHECK (uitkomst IS NULL OR uitkomst IN"
	  " ('GEEN_GEVOLGEN','AANGEPAST','BEEINDIGD','RECHT_VERVALLEN','AUTOMATISCH'))",
	  "CHECK (uitkomst IS NULL OR uitkomst = 'GEEN_GEVOLGEN' OR uitkomst = 'AANGEPAST'"
	  " OR uitkomst = 'BEEINDIGD' OR uitkomst = 'RECHT_VERVALLEN' OR uitkomst = 'AUTOMATISCH')" },
	{ NULL, NULL, NULL }
};

static int migration_5(struct store *s, struct br_error *err);

/*
 * 6: the bank's feedback (payments.md "Bank status reports", "Bank
 * statements and returns"; issue 9).
 *  - bankstatus keeps every status line with its level, full reason,
 *    AddtlInf and the VoP name; `onbekend` marks a line that matched no
 *    released run or payment (listed by `status`, named in a BANK job).
 *  - bankpost: the statement entries that are betaalrun's (a run's batch
 *    debit, a return); other entries are counted, not stored.
 *  - terugboeking: a payment booked back as unpaid, at most once per
 *    payment by its primary key, whatever reports and statements repeat
 *    it; the booking it made (client payments) is unique per payment too
 *    (boeking.terugboeking), and a third party's owed payment is paid again
 *    at most once (herbetaald, unique).
 *  - afschrijving: a run's batch (PmtInf) debited, once per batch.
 *  - taak.dossier may be NULL: a BANK job is an operator's, not a dossier's.
 */
static const char *const migration_6_sql[] = {
	"ALTER TABLE bankstatus ADD COLUMN niveau INTEGER NOT NULL DEFAULT 3"
	" CHECK (niveau BETWEEN 1 AND 3);\n",
	"ALTER TABLE bankstatus ADD COLUMN reden_prtry INTEGER NOT NULL DEFAULT 0;\n",
	"ALTER TABLE bankstatus ADD COLUMN info TEXT;\n",
	"ALTER TABLE bankstatus ADD COLUMN naam TEXT;\n",
	"ALTER TABLE bankstatus ADD COLUMN onbekend INTEGER NOT NULL DEFAULT 0;\n",
	"CREATE INDEX bankstatus_levering ON bankstatus(levering, niveau, status);\n",
	"CREATE INDEX betaling_pmtinf ON betaling(pmtinf_id);\n",
	/* formats.md §2: a correction replaces what its Vervangt names, also
	 * an original that arrives after it (settle_store.c) */
	"CREATE INDEX inkomen_vervangt_id ON inkomen(vervangt);\n",
	"ALTER TABLE betaling ADD COLUMN herbetaling_van INTEGER REFERENCES betaling(id);\n",
	"CREATE TABLE bankpost (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  levering INTEGER NOT NULL REFERENCES levering(id),\n"
	"  regel INTEGER NOT NULL,\n"
	"  soort TEXT NOT NULL CHECK (soort = 'AFSCHRIJVING' OR soort = 'STORNO'),\n"
	"  boekdatum TEXT,\n"
	"  bedrag_cents INTEGER NOT NULL CHECK (bedrag_cents >= 0),\n"
	"  msg_id TEXT,\n"
	"  pmtinf_id TEXT,\n"
	"  e2e_id TEXT,\n"
	"  reden TEXT,\n"
	"  reden_prtry INTEGER NOT NULL DEFAULT 0,\n"
	"  info TEXT,\n"
	"  btc TEXT,\n"
	"  bank_ref TEXT,\n"
	"  onbekend INTEGER NOT NULL DEFAULT 0\n"
	");\n",
	"CREATE INDEX bankpost_levering ON bankpost(levering);\n",
	"CREATE TABLE terugboeking (\n"
	"  betaling INTEGER PRIMARY KEY REFERENCES betaling(id),\n"
	"  bron TEXT NOT NULL CHECK (bron = 'pain002' OR bron = 'camt'),\n"
	"  levering INTEGER NOT NULL REFERENCES levering(id),\n"
	"  reden TEXT NOT NULL,\n"
	"  klasse TEXT NOT NULL CHECK (klasse = 'REKENING' OR klasse = 'OVERIG'),\n"
	"  datum TEXT NOT NULL,\n"
	"  herbetaald INTEGER UNIQUE REFERENCES betaling(id)\n"
	");\n",
	"ALTER TABLE boeking ADD COLUMN terugboeking INTEGER REFERENCES terugboeking(betaling);\n",
	"CREATE UNIQUE INDEX boeking_terugboeking ON boeking(terugboeking) WHERE terugboeking IS NOT NULL;\n",
	/* rules.md §5a: a granted bufferbudget proposal is paid once */
	"CREATE UNIQUE INDEX boeking_toekenning ON boeking(kenmerk) WHERE soort = 'bufferbudget'"
	" AND kenmerk IS NOT NULL AND vrijgegeven IS NOT NULL;\n",
	"CREATE TABLE afschrijving (\n"
	"  pmtinf_id TEXT PRIMARY KEY,\n"
	"  run INTEGER NOT NULL REFERENCES run(id),\n"
	"  levering INTEGER NOT NULL REFERENCES levering(id),\n"
	"  boekdatum TEXT NOT NULL,\n"
	"  bedrag_cents INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n",
	NULL
};

static const struct check_rewrite migration_6_checks[] = {
	{ "boeking",
	  " OR soort = 'derden' OR soort = 'client')",
	  " OR soort = 'derden' OR soort = 'client' OR soort = 'bufferbudget')" },
	{ "taak",
	  " OR uitkomst = 'BEEINDIGD' OR uitkomst = 'RECHT_VERVALLEN' OR uitkomst = 'AUTOMATISCH')",
	  " OR uitkomst = 'BEEINDIGD' OR uitkomst = 'RECHT_VERVALLEN' OR uitkomst = 'AUTOMATISCH'"
	  " OR uitkomst = 'TOEKENNEN' OR uitkomst = 'AFWIJZEN')" },
	{ "levering",
	  "CHECK (soort = 'register' OR soort = 'inkomen' OR soort = 'signalen' OR soort = 'pain002')",
	  "CHECK (soort = 'register' OR soort = 'inkomen' OR soort = 'signalen' OR soort = 'pain002'"
	  " OR soort = 'camt053' OR soort = 'camt054')" },
	{ "taak",
	  "  dossier INTEGER NOT NULL REFERENCES dossier(id),\n  soort TEXT NOT NULL,\n  prioriteit",
	  "  dossier INTEGER REFERENCES dossier(id),\n  soort TEXT NOT NULL,\n  prioriteit" },
	{ NULL, NULL, NULL }
};

static int migration_6(struct store *s, struct br_error *err);

/*
 * 7: four-eyes by certificate (payments.md "Signatures"; issue 10).  The
 * SHA-256 fingerprints (lower-case hex of the certificate's DER) of the
 * preparer's and the approver's certificates, recorded at approve, so that
 * release and verify check these exact two certificates rather than
 * printed subjects.  NULL on runs recorded before (release then binds the
 * signatures to the subjects in voorbereider and goedkeurder).
 */
static const char *const migration_7[] = {
	"ALTER TABLE run ADD COLUMN voorbereider_sha256 TEXT"
	" CHECK (voorbereider_sha256 IS NULL OR length(voorbereider_sha256) = 64);\n",
	"ALTER TABLE run ADD COLUMN goedkeurder_sha256 TEXT"
	" CHECK (goedkeurder_sha256 IS NULL OR length(goedkeurder_sha256) = 64);\n",
	NULL
};

/*
 * A migration is a NULL-terminated list of statements and, for what SQL
 * alone cannot say, a step in C run after them; both run inside the
 * transaction that bumps the version, so a failure anywhere leaves the
 * store at the version before.
 */
struct migration {
	const char *const *sql;                            /* or NULL */
	int (*apply)(struct store *s, struct br_error *err); /* or NULL */
};

/*
 * 8: a superseded or cancelled preparation frees its rows (payrun.c
 * run_discard): afrekening by run needs an index, or each discard would
 * read every settlement ever stored; and deleting a payment makes SQLite
 * look for payments that name it in herbetaling_van (foreign keys are
 * on), a whole-table scan per payment without this index.
 */
static const char *const migration_8[] = {
	"CREATE INDEX afrekening_run ON afrekening(run);\n",
	"CREATE INDEX betaling_herbetaling ON betaling(herbetaling_van) WHERE herbetaling_van IS NOT NULL;\n",
	NULL
};

/*
 * 9: settlements as records (issue 13; core/settle_record.h).  A run's
 * specification is no longer kept as text (≈4.6 KB per dossier per run)
 * but as the settlement's compact record, from which it is rendered again
 * byte for byte; the record names each month's rules set by its place in
 * the run's rules file, so the store keeps every rules file a run used,
 * by its SHA-256 (run.regels_sha256).  Rows stored before keep their text:
 * a row has the one or the other.  When, and with which rules, a row was
 * computed is its run's (run.aangemaakt, run.regels_sha256): berekend and
 * regels_sha256 are only kept for a row without a run.
 */
static const char *const migration_9[] = {
	"CREATE TABLE regels (\n"
	"  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),\n"
	"  inhoud BLOB NOT NULL\n"
	") WITHOUT ROWID;\n",
	"CREATE TABLE afrekening_9 (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  dossier INTEGER NOT NULL REFERENCES dossier(id),\n"
	"  run_maand TEXT NOT NULL,\n"
	"  run INTEGER,\n"
	"  berekend TEXT,\n"
	"  regels_sha256 TEXT,\n"
	"  voorschot_cents INTEGER NOT NULL,\n"
	"  toevoegingen_cents INTEGER NOT NULL,\n"
	"  vt_cents INTEGER NOT NULL,\n"
	"  verrekend_cents INTEGER NOT NULL,\n"
	"  doorgeschoven_cents INTEGER NOT NULL,\n"
	"  vordering_cents INTEGER NOT NULL,\n"
	"  inhoudingen_cents INTEGER NOT NULL,\n"
	"  derden_cents INTEGER NOT NULL,\n"
	"  client_cents INTEGER NOT NULL,\n"
	"  specificatie TEXT,\n"
	"  vastlegging BLOB,\n"
	"  CHECK ((specificatie IS NULL) <> (vastlegging IS NULL)),\n"
	"  CHECK (run IS NOT NULL OR (berekend IS NOT NULL AND regels_sha256 IS NOT NULL))\n"
	");\n",
	"INSERT INTO afrekening_9 (id, dossier, run_maand, run, berekend, regels_sha256, voorschot_cents,"
	" toevoegingen_cents, vt_cents, verrekend_cents, doorgeschoven_cents, vordering_cents, inhoudingen_cents,"
	" derden_cents, client_cents, specificatie)"
	" SELECT id, dossier, run_maand, run, berekend, regels_sha256, voorschot_cents, toevoegingen_cents, vt_cents,"
	" verrekend_cents, doorgeschoven_cents, vordering_cents, inhoudingen_cents, derden_cents, client_cents,"
	" specificatie FROM afrekening;\n",
	"DROP TABLE afrekening;\n",
	"ALTER TABLE afrekening_9 RENAME TO afrekening;\n",
	"CREATE INDEX afrekening_dossier ON afrekening(dossier, run_maand);\n",
	"CREATE INDEX afrekening_run ON afrekening(run);\n",
	NULL
};

/*
 * 10: what the settlement reads of the ledger per dossier, found without
 * reading the dossier's whole history (issue 13: a run after 60 months of
 * history read every booking of every dossier).  Small partial indexes,
 * one per kind of booking the settlement sums (settle_store.c): the
 * bufferbudget used in the year (the settlement's and the run report's,
 * which otherwise scanned the whole ledger), the instalments on a claim,
 * and a third party's payment.
 */
static const char *const migration_10[] = {
	"CREATE INDEX boeking_bufferbudget ON boeking(dossier, run, bedrag_cents)"
	" WHERE soort = 'bufferbudget';\n",
	"CREATE INDEX boeking_inhouding ON boeking(dossier, kenmerk, vrijgegeven, maand, bedrag_cents)"
	" WHERE soort = 'inhouding';\n",
	"CREATE INDEX boeking_derden ON boeking(dossier, kenmerk, maand) WHERE soort = 'derden'"
	" AND vrijgegeven IS NOT NULL;\n",
	NULL
};

/*
 * Migration 11 (issue 13): the ledger's index by dossier and month goes.
 * Every read of bookings per dossier has its own partial index (migration
 * 10) and the released totals per month are the grootboek's; this index
 * only cost: one entry per booking (about 35 bytes) and, once the ledger
 * holds years of runs, a different page for every dossier a run books,
 * each written to the WAL again.
 */
static const char *const migration_11[] = {
	"DROP INDEX boeking_dossier;\n",
	NULL
};

/*
 * 12: a payment names its batch (PmtInf) by reference (issue 13).  The
 * PmtInfId was a text on every payment row with an index of its own
 * (about 50 bytes per payment), and the payments of a run were found by a
 * second index on (run, soort, id).  A batch is now a row of its own,
 * naming its run, its kind and its PmtInfId (NULL for payments stored
 * before PmtInfIds were recorded: one batch per run and kind); a payment
 * names its batch, which must be of its own run and kind (the composite
 * foreign key), and one index on betaling(batch) serves both: a run's
 * payments are its batches' payments, in the file's order (pain001.h:
 * per kind, batches numbered in the order recorded).
 */
static const char *const migration_12_sql[] = {
	"CREATE TABLE batch (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  run INTEGER NOT NULL REFERENCES run(id),\n"
	"  soort TEXT NOT NULL CHECK (soort = 'CLIENT' OR soort = 'DERDE'),\n"
	"  pmtinf_id TEXT UNIQUE,\n"
	"  UNIQUE (id, run, soort)\n"
	");\n",
	"CREATE INDEX batch_run ON batch(run, soort);\n",
	"INSERT INTO batch (run, soort, pmtinf_id) SELECT run, soort, pmtinf_id FROM betaling"
	" GROUP BY run, soort, pmtinf_id ORDER BY min(id);\n",
	"ALTER TABLE betaling ADD COLUMN batch INTEGER REFERENCES batch(id);\n",
	"UPDATE betaling SET batch = (SELECT p.id FROM batch p WHERE p.run = betaling.run"
	" AND p.soort = betaling.soort AND p.pmtinf_id IS betaling.pmtinf_id);\n",
	"DROP INDEX betaling_pmtinf;\n",
	"DROP INDEX betaling_run;\n",
	"ALTER TABLE betaling DROP COLUMN pmtinf_id;\n",
	"CREATE INDEX betaling_batch ON betaling(batch);\n",
	NULL
};

static int migration_12(struct store *s, struct br_error *err);

/*
 * 13: a settlement is found by its run and dossier (issue 13: two indexes
 * on afrekening were about 32 bytes per dossier and run).  One index on
 * (run, dossier) serves a run's settlements, one dossier's in a run, and
 * a dossier's history run by run (the runs are few); a run's entries go
 * at its end, where an index by dossier first had each run write into
 * every page of it.  A settlement of a run is one of the run's decisions
 * per dossier (foreign key, served by the same index; rows without a run,
 * from before version 3, name none).
 */
static const char *const migration_13_sql[] = {
	"DROP INDEX afrekening_run;\n",
	"DROP INDEX afrekening_dossier;\n",
	"CREATE INDEX afrekening_run ON afrekening(run, dossier);\n",
	NULL
};

static int migration_13(struct store *s, struct br_error *err);

/*
 * 14: the key of a pipeline event that joined a job (jobs.c Q_KEY_SEEN:
 * its JOIN event's reason starts "[key] "), found by index.  Looking it up
 * read every JOIN event of the dossier's job; a dossier whose job is
 * joined every month (income to assess by hand, a third party that does
 * not fit) had one more each run (issue 13: 60 ms of a run after five
 * years at 5,000 dossiers).  The audit trail cannot be changed, so the
 * key is indexed as an expression of the reason rather than stored; a
 * key never holds ']' (jobs_open_event), so the first "] " ends it.
 */
static const char *const migration_14[] = {
	"CREATE INDEX taak_gebeurtenis_sleutel ON taak_gebeurtenis(taak, substr(reden, 2, instr(reden, '] ') - 2))"
	" WHERE gebeurtenis = 'JOIN' AND substr(reden, 1, 1) = '[';\n",
	NULL
};

/*
 * 15: which income records a run saw (settle_store.c load_seen):
 * income arriving for an IOAW/IOAZ/Bbz dossier opens a job (rules.md §5),
 * a record an earlier run saw does not again.  A run prepared before this
 * version saw what had been received when it was made: both times come
 * from the same clock.
 */
static const char *const migration_15[] = {
	"ALTER TABLE run ADD COLUMN inkomen_tot INTEGER;\n",
	"UPDATE run SET inkomen_tot = (SELECT coalesce(max(i.id), 0) FROM inkomen i"
	" JOIN levering l ON l.id = i.levering WHERE l.ontvangen <= run.aangemaakt)"
	" WHERE status IN ('PREPARED', 'APPROVED', 'RELEASED');\n",
	NULL
};

/*
 * 16: each person's income records packed in one row (issue 13;
 * pipeline/incomepack.h): a run after years of history read every record
 * of every person, about 7,700 instructions and a page each.  Derived
 * data, filled by the runs (settle_store.c): a person without a pack, or
 * with records after it, is read from `inkomen` as before.
 */
static const char *const migration_16[] = {
	"CREATE TABLE inkomen_pak (\n"
	"  bsn TEXT PRIMARY KEY CHECK (length(bsn) = 9),\n"
	"  tot INTEGER NOT NULL,\n"
	"  aantal INTEGER NOT NULL,\n"
	"  pak BLOB NOT NULL\n"
	") WITHOUT ROWID;\n",
	NULL
};

static const struct migration migrations[] = {
	{ migration_1, NULL },
	{ migration_2, NULL },
	{ migration_3, NULL },
	{ migration_4, NULL },
	{ NULL, migration_5 },
	{ migration_6_sql, migration_6 },
	{ migration_7, NULL },
	{ migration_8, NULL },
	{ migration_9, NULL },
	{ migration_10, NULL },
	{ migration_11, NULL },
	{ migration_12_sql, migration_12 },
	{ migration_13_sql, migration_13 },
	{ migration_14, NULL },
	{ migration_15, NULL },
	{ migration_16, NULL },
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_version(void)
{
	return N_MIGRATIONS;
}

int store_fail(struct store *s, int sqlite_rc, const char *what, struct br_error *err)
{
	const char *m = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(sqlite_rc);
	enum br_code code;

	switch (sqlite_rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = BR_EBUSY;
		break;
	case SQLITE_CONSTRAINT:
		code = BR_EINPUT;
		break;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		code = BR_EIO;
		break;
	case SQLITE_NOMEM:
		code = BR_ENOMEM;
		break;
	default:
		code = BR_EINTERNAL;
	}
	if (code == BR_EBUSY)
		return br_error_set(err, code, "de opslag is bezet (een ander betaalrun-commando schrijft): %s; probeer het later opnieuw", m);
	return br_error_set(err, code, "fout in de opslag (%s): %s", what, m); /* SQLite's words */
}

int store_exec(struct store *s, const char *sql, struct br_error *err)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_fail(s, rc, "store", err);
	return 0;
}

int store_prepare(struct store *s, sqlite3_stmt **out, const char *sql, struct br_error *err)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, out, NULL);

	if (rc != SQLITE_OK) {
		*out = NULL;
		return store_fail(s, rc, "preparing a store query", err);
	}
	return 0;
}

int store_borrow(struct store *s, sqlite3_stmt **out, const char *sql, struct br_error *err)
{
	int i, rc, free_slot = -1;

	for (i = 0; i < STORE_CACHE_MAX; i++) {
		if (s->cache[i].sql == sql && !s->cache[i].lent) {
			s->cache[i].lent = 1;
			*out = s->cache[i].st;
			return 0;
		}
		if (!s->cache[i].sql && free_slot < 0)
			free_slot = i;
	}
	if ((rc = store_prepare(s, out, sql, err)) < 0)
		return rc;
	/* lent already (a nested use) or no room: the caller's own, finalized
	 * by store_give_back */
	if (free_slot >= 0) {
		s->cache[free_slot].sql = sql;
		s->cache[free_slot].st = *out;
		s->cache[free_slot].lent = 1;
	}
	return 0;
}

void store_give_back(struct store *s, sqlite3_stmt *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < STORE_CACHE_MAX; i++)
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->cache[i].lent = 0;
			return;
		}
	sqlite3_finalize(st);
}

int store_bind_text(sqlite3_stmt *st, int idx, const char *text, int empty_null)
{
	if (!text || (empty_null && !text[0]))
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
}

int store_bind_borrowed(sqlite3_stmt *st, int idx, const char *text, int empty_null)
{
	if (!text || (empty_null && !text[0]))
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, text, -1, SQLITE_STATIC);
}

int store_bind_date(sqlite3_stmt *st, int idx, int32_t day, char *buf)
{
	char own[DATE_FMT_MAX];

	if (day == DATE_NONE)
		return sqlite3_bind_null(st, idx);
	if (buf)
		return sqlite3_bind_text(st, idx, date_format(buf, day), DATE_FMT_MAX - 1, SQLITE_STATIC);
	return sqlite3_bind_text(st, idx, date_format(own, day), DATE_FMT_MAX - 1, SQLITE_TRANSIENT);
}

int store_col_date(int32_t *out, sqlite3_stmt *st, int i, int null_ok, const char *what,
		   struct br_error *err)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	*out = DATE_NONE;
	if (!t && null_ok)
		return 0;
	if (!t || date_parse(out, t, strlen(t), NULL) < 0)
		return br_error_set(err, BR_EINTERNAL, "%s in de opslag is geen datum: '%.20s'", what,
				    t ? t : "NULL");
	return 0;
}

int store_query_int64(struct store *s, const char *sql, int64_t *out, const char *what,
		      struct br_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = store_prepare(s, &st, sql, err)) < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = store_fail(s, rc == SQLITE_DONE ? SQLITE_ERROR : rc, what, err);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct br_error *err)
{
	int rc = sqlite3_step(st);

	rc = rc == SQLITE_DONE ? 0 : store_fail(s, rc, what, err);
	sqlite3_reset(st);
	return rc;
}

const char *store_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

int store_begin(struct store *s, struct br_error *err)
{
	return store_exec(s, "BEGIN IMMEDIATE", err);
}

int store_commit(struct store *s, struct br_error *err)
{
	return store_exec(s, "COMMIT", err);
}

void store_rollback(struct store *s)
{
	if (s && s->db && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3 *store_db(struct store *s)
{
	return s->db;
}

/* The integer a PRAGMA such as user_version or schema_version reads. */
static int store_pragma_int(struct store *s, const char *pragma, int *out, struct br_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = store_prepare(s, &st, pragma, err)) < 0)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = 0;
	} else {
		rc = store_fail(s, sqlite3_errcode(s->db), pragma, err);
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Replace CHECK expressions in the stored table definitions by equivalent
 * ones, in place, following SQLite's procedure for schema changes that
 * leave the stored rows as they are (lang_altertable.html, "Making Other
 * Kinds Of Table Schema Changes"): within the caller's transaction,
 * writable_schema on, UPDATE sqlite_schema, schema_version one up (every
 * connection, this one included, then reparses the schema), writable_schema
 * off, integrity_check of each table rewritten.  The check runs before the
 * commit: it parses the new definitions, so a broken one fails here and is
 * rolled back instead of leaving an unreadable store, and it tests every
 * stored row of the table against its new CHECKs and NOT NULLs.  It reads
 * those tables and their indexes once (the payments of a store with years
 * of national runs are gigabytes: the whole file would be several times
 * that).
 */
static int store_rewrite_checks(struct store *s, const struct check_rewrite *rw, struct br_error *err)
{
	const struct check_rewrite *first = rw;
	sqlite3_stmt *st = NULL;
	const char *res;
	char pragma[64];
	int rc, cookie = 0, writable = 0;

	if ((rc = store_pragma_int(s, "PRAGMA schema_version", &cookie, err)) < 0 ||
	    (rc = store_exec(s, "PRAGMA writable_schema = ON", err)) < 0)
		goto out;
	writable = 1;
	if ((rc = store_prepare(s, &st,
				"UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3)"
				" WHERE type = 'table' AND name = ?1 AND instr(sql, ?2) > 0", err)) < 0)
		goto out;
	for (; rw->table; rw++) {
		sqlite3_bind_text(st, 1, rw->table, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rw->old, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rw->new, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			rc = store_fail(s, rc, "rewriting a table definition", err);
			goto out;
		}
		if (sqlite3_changes(s->db) != 1) {
			rc = br_error_set(err, BR_EINTERNAL,
					  "de opslag kan niet worden bijgewerkt: de definitie van tabel %s mist %s",
					  rw->table, rw->old);
			goto out;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	snprintf(pragma, sizeof(pragma), "PRAGMA schema_version = %d", cookie + 1);
	if ((rc = store_exec(s, pragma, err)) < 0 ||
	    (rc = store_exec(s, "PRAGMA writable_schema = OFF", err)) < 0)
		goto out;
	writable = 0;
	for (rw = first; rw->table; rw++) {
		const struct check_rewrite *e;

		for (e = first; e < rw && strcmp(e->table, rw->table) != 0; e++)
			;
		if (e < rw)
			continue;   /* checked already */
		snprintf(pragma, sizeof(pragma), "PRAGMA integrity_check(\"%s\")", rw->table);
		if ((rc = store_prepare(s, &st, pragma, err)) < 0)
			goto out;
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			rc = store_fail(s, rc, "checking the store after rewriting its CHECK constraints", err);
			goto out;
		}
		res = (const char *)sqlite3_column_text(st, 0);
		if (!res || strcmp(res, "ok") != 0) {
			rc = br_error_set(err, BR_EINTERNAL, "de opslag kan niet worden bijgewerkt: integrity_check"
					  " na het herschrijven van de CHECK-regels: %s", res ? res : "geen uitkomst");
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	if (writable)
		sqlite3_exec(s->db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
	return rc;
}

static int migration_5(struct store *s, struct br_error *err)
{
	return store_rewrite_checks(s, migration_5_checks, err);
}

static int migration_6(struct store *s, struct br_error *err)
{
	return store_rewrite_checks(s, migration_6_checks, err);
}

/* Migration 12's column made NOT NULL and bound to its run and kind; the
 * rows the SQL filled are checked against both. */
static const struct check_rewrite migration_12_checks[] = {
	{ "betaling", ", batch INTEGER REFERENCES batch(id))",
	  ", batch INTEGER NOT NULL,\n  FOREIGN KEY (batch, run, soort) REFERENCES batch(id, run, soort))" },
	{ NULL, NULL, NULL }
};

/* Rewrite table definitions (store_rewrite_checks), then 0 when every
 * count `sql` returns is 0, else BR_EINTERNAL saying `what`: the rows the
 * migration's SQL carried over meet the constraints the rewrite added. */
static int migration_rewrite(struct store *s, const struct check_rewrite *rw, const char *sql, const char *what,
			     struct br_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = store_rewrite_checks(s, rw, err)) < 0 || (rc = store_prepare(s, &st, sql, err)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_int64(st, 0) != 0) {
			sqlite3_finalize(st);
			return br_error_set(err, BR_EINTERNAL, "de opslag kan niet worden bijgewerkt: %s", what);
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "checking a migration", err);
}

static int migration_12(struct store *s, struct br_error *err)
{
	return migration_rewrite(s, migration_12_checks, "SELECT count(*) FROM betaling WHERE batch IS NULL"
				" UNION ALL SELECT count(*) FROM pragma_foreign_key_check('betaling')",
				"een betaling zonder batch van haar eigen run", err);
}

static const struct check_rewrite migration_13_checks[] = {
	{ "afrekening", "  CHECK (run IS NOT NULL OR (berekend IS NOT NULL AND regels_sha256 IS NOT NULL))\n)",
	  "  CHECK (run IS NOT NULL OR (berekend IS NOT NULL AND regels_sha256 IS NOT NULL)),\n"
	  "  FOREIGN KEY (run, dossier) REFERENCES run_dossier(run, dossier)\n)" },
	{ NULL, NULL, NULL }
};

static int migration_13(struct store *s, struct br_error *err)
{
	return migration_rewrite(s, migration_13_checks, "SELECT count(*) FROM pragma_foreign_key_check('afrekening')",
				"een afrekening van een run zonder de beslissing van die run over het dossier", err);
}

/*
 * Each migration and its version bump in one transaction.  The version is
 * read again under the write lock: another process that opened the same
 * store (a `status` during an `ingest`) may have applied the migration
 * meanwhile.  An up-to-date store takes no lock at all.
 */
static int store_migrate(struct store *s, struct br_error *err)
{
	int version = 0, rc = 0, i;

	if ((rc = store_pragma_int(s, "PRAGMA user_version", &version, err)) < 0)
		return rc;
	while (version < N_MIGRATIONS) {
		const struct migration *m;
		char pragma[64];

		if ((rc = store_begin(s, err)) < 0)
			return rc;
		if ((rc = store_pragma_int(s, "PRAGMA user_version", &version, err)) < 0)
			goto fail;
		if (version >= N_MIGRATIONS) {
			store_rollback(s);
			break;
		}
		m = &migrations[version];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
		for (i = 0; m->sql && m->sql[i]; i++)
			if ((rc = store_exec(s, m->sql[i], err)) < 0)
				goto fail;
		if ((m->apply && (rc = m->apply(s, err)) < 0) ||
		    (rc = store_exec(s, pragma, err)) < 0 ||
		    (rc = store_commit(s, err)) < 0)
			goto fail;
		version++;
	}
	if (version > N_MIGRATIONS)
		return br_error_set(err, BR_ECONFIG,
				    "de opslag heeft schemaversie %d, nieuwer dan deze betaalrun (%d): gebruik een nieuwer programma",
				    version, N_MIGRATIONS);
	return 0;
fail:
	store_rollback(s);
	return rc;
}

int store_open(struct store **out, const char *path, int create, struct br_error *err)
{
	struct store *s = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int rc = 0, fd;

	*out = NULL;
	if (create) {
		/* Create the file 0600 ourselves: it holds personal data. */
		if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
			return br_error_set(err, BR_EIO, "de opslag %s kan niet worden gemaakt: %s", path, strerror(errno));
		close(fd);
	} else if (access(path, F_OK) != 0) {
		return br_error_set(err, BR_ENOINPUT,
				    "geen opslag in %s: voer eerst `betaalrun init` uit (of geef --home)", path);
	}
	if (!(s = calloc(1, sizeof(*s))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het openen van de opslag");
	/*
	 * No memory statistics: nothing reads them, and they put a global
	 * mutex around every allocation SQLite makes, which costs atomic
	 * operations once the process has a second thread (intake stores from
	 * one).  Process-wide, and only before SQLite is initialised: when a
	 * store was opened before, this is a harmless SQLITE_MISUSE.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if ((rc = sqlite3_open_v2(path, &s->db, flags, NULL)) != SQLITE_OK) {
		rc = store_fail(s, rc, "cannot open the store", err);
		goto out;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	/*
	 * A new store gets 16 KiB pages (SQLite's default is 4 KiB): its
	 * transactions write a month's register or run at once, and every
	 * page goes to the WAL (two writes), is checkpointed (a read and a
	 * write) and may be spilled and read back meanwhile, one system call
	 * each; four times fewer pages save about 5% of an ingest's CPU and 20%
	 * of a prepare's here.
	 * Only a database without pages takes it: an existing store keeps
	 * the page size it was made with (WAL mode cannot change it).
	 */
	if (create && (rc = store_exec(s, "PRAGMA page_size = 16384", err)) < 0)
		goto out;
	if ((rc = store_exec(s, "PRAGMA journal_mode = WAL", err)) < 0 ||
	    (rc = store_exec(s, "PRAGMA synchronous = NORMAL", err)) < 0 ||
	    (rc = store_exec(s, "PRAGMA foreign_keys = ON", err)) < 0 ||
	    (rc = store_exec(s, "PRAGMA cache_size = -65536", err)) < 0 ||
	    (rc = store_exec(s, "PRAGMA temp_store = FILE", err)) < 0)
		goto out;
	if ((rc = store_migrate(s, err)) < 0)
		goto out;
	*out = s;
	s = NULL;
out:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < STORE_CACHE_MAX; i++)
		sqlite3_finalize(s->cache[i].st);
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s);
}

/* The holder line of a busy lock, printable ASCII and UTF-8 only (the
 * file is ours, but a message must not carry control bytes); "" when
 * there is none. */
static void lock_holder_read(char out[STORE_HOLDER_MAX], int fd)
{
	ssize_t n = pread(fd, out, STORE_HOLDER_MAX - 1, 0);
	ssize_t i;

	if (n < 0)
		n = 0;
	out[n] = '\0';
	for (i = 0; i < n; i++) {
		if (out[i] == '\n') {
			out[i] = '\0';
			break;
		}
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	}
}

/* Once the lock is ours: who holds it, for whoever waits next. */
static void lock_holder_write(int fd, const char *holder)
{
	size_t len = strlen(holder);

	/* best effort: a lock whose holder line cannot be written still
	 * excludes; the waiter then says only that the store is busy */
	if (ftruncate(fd, 0) == 0 && pwrite(fd, holder, len, 0) == (ssize_t)len)
		(void)pwrite(fd, "\n", 1, (off_t)len);
}

int store_lock(const char *lock_path, int wait_ms, const char *holder, struct br_error *err)
{
	int fd, waited = 0;

	if ((fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return br_error_set(err, BR_EIO, "het slotbestand %s kan niet worden geopend: %s", lock_path,
				    strerror(errno));
	for (;;) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		char who[STORE_HOLDER_MAX];

		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (holder)
				lock_holder_write(fd, holder);
			return fd;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int e = errno;
			close(fd);
			return br_error_set(err, BR_EIO, "%s kan niet worden vergrendeld: %s", lock_path, strerror(e));
		}
		if (waited >= wait_ms) {
			lock_holder_read(who, fd);
			close(fd);
			if (who[0])
				return br_error_set(err, BR_EBUSY, "de opslag is bezet: %s; probeer het later opnieuw"
						    " (slot %s)", who, lock_path);
			return br_error_set(err, BR_EBUSY,
					    "de opslag is bezet: een ander betaalrun-commando houdt %s vast;"
					    " probeer het later opnieuw", lock_path);
		}
		nanosleep(&ts, NULL);
		waited += 50;
	}
}

void store_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
