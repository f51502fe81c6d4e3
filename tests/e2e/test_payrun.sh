#!/usr/bin/env bash
# The monthly payment run end to end (issue 4): ingest the samples, prepare,
# approve (four-eyes), release, verify the file against the official
# schemas and the signatures with openssl, the totals against the
# settlement; a bank's pain.002 rejects two payments; after the register is
# corrected the next month pays them again.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
XSD=$(cd data/schemas/iso20022 && pwd)
home=$tmp/home
keys=$tmp/keys
mkdir -p "$keys"

# a throwaway CA and two signers, generated now (no key is committed)
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
done
ossl pkcs12 -export -inkey "$keys/Preparer.key" -in "$keys/Preparer.pem" -out "$keys/prep.p12" -passout pass:geheim-1
cat "$keys/Approver.key" "$keys/Approver.pem" >"$keys/appr.pem"

"$BR" --home "$home" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
	"$home/betaalrun.conf"
cp samples/register-*.xml "$home/inbox/"; "$BR" --home "$home" ingest >/dev/null 2>&1
cp samples/inkomen-*.xml* samples/signalen-*.xml "$home/inbox/"; "$BR" --home "$home" ingest >/dev/null 2>&1
db=$home/betaalrun.db

export BETAALRUN_NOW=2026-11-20T09:00:00
# dry run: a report, nothing booked
"$BR" --home "$home" run --month 2026-11 --dry-run >"$tmp/dry.out" 2>"$tmp/err" || fail "dry run: $(cat "$tmp/err")"
[ -f "$home/out/2026-11/dry-run/rapport.html" ] || fail "dry run wrote no report"
[ "$(count "$home" 'SELECT count(*) FROM run') $(count "$home" 'SELECT count(*) FROM boeking')" = "0 0" ] || fail "dry run booked something"
ok "dry run: report written, nothing booked"

# prepare
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" >"$tmp/run.out" 2>"$tmp/err" \
	|| fail "run: $(cat "$tmp/err")"
run=$(head -n1 "$tmp/run.out")
[[ "$run" =~ ^BR-202611-[0-9]{4}$ ]] || fail "first line is not the run id: $run"
grep -q "geheim" "$tmp/run.out" "$tmp/err" && fail "the passphrase was printed"
dir=$home/out/2026-11/$run
f=$dir/pain.001.xml
for x in pain.001.001.09.xsd EPC132-08_2023_V1.0_SCT_C2PSP_pain.001.001.09.xsd; do
	xmllint --noout --schema "$XSD/$x" "$f" 2>"$tmp/xsd" || fail "$x rejects the payment file: $(head -3 "$tmp/xsd")"
done
[ "$(head -c 39 "$f")" = '<?xml version="1.0" encoding="UTF-8"?>' ] || fail "XML declaration"
[ "$(wc -l <"$f")" = 1 ] || fail "more than one line break in the payment file"
openssl cms -verify -binary -inform DER -in "$f.p7s" -content "$f" -CAfile "$keys/ca.pem" -purpose any -out /dev/null 2>/dev/null \
	|| fail "openssl cms -verify rejects the preparer's signature"
