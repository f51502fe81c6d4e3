#!/usr/bin/env bash
# Heronderzoek jobs end to end (signals.md): every signal kind opens the job
# of the table with its priority and due date; signals of one kind for one
# dossier join one job; a signal for the partner matches the couple's
# dossier; a signal without a dossier waits for a snapshot that has one.
# Holds: a held dossier is not paid and is reported; closing the job with
# RECHT_VERVALLEN, GEEN_GEVOLGEN or BEEINDIGD makes the next run pay what is
# then owed, computed here by hand.  The audit trail cannot be changed;
# a corrected income record re-settles a released month (HERBEREKENING); a
# signal kind the table does not know quarantines the file.
#
# Inputs: tests/data/jobs/register.xml (eight PW dossiers, peildatum
# 2026-10-27) and tests/data/jobs/signalen.xml (one signal of every Soort);
# the later snapshot, the income files and the bad signal file are written
# here, so that the amounts the test computes are visibly those it delivers.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
data=tests/data/jobs
home=$tmp/home
keys=$tmp/keys
db=$home/betaalrun.db
mkdir -p "$keys"

br() { "$BR" --home "$home" "$@"; }
q() { sqlite3 "$db" "$1"; }
# round half away from zero of a * b / c, in integers (rules.md §1)
ratio() {
	local n=$(( $1 * $2 )) d=$3
	if [ "$n" -ge 0 ]; then echo $(( (2 * n + d) / (2 * d) )); else echo $(( -((-2 * n + d) / (2 * d)) )); fi
}
excl() { ratio "$1" 95 100; }            # rules.md §2: excl(x) = round(95% × x)
cents() { printf '%d.%02d' $(( $1 / 100 )) $(( $1 % 100 )); }   # for amounts >= 0
plus_days() { date -u -d "$1 +$2 days" +%F; }

# a throwaway CA and two signers, as in test_payrun.sh (no key is committed)
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
done
ossl pkcs12 -export -inkey "$keys/Preparer.key" -in "$keys/Preparer.pem" -out "$keys/prep.p12" -passout pass:geheim-1
cat "$keys/Approver.key" "$keys/Approver.pem" >"$keys/appr.pem"

br init >/dev/null
# startmaand 2026-11: the November run pays only November's advance, so
# every amount below follows from November and December alone
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-11/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
	"$home/betaalrun.conf"

# prepare, approve and (unless "norelease") release month $1; echoes the run id
payrun() {
	local run
	BETAALRUN_KEY_PASS=geheim-1 br run --month "$1" --key "$keys/prep.p12" >"$tmp/run-$1.out" 2>"$tmp/err" \
		|| fail "run $1: $(cat "$tmp/err")"
	run=$(head -n1 "$tmp/run-$1.out")
	[[ "$run" =~ ^BR-[0-9]{6}-[0-9]{4}$ ]] || fail "run $1: first line is not a run id: $run"
	if [ "${2:-}" != norelease ]; then
		br approve "$run" --ja --key "$keys/appr.pem" --pass-fd 3 3</dev/null >/dev/null 2>"$tmp/err" \
			|| fail "approve $run: $(cat "$tmp/err")"
		br release "$run" >/dev/null 2>"$tmp/err" || fail "release $run: $(cat "$tmp/err")"
	fi
	echo "$run"
}
# what run $1 paid dossier $2's client (cents, 0 when nothing)
client_paid() {
	q "SELECT coalesce(sum(b.bedrag_cents), 0) FROM betaling b JOIN dossier d ON d.id = b.dossier
		WHERE d.nummer = '$2' AND b.soort = 'CLIENT' AND b.run = (SELECT id FROM run WHERE msg_id = '$1')"
}
rd_status() {
	q "SELECT rd.status FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier
		WHERE d.nummer = '$2' AND rd.run = (SELECT id FROM run WHERE msg_id = '$1')"
}

# ---- 1. signals become jobs -------------------------------------------------

export BETAALRUN_NOW=2026-11-02T09:00:00
cp "$data/register.xml" "$home/inbox/"
br ingest >/dev/null 2>"$tmp/err" || fail "ingest register: $(cat "$tmp/err")"
[ "$(q 'SELECT count(*) FROM dossier')" = 8 ] || fail "register: $(q 'SELECT count(*) FROM dossier') dossiers, expected 8"
export BETAALRUN_NOW=2026-11-12T09:00:00
cp "$data/signalen.xml" "$home/inbox/"
br ingest >/dev/null 2>"$tmp/err" || fail "ingest signals: $(cat "$tmp/err")"
[ "$(q 'SELECT count(*) FROM signaal')" = 14 ] || fail "signals stored: $(q 'SELECT count(*) FROM signaal'), expected 14"

