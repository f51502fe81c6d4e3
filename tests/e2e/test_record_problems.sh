#!/usr/bin/env bash
# Record problems block only their dossier (formats.md §5, issue 15): a
# register with one dossier of each kind — a Dutch IBAN failing mod-97, one
# of the wrong length, a Saudi and a Brazilian IBAN that pass mod-97 but are
# outside the SEPA scheme, a third party with a non-SEPA IBAN, a
# Dossiernummer holding nine digits in a row — is accepted; the dry run and
# the run succeed; those dossiers are blocked with masked reasons and
# REGISTER jobs; every other dossier is paid, to the cent, what it is paid
# in a home that got the same register without them; no account number or
# nine-digit run reaches the report or the blocked dossiers'
# specifications.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
keys=$tmp/keys
mkdir -p "$keys"

# a throwaway CA and two signers, generated now (no key is committed)
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
ossl req -newkey rsa:2048 -nodes -keyout "$keys/prep.key" -out "$keys/prep.csr" -subj "/O=WerkSaam Westfriesland/CN=Preparer"
ossl x509 -req -in "$keys/prep.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/prep.pem" -days 365
ossl pkcs12 -export -inkey "$keys/prep.key" -in "$keys/prep.pem" -out "$keys/prep.p12" -passout pass:geheim-1

# ---- the register: brgen's, with six dossiers made defective --------------

"$BRGEN" --seed 15 --dossiers 120 --income-records 40 --signals 0 --out "$tmp/gen" >/dev/null
SA=SA0380000000608010167519         # SWIFT registry examples: pass mod-97
BR_IBAN=BR1800360305000010009795493C1
AE=AE070331234567890123456
NR9=PW-0405-123456789

# One awk pass over whole <Dossier> blocks.  The first five dossiers that
# are active and not held (no Einddatum, no Opschorting) and have no third
# party get an account defect each, in this order; the first such dossier
# with a third party gets a non-SEPA IBAN for it.  mode=defect writes them
# changed, mode=control leaves them out, mode=list prints "kind nummer".
defects() {
	awk -v mode="$1" -v sa="$SA" -v br="$BR_IBAN" -v ae="$AE" -v nr9="$NR9" '
	# the first IBAN after `after` in blk, changed by kind
	function edit_iban(after, kind,   p, head, rest, iban) {
		p = index(blk, after); head = substr(blk, 1, p - 1); rest = substr(blk, p)
		match(rest, /<IBAN>[A-Z0-9]*<\/IBAN>/)
		iban = substr(rest, RSTART + 6, RLENGTH - 13)
		if (kind == "mod97") iban = substr(iban, 1, length(iban) - 1) ((substr(iban, length(iban)) + 1) % 10)
		if (kind == "length") iban = substr(iban, 1, length(iban) - 1)
		if (kind == "sa") iban = sa
		if (kind == "br") iban = br
		if (kind == "derde") iban = ae
		blk = head substr(rest, 1, RSTART - 1) "<IBAN>" iban "</IBAN>" substr(rest, RSTART + RLENGTH)
	}
	function flush(   kind, nummer) {
		kind = ""
		if (blk !~ /<Einddatum>/ && blk !~ /<Opschorting/) {
			if (blk ~ /<BetalingAanDerden>/) { if (!derde_done) { kind = "derde"; derde_done = 1 } }
			else if (n_acct < 5) kind = acct[++n_acct]
		}
		if (kind == "") { printf "%s", blk; return }
		match(blk, /<Dossiernummer>[^<]*</); nummer = substr(blk, RSTART + 15, RLENGTH - 16)
		if (mode == "list") { print kind, (kind == "nummer" ? nr9 : nummer) > "/dev/stderr"; return }
		if (mode == "control") return
		if (kind == "derde") edit_iban("<BetalingAanDerden>", kind)
		else if (kind == "nummer") sub(/<Dossiernummer>[^<]*</, "<Dossiernummer>" nr9 "<", blk)
		else edit_iban("<Betaalrekening>", kind)
		printf "%s", blk
	}
	BEGIN { split("mod97 length sa br nummer", acct, " ") }
	/<Dossier>/ { inblk = 1; blk = "" }
	inblk { blk = blk $0 "\n"; if (/<\/Dossier>/) { inblk = 0; flush() }; next }
	{ print }' "$tmp/gen/register.xml"
}
defects defect >"$tmp/register-defect.xml"
defects control >"$tmp/register-control.xml"
defects list 2>"$tmp/kinds" >/dev/null
[ "$(wc -l <"$tmp/kinds")" = 6 ] || fail "setup: $(wc -l <"$tmp/kinds") defective dossiers chosen, expected 6: $(cat "$tmp/kinds")"
nummer() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/kinds"; }
blocked=$(cut -d' ' -f2 "$tmp/kinds" | sort)
in_list=$(sed "s/^[a-z0-9]* \(.*\)/'\1'/" "$tmp/kinds" | paste -sd,)
[ "$(grep -c '<Dossier>' "$tmp/register-control.xml")" = 114 ] || fail "setup: control register does not hold 114 dossiers"
for f in defect control; do
	xmllint --noout --schema data/schemas/clientregister.xsd "$tmp/register-$f.xml" 2>/dev/null \
		|| fail "setup: the $f register is not valid against the schema"