[ "$(stat -c %a "$f")" = 600 ] || fail "payment file not 0600"
grep -q "^sha256 *$(sha256sum "$f" | cut -c1-64)" "$tmp/run.out" || fail "run did not print the file's SHA-256"
grep -q "^sha1 *$(sha1sum "$f" | cut -c1-40)" "$tmp/run.out" || fail "run did not print the file's SHA-1"
# totals: the file's amounts = its CtrlSum = the ledger = the settlement
file_sum=$(grep -o '<InstdAmt Ccy="EUR">[0-9]*\.[0-9][0-9]' "$f" | sed 's/.*>//' | awk -F. '{s += $1 * 100 + $2} END {print s}')
ctrl=$(grep -o '<GrpHdr>.*</GrpHdr>' "$f" | grep -o '<CtrlSum>[0-9.]*' | head -1 | sed 's/<CtrlSum>//' | awk -F. '{print $1 * 100 + $2}')
nb=$(grep -o '<GrpHdr>.*</GrpHdr>' "$f" | grep -o '<NbOfTxs>[0-9]*' | head -1 | sed 's/<NbOfTxs>//')
[ "$file_sum" = "$ctrl" ] || fail "CtrlSum $ctrl is not the sum of the amounts $file_sum"
[ "$nb" = "$(grep -o '<CdtTrfTxInf>' "$f" | wc -l)" ] || fail "NbOfTxs"
ledger=$(count "$home" "SELECT sum(bedrag_cents) FROM betaling WHERE run = (SELECT id FROM run WHERE msg_id = '$run')")
settled=$(count "$home" "SELECT sum(client_cents + derden_cents) FROM run_dossier WHERE run = (SELECT id FROM run WHERE msg_id = '$run') AND status IN ('BETAALD','NUL')")
[ "$file_sum" = "$ledger" ] && [ "$ledger" = "$settled" ] || fail "file $file_sum, payments $ledger, settlement $settled differ"
# no BSN anywhere in the file
sqlite3 "$db" 'SELECT bsn FROM persoon' >"$tmp/bsns"
grep -F -f "$tmp/bsns" "$f" >/dev/null && fail "a BSN is in the payment file"
[ "$(spec_keys "$dir" | wc -l)" -gt 2000 ] || fail "too few specifications"
for name in rapport.html rapport-totalen.csv rapport-aangehouden.csv rapport-geblokkeerd.csv \
	rapport-derden-niet-betaald.csv rapport-inhoudingen.csv rapport-teruggeboekt.csv manifest.xml; do
	[ -f "$dir/$name" ] || fail "$name missing"
done
[ "$(count "$home" "SELECT count(*) FROM boeking WHERE vrijgegeven IS NOT NULL")" = 0 ] || fail "bookings released before release"
hist_nr=$(count "$home" "SELECT d.nummer FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier WHERE rd.status = 'BETAALD' AND d.nummer LIKE 'PW-%' ORDER BY d.nummer LIMIT 1")
"$BR" --home "$home" dossier "$hist_nr" --month 2026-12 >"$tmp/hist.txt" 2>/dev/null || fail "dossier $hist_nr"
grep -A1 '^Geschiedenis (vrijgegeven afrekeningen):' "$tmp/hist.txt" | grep -q '(nog geen betaalrun vrijgegeven)' \
	|| fail "dossier $hist_nr lists a settlement of a run not released: $(grep -A2 '^Geschiedenis' "$tmp/hist.txt")"
# the dry run said what it would pay: the same count and total, marked as not booked
grep -q "^transacties *$nb (proefrun: niet geboekt" "$tmp/dry.out" || fail "dry run: $(grep transacties "$tmp/dry.out"), the run $nb"
[ "$(grep '^zou betalen' "$tmp/dry.out" | sed 's/^zou betalen *//')" = "$(grep '^totaal' "$tmp/run.out" | sed 's/^totaal *//')" ] \
	|| fail "dry run total $(grep '^zou betalen' "$tmp/dry.out") differs from the run's $(grep '^totaal' "$tmp/run.out")"
ok "prepared $run: $nb payments, valid against ISO and EPC schemas, signed, totals agree (€ $((file_sum / 100))), as the dry run said"

# four-eyes: the preparer cannot approve
set +e
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" approve "$run" --ja --key "$keys/prep.p12" >/dev/null 2>&1; rc=$?
"$BR" --home "$home" release "$run" >/dev/null 2>&1; rc2=$?
set -e
[ "$rc" = 77 ] || fail "approval by the preparer: exit $rc, expected 77"
[ "$rc2" = 65 ] || fail "releasing an unapproved run: exit $rc2, expected 65"
# the approver, passphrase-less PEM, through --pass-fd
"$BR" --home "$home" approve "$run" --ja --key "$keys/appr.pem" --pass-fd 3 3</dev/null >"$tmp/appr.out" 2>"$tmp/err" || fail "approve: $(cat "$tmp/err")"
openssl cms -verify -binary -inform DER -in "$f.p7s" -content "$f" -CAfile "$keys/ca.pem" -purpose any -out /dev/null 2>/dev/null \
	|| fail "openssl rejects the two signatures"