# signals.md: Soort -> job kind, priority, due in (days)
declare -A TABEL=(
	[START_INKOMSTENVERHOUDING]="INKOMEN 2 14"   [DETENTIE]="DETENTIE 1 5"
	[UITKERING_ANDERE_GEMEENTE]="SAMENLOOP 1 5"  [VOORTVLUCHTIG]="VOORTVLUCHTIG 1 5"
	[STUDIEFINANCIERING]="STUDIE 2 14"           [INSCHRIJVING_HO]="STUDIE 3 28"
	[VERMOGEN]="VERMOGEN 2 28"                   [INKOMSTEN_BOX1_BOX3]="VERMOGEN 3 28"
	[BANKREKENING]="VERMOGEN 3 28"               [VOERTUIG]="VERMOGEN 3 28"
	[KOSTENDELERS]="WOONSITUATIE 2 14"           [OVERLIJDEN]="OVERLIJDEN 1 3"
	[EMIGRATIE]="WOONSITUATIE 1 5"
)
# the signal table shipped must be the one of signals.md (it is data)
for soort in "${!TABEL[@]}"; do
	read -r kind prio days <<<"${TABEL[$soort]}"
	grep -Eq "soort=\"$soort\" .*taak=\"$kind\" +prioriteit=\"$prio\" +termijn=\"$days\"" data/rules/signaaltabel.xml \
		|| fail "signaaltabel.xml differs from signals.md for $soort ($kind $prio $days)"
done
[ "$(grep -c '<Signaal soort=' data/rules/signaaltabel.xml)" = "${#TABEL[@]}" ] || fail "signaaltabel.xml has other kinds than signals.md"

# the delivered signals, and every BSN of the register with its dossier and gemeente
declare -A SOORT DATUM BSN_OF DOSSIER GEMEENTE
while IFS='|' read -r id soort bsn datum; do
	SOORT[$id]=$soort; DATUM[$id]=$datum; BSN_OF[$id]=$bsn