done
grep -q "<IBAN>$SA</IBAN>" "$tmp/register-defect.xml" && grep -q "<IBAN>$AE</IBAN>" "$tmp/register-defect.xml" \
	&& grep -q "<Dossiernummer>$NR9</Dossiernummer>" "$tmp/register-defect.xml" || fail "setup: defects not written"

# ---- two homes: the defects and the control --------------------------------

export BETAALRUN_NOW=2026-11-20T09:00:00
for h in defect control; do
	home=$tmp/$h
	"$BR" --home "$home" init >/dev/null
	sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
		-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
		"$home/betaalrun.conf"
	cp "$tmp/register-$h.xml" "$home/inbox/register.xml"
	cp "$tmp"/gen/inkomen-*.xml "$home/inbox/"
	"$BR" --home "$home" ingest >"$tmp/$h.ingest" 2>"$tmp/$h.ingest.err" || fail "$h: ingest exited $?: $(cat "$tmp/$h.ingest.err")"
	[ -z "$(ls -A "$home/quarantine")" ] || fail "$h: something was quarantined: $(cat "$home"/quarantine/*.reason)"
done
D=$tmp/defect C=$tmp/control
n=$(count "$D" "SELECT dossiers || '/' || gemarkeerd FROM snapshot")
[ "$n" = 120/6 ] || fail "snapshot dossiers/gemarkeerd is $n, expected 120/6"
[ "$(count "$C" 'SELECT gemarkeerd FROM snapshot')" = 0 ] || fail "the control register has record problems"

# the problem of each dossier, in words, masked
probleem() {
	count "$D" "SELECT s.probleem FROM stand s JOIN dossier d ON d.id = s.dossier WHERE d.nummer = '$1'"
}
expect_problem() {
	local p
	p=$(probleem "$(nummer "$1")")
	[ "$p" = "$2" ] || fail "$1 ($(nummer "$1")): probleem '$p', expected '$2'"
}
src="EPC409-09 v8.0, 24 December 2025"
mod97_iban=$(sed -n "/<Dossiernummer>$(nummer mod97)</,/<\/Dossier>/p" "$tmp/register-defect.xml" | grep -o '<IBAN>[A-Z0-9]*' | head -1 | cut -c7-)
len_iban=$(sed -n "/<Dossiernummer>$(nummer length)</,/<\/Dossier>/p" "$tmp/register-defect.xml" | grep -o '<IBAN>[A-Z0-9]*' | head -1 | cut -c7-)
derde_ken=$(sed -n "/<Dossiernummer>$(nummer derde)</,/<\/Dossier>/p" "$tmp/register-defect.xml" | grep -B2 "<IBAN>$AE" | grep -o '<Kenmerk>[^<]*' | cut -c10-)
expect_problem mod97 "account: IBAN ****${mod97_iban: -4} fails the mod-97 check"
expect_problem length "account: IBAN ****${len_iban: -4} has 17 characters; an IBAN of NL has 18"
expect_problem sa "account: IBAN ****7519 is of SA, a country outside the SEPA scheme ($src)"
expect_problem br "account: IBAN ****93C1 is of BR, a country outside the SEPA scheme ($src)"
expect_problem derde "third party $derde_ken: IBAN ****3456 is of AE, a country outside the SEPA scheme ($src)"
expect_problem nummer "the Dossiernummer holds a run of nine or more digits (it could be a BSN and would reach the payment file)"
[ "$(count "$D" "SELECT count(DISTINCT t.dossier) FROM taak t JOIN dossier d ON d.id = t.dossier
	WHERE t.soort = 'REGISTER' AND t.status = 'OPEN' AND d.nummer IN ($in_list)")" = 6 ] \
	|| fail "not every defective dossier has an open REGISTER job after ingest"