[ "$(openssl cms -cmsout -print -inform DER -in "$f.p7s" | grep -c 'signatureAlgorithm')" -ge 2 ] || fail "not two signers"
"$BR" --home "$home" verify "$f" >"$tmp/verify.out" 2>&1 || fail "verify: $(cat "$tmp/verify.out")"
grep -q "CN=Preparer" "$tmp/verify.out" && grep -q "CN=Approver" "$tmp/verify.out" || fail "verify does not name both signers"
cp "$f" "$tmp/tampered.xml"; cp "$f.p7s" "$tmp/tampered.xml.p7s"
printf '9' | dd of="$tmp/tampered.xml" bs=1 seek=200 conv=notrunc 2>/dev/null
set +e
"$BR" --home "$home" verify "$tmp/tampered.xml" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 65 ] || fail "a one-byte change passed verify (exit $rc)"
ok "four-eyes: preparer refused (77), approver signed, verify names both, a changed byte fails"

"$BR" --home "$home" release "$run" >"$tmp/rel.out" 2>"$tmp/err" || fail "release: $(cat "$tmp/err")"
cmp -s "$f" "$home/outbox/$run.xml" && cmp -s "$f.p7s" "$home/outbox/$run.xml.p7s" || fail "outbox copy"
[ "$(count "$home" "SELECT status FROM run WHERE msg_id = '$run'")" = RELEASED ] || fail "not RELEASED"
[ "$(count "$home" "SELECT count(*) FROM boeking WHERE vrijgegeven IS NULL")" = 0 ] || fail "bookings left pending"
"$BR" --home "$home" runs | grep -q "$run.*RELEASED" || fail "runs does not list the released run"
set +e
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 65 ] || fail "preparing a released month: exit $rc, expected 65"
# a typo of the month: January 2027 is refused, December is due
set +e
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2027-01 --key "$keys/prep.p12" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 65 ] && grep -q "aan de beurt is 2026-12" "$tmp/err" || fail "preparing 2027-01 after November: exit $rc, $(cat "$tmp/err")"
[ "$(count "$home" "SELECT count(*) FROM run")" = 1 ] || fail "a refused month left a run"
hist_paid=$(count "$home" "SELECT c.bedrag_cents FROM betaling c JOIN dossier d ON d.id = c.dossier WHERE d.nummer = '$hist_nr' AND c.soort = 'CLIENT'")
"$BR" --home "$home" dossier "$hist_nr" --month 2026-12 >"$tmp/hist.txt" 2>/dev/null || fail "dossier $hist_nr"
grep -A1 '^Geschiedenis (vrijgegeven afrekeningen):' "$tmp/hist.txt" | grep -q "^  2026-11: voorschot .*, uitbetaald € $(printf '%d' $((hist_paid / 100)) | sed ':a;s/\B[0-9]\{3\}\>/.&/;ta'),$(printf '%02d' $((hist_paid % 100)))$" \
	|| fail "dossier $hist_nr does not list November as released with $hist_paid cents paid: $(grep -A2 "^Geschiedenis" "$tmp/hist.txt" | tr "\n" "|")"
ok "released to outbox/, ledger booked, the month is closed (65), a month typo refused with the month due; dossier lists a settlement once its run is released"