done < <(awk -F'[<>]' '/<SignaalId>/ { id = $3 } /<Soort>/ { s = $3 } /<BSN>/ { b = $3 }
	/<Signaaldatum>/ { d = $3 } /<\/Signaal>/ { print id "|" s "|" b "|" d }' "$data/signalen.xml")
[ "${#SOORT[@]}" = 14 ] || fail "could not read the signal file"
for soort in "${!TABEL[@]}"; do
	printf '%s\n' "${SOORT[@]}" | grep -qx "$soort" || fail "signalen.xml has no signal of kind $soort"
done
reg_map() {
	awk -F'[<>]' '/<Dossiernummer>/ { nr = $3 } /<Gemeente>/ { gm = $3 } /<BSN>/ { print $3 "|" nr "|" gm }' "$1"
}
while IFS='|' read -r bsn nr gm; do DOSSIER[$bsn]=$nr; GEMEENTE[$nr]=$gm; done < <(reg_map "$data/register.xml")

# The worklist CSV as written (excel-nl, the default: BOM, ';', CRLF, the
# municipality's name beside its code) into the comma-separated first
# columns the checks below read: id,dossier,gemeente,soort,prioriteit,
# status,vervaldatum,signalen.  Every gemeentenaam is checked against the
# CBS codes of the seven municipalities (known by hand).
norm_worklist() { # $1 the CSV as written, $2 the normalised copy
	[ "$(head -c3 "$1" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "worklist CSV $1 has no BOM"
	head -n1 "$1" | grep -q $'^\xef\xbb\xbfid;dossier;gemeente;gemeentenaam;soort;prioriteit;status;vervaldatum;signalen;omschrijving;behandelaar\r$' \
		|| fail "worklist CSV header: $(head -n1 "$1")"
	sed '1s/^\xef\xbb\xbf//' "$1" | tr -d '\r' | awk -F';' -v OFS=, '
		BEGIN { n["0498"] = "Drechterland"; n["0388"] = "Enkhuizen"; n["0405"] = "Hoorn"; n["1598"] = "Koggenland"
			n["0420"] = "Medemblik"; n["0432"] = "Opmeer"; n["0532"] = "Stede Broec" }
		NR > 1 && $4 != n[$3] { print "gemeentenaam \"" $4 "\" for " $3 > "/dev/stderr"; bad = 1 }
		{ print $1, $2, $3, $5, $6, $7, $8, $9 }
		END { exit bad }' >"$2" 2>"$tmp/err" || fail "worklist CSV: $(cat "$tmp/err")"
}
worklist() {
	local n said
	br jobs list --csv "$tmp/jobs.raw.csv" >"$tmp/said.txt" 2>"$tmp/err" || fail "jobs list: $(cat "$tmp/err")"
	norm_worklist "$tmp/jobs.raw.csv" "$tmp/jobs.csv"
	# --csv FILE: the file, and one line saying where instead of the table
	n=$(($(wc -l <"$tmp/jobs.csv") - 1))
	said=$(cat "$tmp/said.txt")
	[ "$said" = "werklijst: $n open $([ "$n" = 1 ] && echo taak || echo taken) naar $tmp/jobs.raw.csv" ] \
		|| fail "jobs list --csv printed: $said"
	# --csv -: the same CSV on standard output, no file named -
	(cd "$tmp" && br jobs list --csv - >"$tmp/stdout.csv" 2>"$tmp/err") || fail "jobs list --csv -: $(cat "$tmp/err")"
	cmp -s "$tmp/stdout.csv" "$tmp/jobs.raw.csv" || fail "jobs list --csv - differs from the file"
	[ ! -e "$tmp/-" ] || fail "jobs list --csv - wrote a file named -"
	br jobs list >"$tmp/jobs.txt" 2>"$tmp/err" || fail "jobs list: $(cat "$tmp/err")"
	[ "$(($(wc -l <"$tmp/jobs.txt") - 1))" = "$n" ] || fail "jobs list: the table has not the CSV's $n jobs"
	head -n1 "$tmp/jobs.csv" | grep -q '^id,dossier,gemeente,soort,prioriteit,status,vervaldatum,signalen' \
		|| fail "worklist CSV header: $(head -n1 "$tmp/jobs.csv")"
}
# the CSV row (first eight columns) of the open job holding signal $1
job_row() { tail -n +2 "$tmp/jobs.csv" | cut -d, -f1-8 | awk -F, -v s="$1" '{ n = split($8, a, " "); for (i = 1; i <= n; i++) if (a[i] == s) print }'; }

worklist
unknown=IB-JOBS-14; partner_sig=IB-JOBS-06; join_a=IB-JOBS-09; join_b=IB-JOBS-10
for id in "${!SOORT[@]}"; do
	[ "$id" = "$unknown" ] && continue
	[ "$id" = "$join_a" ] || [ "$id" = "$join_b" ] && continue
	read -r kind prio days <<<"${TABEL[${SOORT[$id]}]}"
	nr=${DOSSIER[${BSN_OF[$id]}]}
	due=$(plus_days "${DATUM[$id]}" "$days")   # signals.md: signaldatum + due days
	row=$(job_row "$id")
	[ -n "$row" ] || fail "signal $id (${SOORT[$id]}): no open job lists it"
	[ "$(wc -l <<<"$row")" = 1 ] || fail "signal $id is in more than one job"
	IFS=, read -r jid jnr jgm jkind jprio jstatus jdue jsigs <<<"$row"
	[ "$jnr,$jgm,$jkind,$jprio,$jstatus,$jdue,$jsigs" = "$nr,${GEMEENTE[$nr]},$kind,$prio,OPEN,$due,$id" ] \
		|| fail "signal $id (${SOORT[$id]}): job '$row', expected dossier $nr gemeente ${GEMEENTE[$nr]} $kind priority $prio OPEN due $due, only $id"
done
ok "every Soort of signals.md opens its job kind with its priority and due date (signaldatum + days)"

# the partner's signal went to the couple's dossier
[ "$(job_row "$partner_sig" | cut -d, -f2)" = PW-0420-000106 ] || fail "partner signal not on the couple's dossier"
# two VERMOGEN signals for one dossier: one job, both ids, the earlier due date
row=$(job_row "$join_a")
[ -n "$row" ] && [ "$row" = "$(job_row "$join_b")" ] || fail "$join_a and $join_b are not in one job"
IFS=, read -r jid jnr jgm jkind jprio jstatus jdue jsigs <<<"$row"
due_a=$(plus_days "${DATUM[$join_a]}" 28); due_b=$(plus_days "${DATUM[$join_b]}" 28)
due=$due_a; [[ "$due_b" < "$due_a" ]] && due=$due_b
[ "$jkind,$jprio,$jdue" = "VERMOGEN,2,$due" ] || fail "joined job: $row, expected VERMOGEN 2 $due"
[ "$(tr ' ' '\n' <<<"$jsigs" | sort | tr '\n' ' ')" = "$join_a $join_b " ] || fail "joined job signals: '$jsigs'"
[ "$(q "SELECT count(*) FROM taak t JOIN dossier d ON d.id = t.dossier WHERE d.nummer = '$jnr' AND t.soort = 'VERMOGEN'")" = 1 ] \
	|| fail "more than one VERMOGEN job for $jnr"
[ "$(q "SELECT count(*) FROM taak_signaal WHERE taak = $jid")" = 2 ] || fail "joined job does not hold two signals"
# twelve jobs: the fourteen signals less the join and the unknown BSN, nothing else
[ "$(q 'SELECT count(*) FROM taak')" = 12 ] && [ "$(($(wc -l <"$tmp/jobs.csv") - 1))" = 12 ] \
	|| fail "expected 12 jobs, store has $(q 'SELECT count(*) FROM taak'), CSV $(($(wc -l <"$tmp/jobs.csv") - 1))"
# the signal without a dossier: kept, on no job
[ -z "$(job_row "$unknown")" ] || fail "$unknown has a job without a dossier"
[ "$(q "SELECT count(*) FROM signaal s JOIN taak_signaal ts ON ts.signaal = s.id WHERE s.signaal_id = '$unknown'")" = 0 ] \
	|| fail "$unknown is linked to a job"
ok "partner signal on the couple's dossier; $join_a+$join_b joined (due $due); $unknown kept unmatched"

# a later snapshot adds the dossier of that BSN: the job appears on ingest
export BETAALRUN_NOW=2026-11-14T09:00:00
new_bsn=${BSN_OF[$unknown]}
sed -e 's/leveringId="[^"]*"/leveringId="REG-JOBS-2026-11-13"/' -e 's/peildatum="[^"]*"/peildatum="2026-11-13"/' \
	-e 's/aanmaakdatum="[^"]*"/aanmaakdatum="2026-11-13T18:00:00"/' -e '/^<\/Clientregister>/d' "$data/register.xml" >"$tmp/register-2.xml"
cat >>"$tmp/register-2.xml" <<XML
  <Dossier>
    <Dossiernummer>PW-0432-000109</Dossiernummer>
    <Regeling>PW</Regeling>
    <Gemeente>0432</Gemeente>
    <Ingangsdatum>2026-11-01</Ingangsdatum>
    <Aanvrager>
      <BSN>$new_bsn</BSN>
      <Naam>J. Bos</Naam>
      <Geboortedatum>1992-09-09</Geboortedatum>
    </Aanvrager>
    <Leefvorm>ALLEENSTAAND</Leefvorm>
    <Kostendelers>0</Kostendelers>
    <Betaalrekening>
      <IBAN>NL35RBRB7582854123</IBAN>
      <Tenaamstelling>J Bos</Tenaamstelling>
    </Betaalrekening>
  </Dossier>
</Clientregister>
XML
cp "$tmp/register-2.xml" "$home/inbox/register-2026-11-13.xml"
br ingest >/dev/null 2>"$tmp/err" || fail "ingest the later snapshot: $(cat "$tmp/err")"
while IFS='|' read -r bsn nr gm; do DOSSIER[$bsn]=$nr; GEMEENTE[$nr]=$gm; done < <(reg_map "$tmp/register-2.xml")
worklist
read -r kind prio days <<<"${TABEL[${SOORT[$unknown]}]}"
due=$(plus_days "${DATUM[$unknown]}" "$days")
row=$(job_row "$unknown")
[ "$(cut -d, -f2-8 <<<"$row")" = "PW-0432-000109,0432,$kind,$prio,OPEN,$due,$unknown" ] \
	|| fail "after the snapshot with its dossier, $unknown: job '$row', expected PW-0432-000109 $kind $prio due $due"
# no BSN in the worklist (the dossier number identifies the case)
for bsn in "${!DOSSIER[@]}"; do
	if grep -q "$bsn" "$tmp/jobs.raw.csv" "$tmp/jobs.txt"; then fail "BSN of ${DOSSIER[$bsn]} in the worklist"; fi
done
ok "$unknown matched after the snapshot that adds PW-0432-000109 ($kind, due $due); no BSN in the worklist"

# the worklist filters: by municipality, by kind, overdue (due before today)
filtered() { # expected ids from the full CSV by an awk condition, then `jobs list` with the options
	local want got
	want=$(tail -n +2 "$tmp/jobs.csv" | awk -F, "$1" | cut -d, -f1 | sort -n | tr '\n' ' ')
	shift
	br jobs list "$@" --csv "$tmp/filtered.raw.csv" >/dev/null 2>"$tmp/err" || fail "jobs list $*: $(cat "$tmp/err")"
	norm_worklist "$tmp/filtered.raw.csv" "$tmp/filtered.csv"
	got=$(tail -n +2 "$tmp/filtered.csv" | cut -d, -f1 | sort -n | tr '\n' ' ')
	[ -n "$want" ] && [ "$got" = "$want" ] || fail "jobs list $*: jobs $got, expected $want"
}
filtered '$3 == "0420"' --gemeente 0420
filtered '$4 == "VERMOGEN"' --soort VERMOGEN
filtered '$7 < "2026-11-14"' --overdue
filtered '$3 == "0420" && $4 == "VERMOGEN"' --gemeente 0420 --soort VERMOGEN
# a municipality by name, any case (0420 is Medemblik)
filtered '$3 == "0420"' --gemeente medemblik
filtered '$3 == "0420" && $4 == "VERMOGEN"' --gemeente MEDEMBLIK --soort VERMOGEN
ok "jobs list --gemeente (code or name), --soort and --overdue select the right jobs"

# ---- 5. a Soort the signal table does not know ---------------------------------------

export BETAALRUN_NOW=2026-11-14T10:00:00
sed -e 's/leveringId="[^"]*"/leveringId="IB-JOBS-ONBEKEND"/' -e 's/<SignaalId>IB-JOBS-/<SignaalId>IB-ONB-/' \
	-e 's/<Soort>VOERTUIG</<Soort>VLIEGTUIG</' "$data/signalen.xml" >"$home/inbox/signalen-onbekend.xml"
set +e
br ingest >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 65 ] || fail "a signal file with an unknown Soort: ingest exit $rc, expected 65"
[ -f "$home/quarantine/signalen-onbekend.xml" ] || fail "the file with an unknown Soort is not in quarantine/"
grep -Eqi "signal ?table|signaaltabel" "$home/quarantine/signalen-onbekend.xml.reason" \
	|| fail "the quarantine reason does not name the signal table: $(cat "$home/quarantine/signalen-onbekend.xml.reason")"
[ "$(q "SELECT count(*) FROM signaal WHERE signaal_id LIKE 'IB-ONB-%'")" = 0 ] || fail "signals of a quarantined file were stored"
ok "a Soort the signal table does not know: file quarantined (65), the reason names the signal table"

# ---- 2. holds -----------------------------------------------------------------

# the 2026-07-01 norm for an alleenstaande aged 21 to AOW age, incl. VT (rules.md §2)
norm=141946
adv=$(excl $norm)     # advance(M) = excl(norm(M)) = round(95% × 1419.46) = 1348.49

D_DET=PW-0405-000101   # DETENTIE from 2026-11-05
D_SAM=PW-0405-000102   # UITKERING_ANDERE_GEMEENTE from 2026-11-01
D_VLU=PW-0498-000103   # VOORTVLUCHTIG from 2026-11-01
D_EMI=PW-0388-000104   # EMIGRATIE from 2026-12-01: no hold in November
D_OVL=PW-0420-000105   # OVERLIJDEN from 2026-11-08
D_INK=PW-0532-000108   # income and its correction (part 4)
D_NUL=PW-1598-000107   # income above the norm, then corrected (part 4)

export BETAALRUN_NOW=2026-11-20T09:00:00
run_nov=$(payrun 2026-11)
f=$home/out/2026-11/$run_nov/pain.001.xml
csv=$home/out/2026-11/$run_nov/rapport-aangehouden.csv
for nr in $D_DET $D_SAM $D_VLU $D_OVL; do
	if grep -q "dossier $nr" "$f"; then fail "November: held dossier $nr has a transaction in pain.001.xml"; fi
	[ "$(rd_status "$run_nov" $nr)" = OPGESCHORT ] || fail "November: $nr is $(rd_status "$run_nov" $nr), expected OPGESCHORT"
	[ "$(client_paid "$run_nov" $nr)" = 0 ] || fail "November: held $nr has a payment"
	# the report lists it with what the hold withholds: November's advance
	grep -q "^$nr;.*;$(cents "$adv" | tr . ,)"$'\r'"\$" "$csv" || fail "November: rapport-aangehouden.csv does not list $nr withholding $(cents "$adv")"
done
[ "$(q "SELECT count(*) FROM boeking b JOIN dossier d ON d.id = b.dossier WHERE d.nummer IN ('$D_DET','$D_SAM','$D_VLU','$D_OVL')")" = 0 ] \
	|| fail "November: something was booked for a held dossier"
# a hold dated after the last day of the month does not hold that month
[ "$(rd_status "$run_nov" $D_EMI)" = BETAALD ] && [ "$(client_paid "$run_nov" $D_EMI)" = "$adv" ] \
	|| fail "November: $D_EMI (hold from 2026-12-01) is $(rd_status "$run_nov" $D_EMI), paid $(client_paid "$run_nov" $D_EMI)"
grep -q "dossier $D_EMI" "$f" || fail "November: $D_EMI not in pain.001.xml"
ok "November ($run_nov): 4 held dossiers not in pain.001.xml, OPGESCHORT, in rapport-aangehouden.csv with $(cents "$adv"); a December hold pays November"

# consultants close three of the holds
export BETAALRUN_NOW=2026-11-30T10:00:00
job_of() { job_row "$1" | cut -d, -f1; }
worklist
j_det=$(job_of IB-JOBS-01); j_sam=$(job_of IB-JOBS-02); j_vlu=$(job_of IB-JOBS-03)
br jobs assign "$j_det" --door cons-017 --toelichting "Ik neem dit op met DJI" >"$tmp/out" 2>"$tmp/err" \
	|| fail "assign $j_det: $(cat "$tmp/err")"
grep -q "in behandeling bij cons-017" "$tmp/out" || fail "jobs assign says: $(cat "$tmp/out")"
[ "$(q "SELECT status || ' ' || door FROM taak WHERE id = $j_det")" = "IN_BEHANDELING cons-017" ] \
	|| fail "jobs assign: job $j_det is $(q "SELECT status || ' ' || door FROM taak WHERE id = $j_det")"
set +e; br jobs assign "$j_det" --door cons-017 >/dev/null 2>"$tmp/err"; rc=$?; set -e
[ $rc = 64 ] && grep -q -- "--toelichting" "$tmp/err" || fail "jobs assign without --toelichting: exit $rc, $(cat "$tmp/err")"
br jobs close "$j_det" --uitkomst RECHT_VERVALLEN --van 2026-11-10 --tot 2026-11-19 --door cons-017 \
	--toelichting "Gedetineerd 10 t/m 19 november volgens DJI" >/dev/null 2>"$tmp/err" || fail "close $j_det: $(cat "$tmp/err")"
br jobs close "$j_sam" --uitkomst GEEN_GEVOLGEN --door cons-023 \
	--toelichting "Alkmaar betaalt niet meer sinds oktober" >/dev/null 2>"$tmp/err" || fail "close $j_sam: $(cat "$tmp/err")"
br jobs close "$j_vlu" --uitkomst BEEINDIGD --datum 2026-11-15 --door cons-023 \
	--toelichting "Uitkering beeindigd per 15 november" >/dev/null 2>"$tmp/err" || fail "close $j_vlu: $(cat "$tmp/err")"
[ "$(q "SELECT count(*) FROM opschorting WHERE taak IN ($j_det, $j_sam, $j_vlu) AND opgeheven IS NULL")" = 0 ] \
	|| fail "closing the jobs did not release their holds"
worklist
for j in $j_det $j_sam $j_vlu; do
	if cut -d, -f1 "$tmp/jobs.csv" | grep -qx "$j"; then fail "closed job $j still on the worklist"; fi
done

# ---- 3. the audit trail ----------------------------------------------------------

br jobs show "$j_det" >"$tmp/show.txt" 2>"$tmp/err" || fail "jobs show: $(cat "$tmp/err")"
grep -E "betaalrun +OPEN +.*IB-JOBS-01" "$tmp/show.txt" >/dev/null || fail "jobs show: no OPEN event by betaalrun naming the signal: $(cat "$tmp/show.txt")"
grep -E "cons-017 +IN_BEHANDELING .*Ik neem dit op met DJI" "$tmp/show.txt" >/dev/null \
	|| fail "jobs show: no IN_BEHANDELING event by the consultant: $(cat "$tmp/show.txt")"
grep -E "cons-017 +AFGEROND .*Gedetineerd 10 t/m 19 november volgens DJI" "$tmp/show.txt" >/dev/null \
	|| fail "jobs show: no AFGEROND event with operator and reason: $(cat "$tmp/show.txt")"
grep -q "RECHT_VERVALLEN van 2026-11-10 tot en met 2026-11-19" "$tmp/show.txt" || fail "jobs show: outcome and period missing"
if grep -Eq '(^|[^0-9])[0-9]{9}([^0-9]|$)' "$tmp/show.txt"; then fail "jobs show prints a nine-digit number (BSN?)"; fi
snap() { sqlite3 "$db" "SELECT * FROM taak; SELECT * FROM taak_gebeurtenis; SELECT * FROM opschorting;
	SELECT * FROM recht_vervallen; SELECT * FROM beeindiging; SELECT * FROM taak_signaal"; }
snap >"$tmp/before"
set +e
BETAALRUN_NOW=2026-12-01T10:00:00 br jobs close "$j_det" --uitkomst GEEN_GEVOLGEN --door cons-099 --toelichting "nog eens" >/dev/null 2>&1; rc=$?
sqlite3 "$db" "UPDATE taak_gebeurtenis SET door = 'x'" 2>/dev/null; rc_u=$?
sqlite3 "$db" "DELETE FROM taak_gebeurtenis" 2>/dev/null; rc_d=$?
set -e
[ "$rc" = 65 ] || fail "closing a closed job: exit $rc, expected 65"
snap >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || fail "closing a closed job changed the store: $(diff "$tmp/before" "$tmp/after" | head -5)"
[ "$rc_u" != 0 ] && [ "$rc_d" != 0 ] || fail "the audit trail can be changed (update $rc_u, delete $rc_d)"
[ "$(q "SELECT count(*) FROM taak_gebeurtenis WHERE door = 'x'")" = 0 ] || fail "the audit trail was changed"
ok "audit trail: OPEN and AFGEROND with operator and reason; closing again exits 65 and changes nothing; UPDATE/DELETE refused"

# ---- 2 (cont.). December pays what is owed after the holds -------------------------

# Polis income for November of the income dossier (part 4), delivered in December
# net = LnLbPh - WrdPrGebrAut - IngLbPh - BijdrZvw - PrWgaWhkWn (rules.md §3)
bsn_of() { awk -F'[<>]' -v nr="$1" '/<Dossiernummer>/ { cur = ($3 == nr) } cur && /<BSN>/ { print $3; exit }' "$data/register.xml"; }
opgave() { # id vervangt bsn lnlbph inglbph bijdrzvw: an ARBEID record for November 2026
	printf '  <Inkomstenopgave>\n    <OpgaveId>%s</OpgaveId>\n%s    <BSN>%s</BSN>\n    <LhNr>123456789L01</LhNr>\n    <NumIV>1</NumIV>\n' \
		"$1" "${2:+    <Vervangt>$2</Vervangt>
}" "$3"
	printf '    <Inkomstensoort>ARBEID</Inkomstensoort>\n    <DatAanvTv>2026-11-01</DatAanvTv>\n    <DatEindTv>2026-11-30</DatEindTv>\n'
	printf '    <LnLbPh>%s</LnLbPh>\n    <VakBsl>0.00</VakBsl>\n    <ExtrPerSal>0.00</ExtrPerSal>\n    <OpnAvwb>0.00</OpnAvwb>\n' "$(cents "$4")"
	printf '    <WrdPrGebrAut>0.00</WrdPrGebrAut>\n    <IngLbPh>%s</IngLbPh>\n    <BijdrZvw>%s</BijdrZvw>\n' "$(cents "$5")" "$(cents "$6")"
	printf '    <PrWgaWhkWn>0.00</PrWgaWhkWn>\n    <IndHeffingskorting>true</IndHeffingskorting>\n  </Inkomstenopgave>\n'
}
levering() { # leveringId aanmaakdatum, records on stdin
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<Inkomstenlevering xmlns="urn:nl:betaalrun:polis:1" leveringId="%s" aanmaakdatum="%s">\n' "$1" "$2"
	cat
	printf '</Inkomstenlevering>\n'
}
ln1=61240; lb1=3115; zvw1=3262      # 612.40 - 31.15 - 32.62
net1=$(( ln1 - lb1 - zvw1 ))         # = 548.63
# and of a dossier whose November income is above the norm: a €0 month
lnz1=160000; lbz1=5000; zvwz1=5000  # 1600.00 - 50.00 - 50.00
netz1=$(( lnz1 - lbz1 - zvwz1 ))     # = 1500.00 >= 1419.46
export BETAALRUN_NOW=2026-12-08T09:00:00
{ opgave P-JOBS-0001 "" "$(bsn_of $D_INK)" $ln1 $lb1 $zvw1
  opgave P-JOBS-0101 "" "$(bsn_of $D_NUL)" $lnz1 $lbz1 $zvwz1; } | levering OIB-JOBS-2026-12 2026-12-08T02:00:00 >"$home/inbox/inkomen-2026-12.xml"
br ingest >/dev/null 2>"$tmp/err" || fail "ingest income: $(cat "$tmp/err")"

export BETAALRUN_NOW=2026-12-14T09:00:00
run_dec=$(payrun 2026-12)
f=$home/out/2026-12/$run_dec/pain.001.xml

# RECHT_VERVALLEN 2026-11-10..19: November has 30 - 10 = 20 days with right
nov_det=$(ratio $norm 20 30)                 # round(1419.46 × 20 / 30) = 946.31
want=$(( adv + $(excl "$nov_det") ))         # December advance + excl(946.31) = 1348.49 + 898.99
got=$(client_paid "$run_dec" $D_DET)
[ "$got" = "$want" ] || fail "December, $D_DET (no right 10-19 Nov): paid $got, expected $want = advance $adv + excl(round(norm×20/30)) $(excl "$nov_det")"
grep -q "dossier $D_DET" "$f" || fail "December: $D_DET not in pain.001.xml"
ok "RECHT_VERVALLEN 10..19 Nov: December pays $(cents "$want") = advance $(cents "$adv") + November 20/30 excl $(cents "$(excl "$nov_det")")"

# GEEN_GEVOLGEN: November's withheld advance in full, plus December's advance
want=$(( adv + adv ))
got=$(client_paid "$run_dec" $D_SAM)
[ "$got" = "$want" ] || fail "December, $D_SAM (GEEN_GEVOLGEN): paid $got, expected $want = November $adv + December $adv"
ok "GEEN_GEVOLGEN: December pays $(cents "$want") = November's withheld advance + December's"

# BEEINDIGD per 2026-11-15: November 1..15 pro rata, no December advance.
# rules.md §2: the first run for a month after the end also pays the VT
# reserved for the months settled (November: right - excl(right)).
nov_vlu=$(ratio $norm 15 30)                 # round(1419.46 × 15 / 30) = 709.73
owed_vlu=$(excl "$nov_vlu")                  # 674.24
vt_vlu=$(( nov_vlu - owed_vlu ))             # 35.49
want=$(( owed_vlu + vt_vlu ))
got=$(client_paid "$run_dec" $D_VLU)
adv_vlu=$(q "SELECT coalesce(sum(b.bedrag_cents), 0) FROM boeking b JOIN dossier d ON d.id = b.dossier
	WHERE d.nummer = '$D_VLU' AND b.soort = 'voorschot' AND b.maand = '2026-12'")
[ "$adv_vlu" = 0 ] || fail "December, $D_VLU (ended 2026-11-15): a December advance of $adv_vlu was booked"
[ "$got" = "$want" ] || fail "December, $D_VLU (BEEINDIGD 2026-11-15): paid $got, expected $want = excl(round(norm×15/30)) $owed_vlu + its VT $vt_vlu"
ok "BEEINDIGD 15 Nov: December pays $(cents "$want") = November 1..15 $(cents "$owed_vlu") + its VT $(cents "$vt_vlu"), no December advance"

# the hold from 2026-12-01 holds December; the one never closed still holds
for nr in $D_EMI $D_OVL; do
	[ "$(rd_status "$run_dec" $nr)" = OPGESCHORT ] && ! grep -q "dossier $nr" "$f" || fail "December: $nr not held"
done

# the income dossier: November settled with its income, deducted from December
owed1=$(excl $(( norm - net1 )))             # right(Nov) = 1419.46 - 548.63 = 870.83, excl 827.29
want=$(( adv + owed1 - adv ))                # advance(Dec) + (owed(Nov) - paid(Nov)) = owed(Nov)
got=$(client_paid "$run_dec" $D_INK)
[ "$got" = "$want" ] || fail "December, $D_INK (net $net1 in November): paid $got, expected $want"
# the €0 month: right(Nov) = max(0, 1419.46 - 1500.00) = 0, so the December
# advance goes to November's deduction; nothing is paid, the month is NUL
rightz1=$(( netz1 >= norm ? 0 : norm - netz1 ))   # min(norm, max(0, norm - income))
owedz1=$(excl $rightz1)
wantz=$(( adv + owedz1 - adv )); [ "$wantz" -lt 0 ] && wantz=0   # never below €0
[ "$(client_paid "$run_dec" $D_NUL)" = "$wantz" ] && [ "$wantz" = 0 ] && [ "$(rd_status "$run_dec" $D_NUL)" = NUL ] \
	|| fail "December, $D_NUL (net $netz1 >= norm): paid $(client_paid "$run_dec" $D_NUL), status $(rd_status "$run_dec" $D_NUL), expected 0 NUL"
ok "December ($run_dec): $D_INK pays $(cents "$want") (November net $(cents $net1) settled); December holds $D_EMI and $D_OVL"

# ---- 4. re-settlement ---------------------------------------------------------------

# after December is released, the employer corrects November downwards
ln2=45000; lb2=1210; zvw2=2400      # 450.00 - 12.10 - 24.00
net2=$(( ln2 - lb2 - zvw2 ))         # = 413.90
lnz2=110000; lbz2=5000; zvwz2=5000  # 1100.00 - 50.00 - 50.00
netz2=$(( lnz2 - lbz2 - zvwz2 ))     # = 1000.00
export BETAALRUN_NOW=2026-12-28T09:00:00
{ opgave P-JOBS-0002 P-JOBS-0001 "$(bsn_of $D_INK)" $ln2 $lb2 $zvw2
  opgave P-JOBS-0102 P-JOBS-0101 "$(bsn_of $D_NUL)" $lnz2 $lbz2 $zvwz2; } | levering OIB-JOBS-2026-12-C 2026-12-28T02:00:00 >"$home/inbox/inkomen-correctie.xml"
br ingest >/dev/null 2>"$tmp/err" || fail "ingest the correction: $(cat "$tmp/err")"
export BETAALRUN_NOW=2027-01-14T09:00:00
run_jan=$(payrun 2027-01 norelease)
owed2=$(excl $(( norm - net2 )))             # right(Nov) = 1419.46 - 413.90 = 1005.56, excl 955.28
diff=$(( owed2 - owed1 ))                    # owed(Nov) now - paid(Nov) = 955.28 - 827.29
want=$(( adv + diff ))                       # January (2026-07-01 norms still in force) + the difference
got=$(client_paid "$run_jan" $D_INK)
[ "$got" = "$want" ] || fail "January, $D_INK after the correction: paid $got, expected $want = advance $adv + difference $diff"
h=$(q "SELECT t.status || '|' || coalesce(t.bedrag_cents, '') FROM taak t JOIN dossier d ON d.id = t.dossier
	WHERE d.nummer = '$D_INK' AND t.soort = 'HERBEREKENING'")
[ "$h" = "AFGEROND|$diff" ] || fail "HERBEREKENING job for $D_INK: '$h', expected one, AFGEROND with $diff"
ok "correction of November re-settled in January ($run_jan): pays $(cents "$want") incl. difference $(cents "$diff"); HERBEREKENING AFGEROND $(cents "$diff")"

# The €0 month corrected: right(Nov) = 1419.46 - 1000.00 = 419.46, owed
# excl(419.46) = 398.49, paid(Nov) = 1348.49 advance - 1348.49 deducted = 0.
# signals.md "Re-settlement": the payment changed because a record was
# corrected, so this is recorded as a HERBEREKENING too.  Kept last: the
# implementation pays the difference but records no HERBEREKENING for a
# month whose paid(k) is 0 (payrun.c open_jobs tests m->paid_cents != 0).
diffz=$(( $(excl $(( norm - netz2 ))) - owedz1 ))
want=$(( adv + diffz ))
got=$(client_paid "$run_jan" $D_NUL)
[ "$got" = "$want" ] || fail "January, $D_NUL after the correction of its €0 November: paid $got, expected $want = advance $adv + $diffz"
h=$(q "SELECT t.status || '|' || coalesce(t.bedrag_cents, '') FROM taak t JOIN dossier d ON d.id = t.dossier
	WHERE d.nummer = '$D_NUL' AND t.soort = 'HERBEREKENING'")
[ "$h" = "AFGEROND|$diffz" ] || fail "January pays $D_NUL $(cents "$diffz") for its corrected €0 November, but the HERBEREKENING job is '$h', expected AFGEROND|$diffz"
ok "correction of a €0 month re-settled in January: pays $(cents "$want"); HERBEREKENING AFGEROND $(cents "$diffz")"