ok "register with 6 record problems accepted: each dossier marked in words, a REGISTER job each"

# ---- dry run and run: both succeed, for both homes --------------------------

for h in defect control; do
	home=$tmp/$h
	"$BR" --home "$home" run --month 2026-11 --dry-run >"$tmp/$h.dry" 2>"$tmp/$h.dry.err" \
		|| fail "$h: dry run exited $?: $(cat "$tmp/$h.dry.err")"
	[ -f "$home/out/2026-11/dry-run/rapport.html" ] || fail "$h: the dry run wrote no report"
	BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" >"$tmp/$h.run" 2>"$tmp/$h.run.err" \
		|| fail "$h: run exited $?: $(cat "$tmp/$h.run.err")"
	run=$(head -n1 "$tmp/$h.run")
	[[ "$run" =~ ^BR-202611-[0-9]{4}$ ]] || fail "$h: first line is not the run id: $run"
	eval "run_$h=\$run"
done
ok "dry run and run succeed with the record problems (exit 0)"

# ---- the defective dossiers: blocked, masked, nothing paid ------------------

st=$(count "$D" "SELECT group_concat(d.nummer || '=' || rd.status, ' ') FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier
	WHERE d.nummer IN ($in_list) AND rd.run = (SELECT id FROM run WHERE msg_id = '$run_defect')")
for nr in $blocked; do
	grep -qw -- "$nr=GEBLOKKEERD" <<<"$st" || fail "$nr is not GEBLOKKEERD in the run: $st"
done
[ "$(count "$D" "SELECT count(*) FROM betaling b JOIN dossier d ON d.id = b.dossier WHERE d.nummer IN ($in_list)")" = 0 ] \
	|| fail "a defective dossier was paid"
count "$D" "SELECT rd.reden FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier WHERE d.nummer IN ($in_list)
	UNION ALL SELECT t.omschrijving || ' ' || coalesce(t.sleutel, '') FROM taak t JOIN dossier d ON d.id = t.dossier
	WHERE d.nummer IN ($in_list)" >"$tmp/reasons"
grep -q "IBAN \*\*\*\*7519 is of SA" "$tmp/reasons" || fail "the block reasons do not say why: $(head -3 "$tmp/reasons")"
f=$D/out/2026-11/$run_defect/pain.001.xml
for iban in "$SA" "$BR_IBAN" "$AE" "$mod97_iban" "$len_iban"; do
	grep -qF "$iban" "$f" && fail "$iban is in the payment file"
done
grep -qF "$NR9" "$f" && fail "the nine-digit dossier number is in the payment file"

# no account number of a defective dossier, no nine-digit run, in the
# reasons, the jobs, the reports and the blocked dossiers' specifications
scan=("$tmp/reasons")
for dir in "$D/out/2026-11/dry-run" "$D/out/2026-11/$run_defect"; do
	scan+=("$dir/rapport.html" "$dir"/rapport-*.csv)
	spec_keys "$dir" | grep -E '[0-9]{9}' && fail "a specification's index key in $dir holds nine digits in a row"
	cdir=$C/out/2026-11/$run_control
	[ "${dir##*/}" = dry-run ] && cdir=$C/out/2026-11/dry-run
	# the blocked dossiers' specifications: those the control home has not
	LC_ALL=C comm -23 <(spec_keys "$dir" | LC_ALL=C sort) <(spec_keys "$cdir" | LC_ALL=C sort) >"$tmp/specs"
	[ "$(wc -l <"$tmp/specs")" = 6 ] || fail "$dir: $(wc -l <"$tmp/specs") specifications of blocked dossiers, expected 6"
	while read -r key; do
		spec_text "$dir" "$key" >"$tmp/spec-${dir##*/}-$key.txt" || fail "$key: no text in $dir"
		scan+=("$tmp/spec-${dir##*/}-$key.txt")
	done <"$tmp/specs"
done
for iban in "$SA" "$BR_IBAN" "$AE" "$mod97_iban" "$len_iban"; do
	grep -lF "$iban" "${scan[@]}" && fail "$iban is in a reason, job, report or specification"
	# what the commands print (the run prints hashes: no digit check there)
	grep -lF "$iban" "$tmp"/defect.* && fail "$iban is in what ingest or run printed"
done
grep -lE '[0-9]{9}' "${scan[@]}" && fail "a run of nine digits is in a reason, job, report or specification"
for nr in $blocked; do
	shown=$(sed -E 's/[0-9]{5}([0-9]{4})/*****\1/' <<<"$nr")
	grep -qF -- "$shown" "$D/out/2026-11/$run_defect/rapport-geblokkeerd.csv" || fail "$nr is not listed in the report"
done
ok "the 6 dossiers are GEBLOKKEERD, unpaid, listed; no account number or nine-digit run in reasons, jobs, report, specifications"

# the report and the worklist say the problems in Dutch (written out here
# from the English above)
blk=$D/out/2026-11/$run_defect/rapport-geblokkeerd.csv
for nl in "rekening: IBAN ****${mod97_iban: -4} voldoet niet aan de mod-97-controle" \
	"rekening: IBAN ****${len_iban: -4} heeft 17 tekens; een IBAN van NL heeft er 18" \
	"rekening: IBAN ****7519 is van SA, een land buiten het SEPA-gebied ($src)" \
	"rekening: IBAN ****93C1 is van BR, een land buiten het SEPA-gebied ($src)" \
	"derde $derde_ken: IBAN ****3456 is van AE, een land buiten het SEPA-gebied ($src)" \
	"het dossiernummer bevat negen of meer cijfers achter elkaar (het kan een BSN zijn en zou in het betaalbestand komen)"; do
	grep -qF -- "$nl" "$blk" || fail "rapport-geblokkeerd.csv lacks '$nl': $(cat "$blk")"
	grep -qF -- "$nl" "$D/out/2026-11/$run_defect/rapport.html" || fail "rapport.html lacks '$nl'"
done
"$BR" --home "$D" jobs list --soort REGISTER --csv "$tmp/werklijst.csv" >/dev/null 2>"$tmp/err" || fail "jobs list: $(cat "$tmp/err")"
[ "$(grep -c 'registergegevens houden de betaling tegen: ' "$tmp/werklijst.csv")" = 6 ] \
	|| fail "the worklist does not show the 6 REGISTER jobs in Dutch: $(cat "$tmp/werklijst.csv")"
grep -qF "rekening: IBAN ****7519 is van SA, een land buiten het SEPA-gebied ($src)" "$tmp/werklijst.csv" \
	|| fail "the worklist does not say the SA problem in Dutch"
"$BR" --home "$D" jobs list >"$tmp/werklijst.txt" 2>"$tmp/err" || fail "jobs list: $(cat "$tmp/err")"
grep -lE '[0-9]{9}' "$tmp/werklijst.csv" "$tmp/werklijst.txt" && fail "a run of nine digits (a BSN?) in the worklist"
grep -q "PW-0405-\*\*\*\*\*6789;" "$tmp/werklijst.csv" || fail "the nine-digit dossier number is not on the worklist, masked"
# jobs show: the job of the nine-digit dossier number, masked, its text in Dutch (issue 12)
job9=$(count "$D" "SELECT t.id FROM taak t JOIN dossier d ON d.id = t.dossier WHERE d.nummer = '$NR9' AND t.soort = 'REGISTER'")
[ -n "$job9" ] || fail "no REGISTER job for $NR9"
"$BR" --home "$D" jobs show "$job9" >"$tmp/job9.txt" 2>"$tmp/err" || fail "jobs show $job9: $(cat "$tmp/err")"
grep -qx '  dossier        PW-0405-\*\*\*\*\*6789 (gemeente [0-9]\{4\})' "$tmp/job9.txt" \
	|| fail "jobs show does not mask the dossier number: $(cat "$tmp/job9.txt")"
grep -qF "  omschrijving   registergegevens houden de betaling tegen: het dossiernummer bevat negen of meer cijfers" \
	"$tmp/job9.txt" || fail "jobs show does not say the problem in Dutch: $(cat "$tmp/job9.txt")"
grep -lE '[0-9]{9}' "$tmp/job9.txt" && fail "a run of nine digits (a BSN?) in jobs show"
# what it says, in Dutch; the job's key is an identifier and stays as stored
grep -v '^  sleutel ' "$tmp/job9.txt" >"$tmp/job9-tekst.txt"
# the dossier view of a month without a run says why the payment is blocked, in Dutch
"$BR" --home "$D" dossier "$(nummer mod97)" --month 2026-12 >"$tmp/dossier-mod97.txt" 2>"$tmp/err" \
	|| fail "dossier $(nummer mod97): $(cat "$tmp/err")"
grep -qxF "LET OP: betaling geblokkeerd door een registerprobleem: rekening: IBAN ****${mod97_iban: -4} voldoet niet aan de mod-97-controle" \
	"$tmp/dossier-mod97.txt" || fail "the dossier view does not say the problem in Dutch: $(head -5 "$tmp/dossier-mod97.txt")"
for en in "fails the" "account:" "third party" "outside the SEPA" "Dossiernummer holds" "register data blocks"; do
	grep -lF -- "$en" "$blk" "$D/out/2026-11/$run_defect/rapport.html" "$tmp/werklijst.csv" "$tmp/job9-tekst.txt" \
		"$tmp/dossier-mod97.txt" \
		&& fail "'$en' (English) in the report or the worklist"
done
ok "the record problems in Dutch in rapport-geblokkeerd.csv, rapport.html, the worklist CSV, jobs show and the dossier view; no nine-digit run on the worklist or in jobs show"

# ---- every other dossier: paid to the cent as in the control home ----------

pays() {
	count "$1" "SELECT d.nummer, b.soort, b.bedrag_cents, b.iban, coalesce(b.kenmerk, '') FROM betaling b
		JOIN dossier d ON d.id = b.dossier WHERE b.run = (SELECT id FROM run WHERE msg_id = '$2')
		ORDER BY 1, 2, 3, 4, 5"
}
settled() {
	count "$1" "SELECT d.nummer, rd.status, rd.client_cents, rd.derden_cents, rd.inhouding_cents, rd.verrekend_cents
		FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier
		WHERE rd.run = (SELECT id FROM run WHERE msg_id = '$2') AND d.nummer NOT IN ($in_list) ORDER BY 1"
}
pays "$D" "$run_defect" >"$tmp/pays.defect"
pays "$C" "$run_control" >"$tmp/pays.control"
settled "$D" "$run_defect" >"$tmp/settled.defect"
settled "$C" "$run_control" >"$tmp/settled.control"
[ "$(wc -l <"$tmp/pays.control")" -ge 60 ] || fail "setup: only $(wc -l <"$tmp/pays.control") payments in the control run"
diff "$tmp/pays.control" "$tmp/pays.defect" >"$tmp/diff" || fail "payments differ from the control home: $(head -5 "$tmp/diff")"
diff "$tmp/settled.control" "$tmp/settled.defect" >"$tmp/diff" || fail "settlements differ from the control home: $(head -5 "$tmp/diff")"
total=$(awk -F'|' '{ s += $3 } END { print s }' "$tmp/pays.defect")
ok "the other 114 dossiers: $(wc -l <"$tmp/pays.defect") payments, € $((total / 100)),$(printf '%02d' $((total % 100))), equal to the cent to the control home"