# specifications say what happened to the money (payments.md); the run
# folder's bundles hold, by the index, exactly the texts rendered from the
# store's settlement records, one after the other; `specificatie` writes a dossier's text from the store
# and `dossier` prints it for the run's month
[ "$(find "$dir" -type f | wc -l)" -le 20 ] || fail "more than 20 files in the run folder: $(ls "$dir")"
[ "$(head -n1 "$dir/specificaties.idx")" = "# betaalrun specificaties 1" ] || fail "index header"
[ "$(spec_keys "$dir" | wc -l)" = "$(count "$home" "SELECT count(*) FROM afrekening WHERE run = (SELECT id FROM run WHERE msg_id = '$run')")" ] \
	|| fail "the index does not list every stored specification"
smallest=$(tail -n +2 "$dir/specificaties.idx" | cut -f2 | sort | uniq -c | sort -n | awk 'NR == 1 { print $2 }')
for b in "$dir"/specificaties-*.txt.gz; do
	g=${b##*/specificaties-}; g=${g%.txt.gz}
	[ "$(stat -c %a "$b")" = 600 ] || fail "$b is not 0600"
	[ "$(od -An -tx1 -j3 -N7 "$b" | tr -d ' ')" = "00000000000403" ] || fail "$b: gzip header (no flags, mtime 0, fastest, Unix) differs"
	grep -q "<Bestand naam=\"specificaties-$g.txt.gz\" sha256=\"$(sha256sum "$b" | cut -c1-64)\"/>" "$dir/manifest.xml" \
		|| fail "the manifest does not list $b with its SHA-256"
	# the offsets tile the uncompressed stream, in index order
	awk -F'\t' -v g="$g" 'NR > 1 && $2 == g { if ($3 != next_off) bad = 1; next_off = $3 + $4 }
		END { print bad ? "gap" : next_off + 0 }' "$dir/specificaties.idx" >"$tmp/end"
	[ "$(cat "$tmp/end")" = "$(zcat "$b" | wc -c)" ] || fail "$b: the index does not tile it ($(cat "$tmp/end"))"
	# and the stream is, in index order, the texts `specificatie` renders
	# from the store's records (specstore.h): for the smallest bundle (a
	# process per dossier; the others are sampled below)
	[ "$g" = "$smallest" ] || continue
	: >"$tmp/stored.txt"
	while IFS=$'\t' read -r key gg _; do
		[ "$gg" = "$g" ] || continue
		case $key in dossier-*) key=$(count "$home" "SELECT nummer FROM dossier WHERE id = ${key#dossier-}") ;; esac
		"$BR" --home "$home" specificatie "$key" --run "$run" >>"$tmp/stored.txt" 2>"$tmp/err" \
			|| fail "specificatie $key --run $run: $(cat "$tmp/err")"
	done < <(tail -n +2 "$dir/specificaties.idx")
	zcat "$b" >"$tmp/bundle.txt"
	cmp -s "$tmp/stored.txt" "$tmp/bundle.txt" || fail "$b is not the texts rendered from the store"
done
grep -q '<Specificaties aantal="[0-9]*"/>' "$dir/manifest.xml" || fail "the manifest does not count the specifications"
mapfile -t held < <(sqlite3 "$db" "SELECT d.nummer FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier
	WHERE rd.run = (SELECT id FROM run WHERE msg_id = '$run') AND rd.status = 'OPGESCHORT' ORDER BY d.nummer")
mapfile -t paid < <(sqlite3 "$db" "SELECT d.nummer FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier
	WHERE rd.run = (SELECT id FROM run WHERE msg_id = '$run') AND rd.status = 'BETAALD' AND rd.client_cents > 0
	ORDER BY d.nummer LIMIT 40")
[ "${#held[@]}" -gt 0 ] || fail "the samples hold no dossier"
specs=$tmp/specs; mkdir -p "$specs"
for nr in "${held[@]}" "${paid[@]}"; do
	spec_text "$dir" "$nr" >"$specs/$nr.txt" || fail "$nr is not in the index"
	"$BR" --home "$home" specificatie "$nr" --month 2026-11 -o "$tmp/s.txt" 2>"$tmp/err" || fail "specificatie $nr: $(cat "$tmp/err")"
	[ "$(stat -c %a "$tmp/s.txt")" = 600 ] || fail "specificatie -o wrote a file that is not 0600"
	cmp -s "$tmp/s.txt" "$specs/$nr.txt" || fail "specificatie $nr --month 2026-11 is not its text in the bundle"
	"$BR" --home "$home" specificatie "$nr" --run "$run" >"$tmp/s2.txt" 2>"$tmp/err" || fail "specificatie --run: $(cat "$tmp/err")"
	cmp -s "$tmp/s2.txt" "$specs/$nr.txt" || fail "specificatie $nr --run $run (stdout) is not its text in the bundle"
	"$BR" --home "$home" dossier "$nr" --month 2026-11 >"$tmp/d.txt" 2>/dev/null || fail "dossier $nr"
	cmp -s "$tmp/d.txt" "$specs/$nr.txt" || fail "dossier $nr --month 2026-11 is not the run's specification"
done
set +e
"$BR" --home "$home" specificatie "${paid[0]}" --month 2026-10 >"$tmp/s.txt" 2>"$tmp/err"; rc=$?
"$BR" --home "$home" specificatie GEEN-DOSSIER --month 2026-11 >/dev/null 2>&1; rc2=$?
"$BR" --home "$home" specificatie "${paid[0]}" >/dev/null 2>&1; rc3=$?
set -e
[ "$rc" = 66 ] && [ ! -s "$tmp/s.txt" ] && grep -q "geen specificatie voor dossier .* in 2026-10: de maand heeft geen voorbereide, goedgekeurde of vrijgegeven reguliere run met dat dossier" "$tmp/err" \
	|| fail "specificatie for a month without a run: exit $rc, $(cat "$tmp/err")"
[ "$rc2" = 66 ] || fail "specificatie of an unknown dossier: exit $rc2, expected 66"
[ "$rc3" = 64 ] || fail "specificatie without --month or --run: exit $rc3, expected 64"
for nr in "${held[@]}"; do
	f=$specs/$nr.txt
	grep -q "Niet betaald: uw uitkering is opgeschort sinds [0-9][0-9]-[0-9][0-9]-2026" "$f" \
		&& grep -q "Nu uitbetaald aan u *€ 0,00" "$f" || fail "$nr is on hold, its specification does not say so"
	grep -Eq "Uitbetaald aan u|Op rekening|Betaald aan " "$f" && fail "$nr is on hold, its specification says money was paid"
done
for nr in "${paid[@]}"; do
	grep -q "^  Uitbetaald aan u" "$specs/$nr.txt" && grep -q "Op rekening .*, op 25-11-2026" "$specs/$nr.txt" \
		|| fail "$nr was paid, its specification does not say where and when"
done
ok "specifications: bundles per municipality hold the stored texts by the index, listed in the manifest; ${#held[@]} on hold say since when and why and that nothing was paid; specificatie and dossier print a dossier's text byte for byte"

# the bank rejects two payments (pain.002.001.03)
mapfile -t rej < <(sqlite3 "$db" "SELECT b.end_to_end_id, (SELECT p.pmtinf_id FROM batch p WHERE p.id = b.batch), d.nummer, b.bedrag_cents FROM betaling b
	JOIN dossier d ON d.id = b.dossier WHERE b.soort = 'CLIENT' AND b.run = (SELECT id FROM run WHERE msg_id = '$run')
	AND NOT EXISTS (SELECT 1 FROM betaling c WHERE c.dossier = b.dossier AND c.soort = 'DERDE')
	AND d.einddatum IS NULL ORDER BY b.id LIMIT 2")
[ "${#rej[@]}" = 2 ] || fail "no payments to reject"
tx() { IFS='|' read -r e2e pmt nr amt <<<"$1"; printf '<OrgnlPmtInfAndSts><OrgnlPmtInfId>%s</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>%s</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>%s</Cd></Rsn></StsRsnInf></TxInfAndSts></OrgnlPmtInfAndSts>' "$pmt" "$e2e" "$2"; }
cat >"$home/inbox/status.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>ABNA-STS-0001</MsgId><CreDtTm>2026-11-26T08:00:00</CreDtTm></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>$run</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>$(tx "${rej[0]}" AC01)$(tx "${rej[1]}" AC04)</CstmrPmtStsRpt></Document>
XML
xmllint --noout --schema "$XSD/pain.002.001.03.xsd" "$home/inbox/status.xml" 2>/dev/null || fail "test pain.002 invalid"
"$BR" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "ingest pain.002: $(cat "$tmp/err")"
[ "$(count "$home" "SELECT count(*) FROM bankstatus WHERE status = 'RJCT'")" = 2 ] || fail "rejections not stored"
# booked back at ingest, once each, for a reason about the account: REGISTER jobs
both=$(( $(cut -d'|' -f4 <<<"${rej[0]}") + $(cut -d'|' -f4 <<<"${rej[1]}") ))
[ "$(count "$home" "SELECT count(*) || ' ' || -sum(b.bedrag_cents) FROM terugboeking t JOIN boeking b ON b.terugboeking = t.betaling
	WHERE t.klasse = 'REKENING'")" = "2 $both" ] || fail "the two rejections were not booked back once each ($both cents)"
[ "$(count "$home" "SELECT count(*) FROM taak WHERE soort = 'REGISTER' AND sleutel LIKE 'TERUG %'")" = 2 ] \
	|| fail "no REGISTER job per rejected account"

# the register corrects the two accounts; December pays them again
nr1=$(cut -d'|' -f3 <<<"${rej[0]}"); nr2=$(cut -d'|' -f3 <<<"${rej[1]}")
amt1=$(cut -d'|' -f4 <<<"${rej[0]}")
sed -e 's/leveringId="[^"]*"/leveringId="REG-2026-12-10"/' -e 's/peildatum="[^"]*"/peildatum="2026-12-10"/' \
	-e 's/aanmaakdatum="[^"]*"/aanmaakdatum="2026-12-10T18:00:00"/' samples/register-2026-11-27.xml >"$tmp/reg2.xml"
for nr in "$nr1" "$nr2"; do
	# the Betaalrekening IBAN of that dossier becomes NL02ABNA0123456789
	awk -v nr="$nr" '/<Dossiernummer>/ { cur = index($0, ">" nr "<") > 0 }
		cur && /<Betaalrekening>/ { inacct = 1 }
		inacct && /<IBAN>/ { sub(/<IBAN>[A-Z0-9]*<\/IBAN>/, "<IBAN>NL02ABNA0123456789</IBAN>"); inacct = 0 }
		{ print }' "$tmp/reg2.xml" >"$tmp/reg2b.xml" && mv "$tmp/reg2b.xml" "$tmp/reg2.xml"
done
cp "$tmp/reg2.xml" "$home/inbox/register-2026-12-10.xml"
export BETAALRUN_NOW=2026-12-14T09:00:00
"$BR" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "ingest corrected register: $(cat "$tmp/err")"
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2026-12 --key "$keys/prep.p12" >"$tmp/run2.out" 2>"$tmp/err" \
	|| fail "December run: $(cat "$tmp/err")"
run2=$(head -n1 "$tmp/run2.out")
f2=$home/out/2026-12/$run2/pain.001.xml
for x in pain.001.001.09.xsd EPC132-08_2023_V1.0_SCT_C2PSP_pain.001.001.09.xsd; do
	xmllint --noout --schema "$XSD/$x" "$f2" 2>/dev/null || fail "$x rejects the December file"
done
pay1=$(count "$home" "SELECT b.bedrag_cents FROM betaling b JOIN dossier d ON d.id = b.dossier
	WHERE d.nummer = '$nr1' AND b.soort = 'CLIENT' AND b.run = (SELECT id FROM run WHERE msg_id = '$run2')")
adv1=$(count "$home" "SELECT a.voorschot_cents FROM afrekening a JOIN dossier d ON d.id = a.dossier
	WHERE d.nummer = '$nr1' AND a.run = (SELECT id FROM run WHERE msg_id = '$run2')")
grep -q "NL02ABNA0123456789" "$f2" || fail "the corrected account is not paid"
[ "$pay1" -ge $((adv1 + amt1 - 100000)) ] && [ "$pay1" -gt "$adv1" ] || fail "dossier $nr1: paid $pay1, advance $adv1, rejected $amt1: the rejected amount was not paid again"
"$BR" --home "$home" dossier "$nr1" --month 2026-11 >"$tmp/d.txt" 2>/dev/null || fail "dossier $nr1"
grep -q "Na de betaling: de bank heeft uw betaling van .* geweigerd, reden: rekeningnummer onjuist" "$tmp/d.txt" \
	|| fail "dossier $nr1 November does not say the bank rejected the payment: $(tail -3 "$tmp/d.txt")"
ok "pain.002 rejected 2 payments; after the register fix December pays them again (dossier $nr1: $pay1 cents); dossier says so"

# pain.001.001.03 for a bank that still needs it, validated against the V03 schema
cp -a "$home" "$tmp/v03"
sed -i 's/^pain_versie *=.*/pain_versie = 001.001.03/' "$tmp/v03/betaalrun.conf"
grep -q '^pain_versie = 001.001.03' "$tmp/v03/betaalrun.conf" || fail "could not set pain_versie"
export BETAALRUN_NOW=2026-12-15T09:00:00
"$BR" --home "$tmp/v03" cancel "$run2" >/dev/null || fail "cancel"
[ "$(count "$tmp/v03" "SELECT status FROM run WHERE msg_id = '$run2'")" = CANCELLED ] || fail "not CANCELLED"
[ "$(count "$tmp/v03" "SELECT count(*) FROM boeking WHERE run = (SELECT id FROM run WHERE msg_id = '$run2')")" = 0 ] \
	|| fail "a cancelled run kept its bookings"
run3=$(BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$tmp/v03" run --month 2026-12 --key "$keys/prep.p12" | sed -n 1p)
f3=$tmp/v03/out/2026-12/$run3/pain.001.xml
grep -q 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03' "$f3" || fail "not a V03 file"
xmllint --noout --schema "$XSD/pain.001.001.03.xsd" "$f3" 2>/dev/null || fail "the V03 schema rejects the file"
ok "cancel keeps no bookings; pain_versie 001.001.03 writes a file the ISO V03 schema accepts"

# superseding, and a supplementary run after release
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2026-12 --key "$keys/prep.p12" >"$tmp/run4.out" \
	|| fail "preparing December again"
run4=$(sed -n 1p "$tmp/run4.out")
[ "$(count "$home" "SELECT status FROM run WHERE msg_id = '$run2'")" = SUPERSEDED ] || fail "the earlier preparation was not superseded"
[ "$(count "$home" "SELECT count(*) FROM run WHERE maand = '2026-12' AND status IN ('PREPARED','APPROVED')")" = 1 ] \
	|| fail "more than one live run for December"
# reproducible: the same texts give the same bundle bytes
same=0
for b in "$home/out/2026-12/$run2"/specificaties-*.txt.gz; do
	b4=$home/out/2026-12/$run4/${b##*/}
	if cmp -s <(zcat "$b") <(zcat "$b4"); then
		cmp -s "$b" "$b4" || fail "${b##*/}: the same texts, other bytes in $run2 and $run4"
		same=$((same + 1))
	fi
done
[ "$same" -gt 0 ] || fail "no bundle of $run2 and $run4 holds the same texts: nothing shows they are reproducible"
"$BR" --home "$home" approve "$run4" --ja --key "$keys/appr.pem" --pass-fd 3 3</dev/null >/dev/null || fail "approve December"
"$BR" --home "$home" release "$run4" >/dev/null || fail "release December"
set +e
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2026-12 --aanvullend --key "$keys/prep.p12" >"$tmp/aanv.out" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 0 ] || fail "supplementary run: exit $rc: $(cat "$tmp/err")"
[ "$(sed -n 1p "$tmp/aanv.out")" = none ] && grep -q '^transacties *0$' "$tmp/aanv.out" \
	|| fail "a supplementary run right after release paid again: $(cat "$tmp/aanv.out")"
[ "$(count "$home" "SELECT count(*) FROM run WHERE aanvullend = 1")" = 0 ] || fail "an empty supplementary run was recorded"
ok "preparing again supersedes; a supplementary run right after release pays nothing twice"

# release refuses a requested execution date that has passed
"$BR" --home "$tmp/v03" approve "$run3" --ja --key "$keys/appr.pem" --pass-fd 3 3</dev/null >/dev/null || fail "approve V03 run"
exec3=$(count "$tmp/v03" "SELECT uitvoerdatum FROM run WHERE msg_id = '$run3'")
set +e
BETAALRUN_NOW=2026-12-31T09:00:00 "$BR" --home "$tmp/v03" release "$run3" >/dev/null 2>"$tmp/late.err"; rc=$?
set -e
[ "$rc" = 65 ] && grep -q "is verstreken" "$tmp/late.err" || fail "releasing after the execution date $exec3: exit $rc"
[ "$(count "$tmp/v03" "SELECT status FROM run WHERE msg_id = '$run3'")" = APPROVED ] || fail "a refused release changed the run"
ok "release after the execution date ($exec3) is refused (65)"

# batches: with max_per_batch = 2 the file has several PmtInf of each kind,
# and the store gives every payment the PmtInfId of the batch the file put
# it in (bank feedback finds payments by it)
mb=$tmp/batches
"$BR" --home "$mb" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' -e 's/^max_per_batch *=.*/max_per_batch = 2/' \
	-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" "$mb/betaalrun.conf"
grep -q '^max_per_batch = 2$' "$mb/betaalrun.conf" || fail "could not set max_per_batch"
cp samples/register-*.xml "$mb/inbox/"; "$BR" --home "$mb" ingest >/dev/null 2>&1
cp samples/inkomen-*.xml* samples/signalen-*.xml "$mb/inbox/"; "$BR" --home "$mb" ingest >/dev/null 2>&1
BETAALRUN_NOW=2026-11-20T09:00:00 BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$mb" run --month 2026-11 \
	--key "$keys/prep.p12" >"$tmp/mb.out" 2>"$tmp/err" || fail "run with max_per_batch = 2: $(cat "$tmp/err")"
mbrun=$(head -n1 "$tmp/mb.out")
grep -o '<PmtInfId>[^<]*</PmtInfId>\|<EndToEndId>[^<]*</EndToEndId>' "$mb/out/2026-11/$mbrun/pain.001.xml" \
	| sed 's/<[^>]*>//g; s/^/x /' | awk '/^x BR-/ { b = $2; next } { print b, $2 }' | sort >"$tmp/mb.file"
count "$mb" "SELECT p.pmtinf_id || ' ' || b.end_to_end_id FROM betaling b JOIN batch p ON p.id = b.batch" | sort >"$tmp/mb.store"
nb=$(cut -d' ' -f1 "$tmp/mb.file" | sort -u | wc -l)
[ "$nb" -ge 4 ] && grep -q -- "-K1 " "$tmp/mb.file" && grep -q -- "-D1 " "$tmp/mb.file" \
	|| fail "max_per_batch = 2 gave $nb batches: $(cut -d' ' -f1 "$tmp/mb.file" | sort | uniq -c | tr '\n' ' ')"
diff "$tmp/mb.file" "$tmp/mb.store" >"$tmp/mb.diff" || fail "the store's PmtInfIds differ from the file's: $(head -5 "$tmp/mb.diff")"
ok "max_per_batch = 2: $nb batches; every payment's PmtInfId in the store is its batch in the file"
