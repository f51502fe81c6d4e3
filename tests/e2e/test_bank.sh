#!/usr/bin/env bash
# What the bank says about a released run, end to end (payments.md "Bank
# status reports (pain.002)" and "Bank statements and returns (camt.053,
# camt.054)"; signals.md REGISTER, DERDEN and BANK jobs):
#
#  A. a released November run (the setup of test_payrun.sh); a copy of the
#     home right after release is the CONTROL that hears nothing from the bank;
#  B. in the real home: a multi-level pain.002.001.10 rejects a client payment
#     (listed twice) and a third party's payment for a reason about the
#     account and settles another; replays (a new MsgId, a .03 version) and a
#     camt.053 return of the same payment book nothing twice; the camt.053
#     reconciles the batch debits; a camt.054 repeating it changes nothing;
#     after a register correction December pays exactly the client's money
#     again (to the new account) and the third party's money to the third
#     party's new account, never to the client, compared with CONTROL;
#  C. a whole-file rejection (AM10) books every payment back without
#     blocking accounts, opens one BANK job, and the supplementary run pays
#     exactly what the rejected file would have paid;
#  D. status lines that match nothing are kept, listed and named in a BANK job;
#  E. a statement of another account is quarantined;
#  F. a Verification of Payee "no match" opens a REGISTER job with the name.
#
# Expected values come from the released run's payment rows (what the run
# put in the file), never from what the program booked.  Every bank file the
# test writes is first validated with xmllint against the official schema.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
t0=$(date +%s)
command -v xmllint >/dev/null || fail "xmllint not installed"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed"
# a payment run writes thousands of small files with fsync: tmpfs when there is one
shm=/dev/shm; [ -d "$shm" ] && [ -w "$shm" ] || shm=${TMPDIR:-/tmp}
tmp=$(mktemp -d -p "$shm" test_bank.XXXXXX)
# KEEP_TMP=1 keeps the homes and the bank files for a look afterwards
trap '[ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"' EXIT
XSD=$(cd data/schemas/iso20022 && pwd)
home=$tmp/home
keys=$tmp/keys
bank=$tmp/bank
mkdir -p "$keys" "$bank"
DEBTOR=NL91ABNA0417164300

q() { sqlite3 "$1/betaalrun.db" "$2"; }
# cents -> "1234.56" (an ISO amount)
amt() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }
# cents -> "€ 1.234,56" (payments.md, the program's money_format_nl)
nl_money() {
	local e=$(($1 / 100)) c=$(($1 % 100)) s=""
	while [ "$e" -ge 1000 ]; do s=$(printf '.%03d' $((e % 1000)))$s; e=$((e / 1000)); done
	printf '€ %d%s,%02d' "$e" "$s" "$c"
}
# A bank file from stdin: valid against the official schema $3, then into $1's inbox as $2.
drop() {
	local h=$1 name=$2 xsd=$3
	cat >"$bank/$name"
	xmllint --noout --nonet --schema "$XSD/$xsd" "$bank/$name" 2>"$tmp/xsd.err" \
		|| fail "the test's own $name is not valid by $xsd: $(grep -v validates "$tmp/xsd.err" | head -3)"
	cp "$bank/$name" "$h/inbox/$name"
}
# ingest, expecting exit $2 (default 0)
ingest() {
	local rc=0
	"$BR" --home "$1" ingest >"$tmp/ingest.out" 2>"$tmp/ingest.err" || rc=$?
	[ "$rc" = "${2:-0}" ] || fail "ingest in $(basename "$1"): exit $rc, expected ${2:-0}: $(cat "$tmp/ingest.err" "$tmp/ingest.out" | head -5)"
}

# ---- A. a released November run -----------------------------------------------

ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
done
ossl pkcs12 -export -inkey "$keys/Preparer.key" -in "$keys/Preparer.pem" -out "$keys/prep.p12" -passout pass:geheim-1
cat "$keys/Approver.key" "$keys/Approver.pem" >"$keys/appr.pem"
export BETAALRUN_KEY_PASS=geheim-1

export BETAALRUN_NOW=2026-11-18T10:00:00
"$BR" --home "$home" init >/dev/null
sed -i -e "s/^iban *=.*/iban = $DEBTOR/" -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
	"$home/betaalrun.conf"
grep -q "^iban = $DEBTOR" "$home/betaalrun.conf" || fail "could not set the debtor IBAN"
cp samples/register-*.xml "$home/inbox/"; ingest "$home"
cp samples/inkomen-*.xml* samples/signalen-*.xml "$home/inbox/"; ingest "$home"

export BETAALRUN_NOW=2026-11-20T09:00:00
"$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" >"$tmp/run.out" 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
run=$(head -n1 "$tmp/run.out")
[[ "$run" =~ ^BR-202611-[0-9]{4}$ ]] || fail "first line is not the run id: $run"
"$BR" --home "$home" approve "$run" --ja --key "$keys/appr.pem" --pass-fd 3 3</dev/null >/dev/null 2>"$tmp/err" || fail "approve: $(cat "$tmp/err")"
"$BR" --home "$home" release "$run" >/dev/null 2>"$tmp/err" || fail "release: $(cat "$tmp/err")"
[ "$(q "$home" "SELECT status FROM run WHERE msg_id = '$run'")" = RELEASED ] || fail "the November run is not RELEASED"
rid=$(q "$home" "SELECT id FROM run WHERE msg_id = '$run'")
created=$(q "$home" "SELECT aangemaakt FROM run WHERE id = $rid")

# the run's payments, as it put them in the file
N=$(q "$home" "SELECT count(*) FROM betaling WHERE run = $rid")
TOTAL=$(q "$home" "SELECT sum(bedrag_cents) FROM betaling WHERE run = $rid")
mapfile -t batches < <(q "$home" "SELECT p.pmtinf_id || '|' || count(*) || '|' || sum(b.bedrag_cents) FROM betaling b
	JOIN batch p ON p.id = b.batch WHERE b.run = $rid GROUP BY p.pmtinf_id ORDER BY p.pmtinf_id")
[ "${#batches[@]}" -ge 2 ] || fail "expected a client and a third-party batch, got ${#batches[@]}"
# file = store: the file's CtrlSum per PmtInf is what the store says
f=$home/out/2026-11/$run/pain.001.xml
for b in "${batches[@]}"; do
	IFS='|' read -r pid n sum <<<"$b"
	grep -o "<PmtInfId>$pid</PmtInfId><PmtMtd>TRF</PmtMtd>\(<BtchBookg>[a-z]*</BtchBookg>\)\?<NbOfTxs>$n</NbOfTxs><CtrlSum>$(amt "$sum")</CtrlSum>" "$f" >/dev/null \
		|| fail "the payment file's PmtInf $pid is not $n payments, $(amt "$sum")"
done

# a stable dossier: still running in December, no hold, no open job
plain="d.einddatum IS NULL AND NOT EXISTS (SELECT 1 FROM opschorting o WHERE o.dossier = d.id AND o.opgeheven IS NULL)
	AND NOT EXISTS (SELECT 1 FROM taak t WHERE t.dossier = d.id AND t.status <> 'AFGEROND')"
# P1: a client payment of a dossier without third-party payments
IFS='|' read -r P1 P1_E2E P1_PMT P1_NR P1_AMT P1_DOS P1_IBAN <<<"$(q "$home" "SELECT b.id, b.end_to_end_id, (SELECT p.pmtinf_id FROM batch p WHERE p.id = b.batch),
	d.nummer, b.bedrag_cents, b.dossier, b.iban FROM betaling b JOIN dossier d ON d.id = b.dossier
	WHERE b.run = $rid AND b.soort = 'CLIENT' AND $plain
	AND NOT EXISTS (SELECT 1 FROM betaling c WHERE c.dossier = b.dossier AND c.soort = 'DERDE') ORDER BY b.id LIMIT 1")"
# D2: a dossier with exactly one third-party payment Q2 and a client payment C2
IFS='|' read -r Q2 Q2_E2E Q2_PMT D2_NR Q2_AMT D2_DOS Q2_IBAN Q2_KEN <<<"$(q "$home" "SELECT b.id, b.end_to_end_id, (SELECT p.pmtinf_id FROM batch p WHERE p.id = b.batch),
	d.nummer, b.bedrag_cents, b.dossier, b.iban, b.kenmerk FROM betaling b JOIN dossier d ON d.id = b.dossier
	WHERE b.run = $rid AND b.soort = 'DERDE' AND $plain
	AND (SELECT count(*) FROM betaling c WHERE c.run = $rid AND c.dossier = b.dossier AND c.soort = 'DERDE') = 1
	AND EXISTS (SELECT 1 FROM betaling c WHERE c.run = $rid AND c.dossier = b.dossier AND c.soort = 'CLIENT')
	ORDER BY b.id LIMIT 1")"
IFS='|' read -r C2 C2_E2E C2_PMT C2_AMT <<<"$(q "$home" "SELECT b.id, b.end_to_end_id, (SELECT p.pmtinf_id FROM batch p WHERE p.id = b.batch), b.bedrag_cents FROM betaling b
	WHERE b.run = $rid AND b.dossier = $D2_DOS AND soort = 'CLIENT'")"
[ -n "$P1" ] && [ -n "$Q2" ] && [ -n "$C2" ] && [ -n "$Q2_KEN" ] || fail "setup: no P1, Q2 or C2 found"
[ "$C2_PMT" = "$P1_PMT" ] || fail "setup: the two client payments are in different batches"
[ "$Q2_PMT" != "$P1_PMT" ] || fail "setup: a third party's payment in the client batch"
P1_BATCH_N=$(q "$home" "SELECT count(*) FROM betaling WHERE batch = (SELECT id FROM batch WHERE pmtinf_id = '$P1_PMT')")
P1_BATCH_SUM=$(q "$home" "SELECT sum(bedrag_cents) FROM betaling WHERE batch = (SELECT id FROM batch WHERE pmtinf_id = '$P1_PMT')")
Q2_BATCH_N=$(q "$home" "SELECT count(*) FROM betaling WHERE batch = (SELECT id FROM batch WHERE pmtinf_id = '$Q2_PMT')")
Q2_BATCH_SUM=$(q "$home" "SELECT sum(bedrag_cents) FROM betaling WHERE batch = (SELECT id FROM batch WHERE pmtinf_id = '$Q2_PMT')")

cp -a "$home" "$tmp/control"
cp -a "$home" "$tmp/homeC"
cp -a "$home" "$tmp/homeD"
ok "A: released $run ($N payments, $(nl_money "$TOTAL"), ${#batches[@]} batches); P1 $P1_E2E ($P1_NR, $(amt "$P1_AMT")); D2 $D2_NR: third party $Q2_E2E ($(amt "$Q2_AMT")), client $C2_E2E"

# ---- B1. a multi-level pain.002.001.10 --------------------------------------------

# $1 MsgId, $2 CreDtTm
r1() {
	cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>$1</MsgId>
      <CreDtTm>$2</CreDtTm>
      <InitgPty>
        <Nm>ABN AMRO Bank N.V.</Nm>
        <Id>
          <OrgId>
            <AnyBIC>ABNANL2A</AnyBIC>
          </OrgId>
        </Id>
      </InitgPty>
      <DbtrAgt>
        <FinInstnId>
          <BICFI>ABNANL2A</BICFI>
        </FinInstnId>
      </DbtrAgt>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>$run</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <OrgnlCreDtTm>$created</OrgnlCreDtTm>
      <OrgnlNbOfTxs>$N</OrgnlNbOfTxs>
      <OrgnlCtrlSum>$(amt "$TOTAL")</OrgnlCtrlSum>
      <GrpSts>PART</GrpSts>
      <StsRsnInf>
        <AddtlInf>Bestand ontvangen en verwerkt.</AddtlInf>
        <AddtlInf>2 transactie(s) afgewezen, zie de status per transactie.</AddtlInf>
      </StsRsnInf>
      <NbOfTxsPerSts>
        <DtldNbOfTxs>$((N - 3))</DtldNbOfTxs>
        <DtldSts>ACCP</DtldSts>
      </NbOfTxsPerSts>
      <NbOfTxsPerSts>
        <DtldNbOfTxs>1</DtldNbOfTxs>
        <DtldSts>ACSC</DtldSts>
        <DtldCtrlSum>$(amt "$C2_AMT")</DtldCtrlSum>
      </NbOfTxsPerSts>
      <NbOfTxsPerSts>
        <DtldNbOfTxs>2</DtldNbOfTxs>
        <DtldSts>RJCT</DtldSts>
        <DtldCtrlSum>$(amt $((P1_AMT + Q2_AMT)))</DtldCtrlSum>
      </NbOfTxsPerSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>$P1_PMT</OrgnlPmtInfId>
      <OrgnlNbOfTxs>$P1_BATCH_N</OrgnlNbOfTxs>
      <OrgnlCtrlSum>$(amt "$P1_BATCH_SUM")</OrgnlCtrlSum>
      <PmtInfSts>PART</PmtInfSts>
      <NbOfTxsPerSts>
        <DtldNbOfTxs>1</DtldNbOfTxs>
        <DtldSts>RJCT</DtldSts>
        <DtldCtrlSum>$(amt "$P1_AMT")</DtldCtrlSum>
      </NbOfTxsPerSts>
      <TxInfAndSts>
        <StsId>ABNA-RJ-0000001</StsId>
        <OrgnlInstrId>$P1_E2E</OrgnlInstrId>
        <OrgnlEndToEndId>$P1_E2E</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf>
          <Orgtr>
            <Id>
              <OrgId>
                <AnyBIC>ABNANL2A</AnyBIC>
              </OrgId>
            </Id>
          </Orgtr>
          <Rsn>
            <Cd>AC04</Cd>
          </Rsn>
          <AddtlInf><![CDATA[Rekening opgeheven <gesloten> & niet meer bruikbaar]]></AddtlInf>
          <AddtlInf>Neem contact op met de begunstigde.</AddtlInf>
        </StsRsnInf>
        <OrgnlTxRef>
          <Amt>
            <InstdAmt Ccy="EUR">$(amt "$P1_AMT")</InstdAmt>
          </Amt>
          <ReqdExctnDt>
            <Dt>2026-11-25</Dt>
          </ReqdExctnDt>
          <CdtrAcct>
            <Id>
              <IBAN>$P1_IBAN</IBAN>
            </Id>
          </CdtrAcct>
        </OrgnlTxRef>
      </TxInfAndSts>
      <TxInfAndSts>
        <StsId>ABNA-RJ-0000001-B</StsId>
        <OrgnlEndToEndId>$P1_E2E</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf>
          <Rsn>
            <Cd>AC04</Cd>
          </Rsn>
        </StsRsnInf>
      </TxInfAndSts>
      <TxInfAndSts>
        <OrgnlInstrId>$C2_E2E</OrgnlInstrId>
        <OrgnlEndToEndId>$C2_E2E</OrgnlEndToEndId>
        <TxSts>ACSC</TxSts>
        <AccptncDtTm>2026-11-25T07:12:44</AccptncDtTm>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>$Q2_PMT</OrgnlPmtInfId>
      <TxInfAndSts>
        <StsId>ABNA-RJ-0000002</StsId>
        <OrgnlEndToEndId>$Q2_E2E</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf>
          <Rsn>
            <Cd>AC04</Cd>
          </Rsn>
          <AddtlInf>Account closed</AddtlInf>
        </StsRsnInf>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
XML
}

export BETAALRUN_NOW=2026-11-26T08:00:00
R1=ABNA-PSR-20261126-0001
r1 "$R1" "2026-11-26T07:45:12.123+01:00" | drop "$home" "pain002-$R1.xml" pain.002.001.10.xsd
ingest "$home"
[ "$(q "$home" "SELECT count(*) FROM levering WHERE soort = 'pain002' AND levering_id = '$R1'")" = 1 ] || fail "R1 not ingested"
[ -z "$(ls "$home/quarantine")" ] || fail "R1 quarantined: $(cat "$home"/quarantine/*.reason)"
[ "$(q "$home" "SELECT group_concat(betaling || ' ' || klasse, ',') FROM (SELECT * FROM terugboeking ORDER BY betaling)")" \
	= "$P1 REKENING,$Q2 REKENING" ] || fail "terugboeking after R1: $(q "$home" 'SELECT * FROM terugboeking')"
[ "$(q "$home" "SELECT count(*) || ' ' || sum(bedrag_cents) || ' ' || min(soort) || ' ' || min(maand) FROM boeking WHERE terugboeking = $P1")" \
	= "1 -$P1_AMT verschil 2026-11" ] || fail "P1 not booked back once as -$P1_AMT: $(q "$home" "SELECT * FROM boeking WHERE terugboeking = $P1")"
[ "$(q "$home" "SELECT count(*) FROM boeking WHERE terugboeking = $Q2")" = 0 ] || fail "the third party's payment was booked against the client's month"
[ "$(q "$home" "SELECT count(*) FROM boeking WHERE terugboeking IS NOT NULL")" = 1 ] || fail "more than one booking back"
[ "$(q "$home" "SELECT count(*) FROM taak WHERE dossier = $P1_DOS AND soort = 'REGISTER' AND sleutel = 'TERUG $P1_E2E'")" = 1 ] \
	|| fail "no REGISTER job 'TERUG $P1_E2E' for $P1_NR: $(q "$home" "SELECT soort, sleutel FROM taak WHERE dossier = $P1_DOS")"
[ "$(q "$home" "SELECT count(*) FROM taak WHERE dossier = $D2_DOS AND soort = 'DERDEN' AND sleutel = 'TERUG $Q2_E2E'")" = 1 ] \
	|| fail "no DERDEN job 'TERUG $Q2_E2E' for $D2_NR: $(q "$home" "SELECT soort, sleutel FROM taak WHERE dossier = $D2_DOS")"
[ "$(q "$home" "SELECT count(*) FROM taak WHERE dossier = $D2_DOS AND soort = 'REGISTER'")" = 0 ] \
	|| fail "a REGISTER job for $D2_NR: the third party's account is not the client's"
[ "$(q "$home" "SELECT status FROM betaling WHERE id = $C2")" = ACSC ] || fail "C2 is not ACSC: $(q "$home" "SELECT status FROM betaling WHERE id = $C2")"
[ "$(q "$home" "SELECT count(*) FROM bankstatus s JOIN levering l ON l.id = s.levering WHERE l.levering_id = '$R1'")" = 6 ] \
	|| fail "R1's six status lines (group, batch, 4 transactions) not all kept"
[ "$(q "$home" "SELECT count(*) FROM bankstatus WHERE onbekend = 1")" = 0 ] || fail "R1 lines marked as matching nothing"
[ "$(q "$home" "SELECT info FROM bankstatus WHERE orgnl_e2e_id = '$P1_E2E' ORDER BY id LIMIT 1")" \
	= "Rekening opgeheven <gesloten> & niet meer bruikbaar / Neem contact op met de begunstigde." ] \
	|| fail "the CDATA AddtlInf of P1 is not kept: $(q "$home" "SELECT info FROM bankstatus WHERE orgnl_e2e_id = '$P1_E2E'")"
ok "B1: R1 (.10, 3 levels, P1 twice) booked back P1 once (-$P1_AMT) and the third party's payment without a booking; REGISTER and DERDEN jobs; C2 ACSC"

# the state that nothing later may change
state() {
	q "$1" "SELECT 'tb', betaling, bron, levering, reden, klasse, coalesce(herbetaald, '') FROM terugboeking ORDER BY betaling;
		SELECT 'bk', count(*), sum(bedrag_cents) FROM boeking;
		SELECT 'bt', id, coalesce(status, ''), coalesce(reden, '') FROM betaling WHERE status IS NOT NULL AND status <> 'PART' ORDER BY id;
		SELECT 'tk', id, coalesce(dossier, ''), soort, status, coalesce(sleutel, '') FROM taak ORDER BY id;
		SELECT 'tg', count(*) FROM taak_gebeurtenis;
		SELECT 'af', * FROM afschrijving ORDER BY pmtinf_id;"
}
state "$home" >"$tmp/state.r1"

# ---- B2. replays --------------------------------------------------------------

export BETAALRUN_NOW=2026-11-27T08:00:00
R1B=ABNA-PSR-20261127-0002
r1 "$R1B" "2026-11-27T06:02:55+01:00" | drop "$home" "pain002-$R1B.xml" pain.002.001.10.xsd
R3=ABNA-STS-V03-0001
drop "$home" "pain002-$R3.xml" pain.002.001.03.xsd <<XML
<?xml version="1.0" encoding="UTF-8"?>
<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
  <ns2:CstmrPmtStsRpt>
    <ns2:GrpHdr>
      <ns2:MsgId>$R3</ns2:MsgId>
      <ns2:CreDtTm>2026-11-27T06:30:00</ns2:CreDtTm>
      <ns2:InitgPty>
        <ns2:Nm>ABN AMRO</ns2:Nm>
        <ns2:Id>
          <ns2:OrgId>
            <ns2:BICOrBEI>ABNANL2A</ns2:BICOrBEI>
          </ns2:OrgId>
        </ns2:Id>
      </ns2:InitgPty>
    </ns2:GrpHdr>
    <ns2:OrgnlGrpInfAndSts>
      <ns2:OrgnlMsgId>$run</ns2:OrgnlMsgId>
      <ns2:OrgnlMsgNmId>pain.001.001.09</ns2:OrgnlMsgNmId>
      <ns2:OrgnlNbOfTxs>$N</ns2:OrgnlNbOfTxs>
      <ns2:OrgnlCtrlSum>$(amt "$TOTAL")</ns2:OrgnlCtrlSum>
    </ns2:OrgnlGrpInfAndSts>
    <ns2:OrgnlPmtInfAndSts>
      <ns2:OrgnlPmtInfId>$P1_PMT</ns2:OrgnlPmtInfId>
      <ns2:TxInfAndSts>
        <ns2:StsId>V03-RJ-1</ns2:StsId>
        <ns2:OrgnlInstrId>$P1_E2E</ns2:OrgnlInstrId>
        <ns2:OrgnlEndToEndId>$P1_E2E</ns2:OrgnlEndToEndId>
        <ns2:TxSts>RJCT</ns2:TxSts>
        <ns2:StsRsnInf>
          <ns2:Rsn>
            <ns2:Cd>AC04</ns2:Cd>
          </ns2:Rsn>
          <ns2:AddtlInf>REKENING OPGEHEVEN</ns2:AddtlInf>
        </ns2:StsRsnInf>
        <ns2:OrgnlTxRef>
          <ns2:Amt>
            <ns2:InstdAmt Ccy="EUR">$(amt "$P1_AMT")</ns2:InstdAmt>
          </ns2:Amt>
          <ns2:ReqdExctnDt>2026-11-25</ns2:ReqdExctnDt>
        </ns2:OrgnlTxRef>
      </ns2:TxInfAndSts>
    </ns2:OrgnlPmtInfAndSts>
  </ns2:CstmrPmtStsRpt>
</ns2:Document>
XML
ingest "$home"
[ "$(q "$home" "SELECT count(*) FROM levering WHERE soort = 'pain002' AND levering_id IN ('$R1B', '$R3')")" = 2 ] || fail "the replays were not ingested"
state "$home" >"$tmp/state.r3"
diff "$tmp/state.r1" "$tmp/state.r3" >"$tmp/diff" || fail "a replay (new MsgId, or .03) changed something: $(head -5 "$tmp/diff")"
[ "$(q "$home" "SELECT count(*) FROM bankstatus s JOIN levering l ON l.id = s.levering WHERE l.levering_id IN ('$R1B', '$R3')")" = 7 ] \
	|| fail "the replays' lines are not all kept in the audit trail"
ok "B2: R1 again with a new MsgId and a .03 rejection of P1: nothing booked, no job, the lines kept"

# ---- B3. the account statement, camt.053.001.08 -----------------------------------

# one batch-booked debit entry (.08 shape); $1 PmtInfId $2 count $3 cents $4 ref
debit08() {
	cat <<XML
      <Ntry>
        <NtryRef>$4</NtryRef>
        <Amt Ccy="EUR">$(amt "$3")</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>
          <Cd>BOOK</Cd>
        </Sts>
        <BookgDt>
          <Dt>2026-11-25</Dt>
        </BookgDt>
        <ValDt>
          <Dt>2026-11-25</Dt>
        </ValDt>
        <AcctSvcrRef>$4</AcctSvcrRef>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>ICDT</Cd>
              <SubFmlyCd>ESCT</SubFmlyCd>
            </Fmly>
          </Domn>
          <Prtry>
            <Cd>N658</Cd>
            <Issr>ABNAMRO</Issr>
          </Prtry>
        </BkTxCd>
        <NtryDtls>
          <Btch>
            <MsgId>$run</MsgId>
            <PmtInfId>$1</PmtInfId>
            <NbOfTxs>$2</NbOfTxs>
            <TtlAmt Ccy="EUR">$(amt "$3")</TtlAmt>
            <CdtDbtInd>DBIT</CdtDbtInd>
          </Btch>
        </NtryDtls>
        <AddtlNtryInf>SEPA BATCH $1 $2 POSTEN</AddtlNtryInf>
      </Ntry>
XML
}
stmt08() {
	local b pid n sum i=0
	cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>$1</MsgId>
      <CreDtTm>2026-11-27T05:31:07.481+01:00</CreDtTm>
      <MsgRcpt>
        <Nm>WERKSAAM WESTFRIESLAND</Nm>
      </MsgRcpt>
      <MsgPgntn>
        <PgNb>1</PgNb>
        <LastPgInd>true</LastPgInd>
      </MsgPgntn>
    </GrpHdr>
    <Stmt>
      <Id>$1-1</Id>
      <ElctrncSeqNb>331</ElctrncSeqNb>
      <CreDtTm>2026-11-27T05:31:07+01:00</CreDtTm>
      <FrToDt>
        <FrDtTm>2026-11-25T00:00:00+01:00</FrDtTm>
        <ToDtTm>2026-11-27T00:00:00+01:00</ToDtTm>
      </FrToDt>
      <Acct>
        <Id>
          <IBAN>$2</IBAN>
        </Id>
        <Ccy>EUR</Ccy>
        <Ownr>
          <Nm>WerkSaam Westfriesland</Nm>
        </Ownr>
        <Svcr>
          <FinInstnId>
            <BICFI>ABNANL2A</BICFI>
          </FinInstnId>
        </Svcr>
      </Acct>
      <Bal>
        <Tp>
          <CdOrPrtry>
            <Cd>OPBD</Cd>
          </CdOrPrtry>
        </Tp>
        <Amt Ccy="EUR">9876543.21</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt>
          <Dt>2026-11-25</Dt>
        </Dt>
      </Bal>
      <Bal>
        <Tp>
          <CdOrPrtry>
            <Cd>CLBD</Cd>
          </CdOrPrtry>
        </Tp>
        <Amt Ccy="EUR">1234567.89</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt>
          <Dt>2026-11-27</Dt>
        </Dt>
      </Bal>
XML
	for b in "${batches[@]}"; do
		IFS='|' read -r pid n sum <<<"$b"
		i=$((i + 1))
		debit08 "$pid" "$n" "$sum" "ABNA2026112500000$i"
	done
	cat <<XML
      <Ntry>
        <Amt Ccy="EUR">$(amt "$P1_AMT")</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>
          <Cd>BOOK</Cd>
        </Sts>
        <BookgDt>
          <Dt>2026-11-27</Dt>
        </BookgDt>
        <ValDt>
          <Dt>2026-11-27</Dt>
        </ValDt>
        <AcctSvcrRef>ABNA20261127000009</AcctSvcrRef>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>ICDT</Cd>
              <SubFmlyCd>RRTN</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <MsgId>$run</MsgId>
              <PmtInfId>$P1_PMT</PmtInfId>
              <EndToEndId>$P1_E2E</EndToEndId>
            </Refs>
            <Amt Ccy="EUR">$(amt "$P1_AMT")</Amt>
            <CdtDbtInd>CRDT</CdtDbtInd>
            <RtrInf>
              <Rsn>
                <Cd>AC04</Cd>
              </Rsn>
              <AddtlInf>RETOUR REKENING OPGEHEVEN</AddtlInf>
            </RtrInf>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>SEPA RETOUR $P1_E2E</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">3412.77</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>
          <Cd>BOOK</Cd>
        </Sts>
        <BookgDt>
          <Dt>2026-11-26</Dt>
        </BookgDt>
        <AcctSvcrRef>ABNA20261126000044</AcctSvcrRef>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>RCDT</Cd>
              <SubFmlyCd>ESCT</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <EndToEndId>SALARIS-2026-11-0042</EndToEndId>
            </Refs>
            <Amt Ccy="EUR">3412.77</Amt>
            <CdtDbtInd>CRDT</CdtDbtInd>
            <RltdPties>
              <Dbtr>
                <Pty>
                  <Nm>Gemeenschappelijke Regeling Westfriesland</Nm>
                </Pty>
              </Dbtr>
            </RltdPties>
            <RmtInf>
              <Ustrd>SALARIS NOVEMBER 2026</Ustrd>
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">12.50</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>
          <Cd>BOOK</Cd>
        </Sts>
        <BookgDt>
          <Dt>2026-11-26</Dt>
        </BookgDt>
        <BkTxCd>
          <Domn>
            <Cd>ACMT</Cd>
            <Fmly>
              <Cd>MDOP</Cd>
              <SubFmlyCd>CHRG</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <AddtlNtryInf>KOSTEN BETALINGSVERKEER NOVEMBER</AddtlNtryInf>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
XML
}

export BETAALRUN_NOW=2026-11-27T09:00:00
S1=ABNA-C053-20261127-01
stmt08 "$S1" "$DEBTOR" | drop "$home" "camt053-$S1.xml" camt.053.001.08.xsd
ingest "$home"
[ "$(q "$home" "SELECT count(*) FROM levering WHERE soort = 'camt053' AND levering_id = '$S1'")" = 1 ] \
	|| fail "the statement was not ingested: $(cat "$home"/quarantine/*.reason 2>/dev/null)"
[ "$(q "$home" "SELECT group_concat(betaling || ' ' || bron, ',') FROM (SELECT * FROM terugboeking ORDER BY betaling)")" \
	= "$P1 pain002,$Q2 pain002" ] || fail "the return of P1 booked it back again: $(q "$home" 'SELECT * FROM terugboeking')"
grep '^bk|' "$tmp/state.r1" >"$tmp/bk.want"
state "$home" | grep '^bk|' | diff - "$tmp/bk.want" >/dev/null || fail "the statement changed the bookings"
# afschrijving: every batch of the run, for the amount the run put in it
for b in "${batches[@]}"; do echo "$b|2026-11-25"; done >"$tmp/af.want"
q "$home" "SELECT pmtinf_id || '|' || (SELECT count(*) FROM betaling b JOIN batch p ON p.id = b.batch WHERE p.pmtinf_id = a.pmtinf_id) || '|' || bedrag_cents
	|| '|' || boekdatum FROM afschrijving a WHERE run = $rid ORDER BY pmtinf_id" >"$tmp/af.have"
diff "$tmp/af.want" "$tmp/af.have" >"$tmp/diff" || fail "afschrijving is not every batch with its amount: $(cat "$tmp/diff")"
[ "$(q "$home" "SELECT count(*) FROM afschrijving")" = "${#batches[@]}" ] || fail "afschrijving has other rows"
# only our entries are stored: the batch debits and the return
[ "$(q "$home" "SELECT group_concat(soort || ' ' || bedrag_cents || ' ' || coalesce(e2e_id, pmtinf_id) || ' ' || onbekend, ',')
	FROM (SELECT p.* FROM bankpost p JOIN levering l ON l.id = p.levering WHERE l.levering_id = '$S1' ORDER BY p.regel)")" \
	= "$(for b in "${batches[@]}"; do IFS='|' read -r pid n sum <<<"$b"; printf 'AFSCHRIJVING %s %s 0,' "$sum" "$pid"; done)STORNO $P1_AMT $P1_E2E 0" ] \
	|| fail "bankpost: $(q "$home" "SELECT soort, bedrag_cents, e2e_id, pmtinf_id, onbekend FROM bankpost")"
[ "$(q "$home" "SELECT count(*) FROM bankpost WHERE e2e_id LIKE 'SALARIS%' OR bedrag_cents IN (341277, 1250)")" = 0 ] \
	|| fail "the salary or the bank fee was stored"
[ "$(q "$home" "SELECT count(*) FROM taak WHERE soort = 'BANK'")" = 0 ] || fail "a BANK job after a statement that agrees: $(q "$home" "SELECT omschrijving FROM taak WHERE soort = 'BANK'")"
"$BR" --home "$home" runs >"$tmp/runs.out" 2>"$tmp/err" || fail "runs: $(cat "$tmp/err")"
nb=${#batches[@]}
grep -A2 "^$run " "$tmp/runs.out" >"$tmp/runs.nov"
grep -q "^  bank: 1 verwerkt, 2 geweigerd, 0 teruggestort, $((N - 3)) zonder eindstatus$" "$tmp/runs.nov" \
	|| fail "runs: expected 1 settled (C2), 2 rejected (P1, Q2), 0 returned (P1 was rejected first), $((N - 3)) without a final status: $(cat "$tmp/runs.nov")"
grep -q "^  afgeschreven op 2026-11-25 ($nb van $nb batches)$" "$tmp/runs.nov" || fail "runs does not show the run debited: $(cat "$tmp/runs.nov")"
ok "B3: camt.053.001.08: $nb batch debits reconciled (afgeschreven op 2026-11-25), the return of P1 not booked twice, salary and fee not stored"

# ---- B4. the same as a camt.054.001.02 debit notification ---------------------------

ntf02() {
	local b pid n sum i=0
	cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>$1</MsgId>
      <CreDtTm>2026-11-27T20:00:14</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>$1-1</Id>
      <CreDtTm>2026-11-27T20:00:14</CreDtTm>
      <Acct>
        <Id>
          <IBAN>$DEBTOR</IBAN>
        </Id>
        <Ccy>EUR</Ccy>
      </Acct>
XML
	for b in "${batches[@]}"; do
		IFS='|' read -r pid n sum <<<"$b"
		i=$((i + 1))
		cat <<XML
      <Ntry>
        <Amt Ccy="EUR">$(amt "$sum")</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt>
          <Dt>2026-11-25</Dt>
        </BookgDt>
        <ValDt>
          <Dt>2026-11-25</Dt>
        </ValDt>
        <AcctSvcrRef>NTF2026112500000$i</AcctSvcrRef>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>ICDT</Cd>
              <SubFmlyCd>ESCT</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
          <Btch>
            <MsgId>$run</MsgId>
            <PmtInfId>$pid</PmtInfId>
            <NbOfTxs>$n</NbOfTxs>
            <TtlAmt Ccy="EUR">$(amt "$sum")</TtlAmt>
            <CdtDbtInd>DBIT</CdtDbtInd>
          </Btch>
        </NtryDtls>
      </Ntry>
XML
	done
	cat <<XML
      <Ntry>
        <Amt Ccy="EUR">$(amt "$P1_AMT")</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt>
          <Dt>2026-11-27</Dt>
        </BookgDt>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>ICDT</Cd>
              <SubFmlyCd>RRTN</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <EndToEndId>$P1_E2E</EndToEndId>
            </Refs>
            <AmtDtls>
              <TxAmt>
                <Amt Ccy="EUR">$(amt "$P1_AMT")</Amt>
              </TxAmt>
            </AmtDtls>
            <RtrInf>
              <Rsn>
                <Cd>AC04</Cd>
              </Rsn>
              <AddtlInf>RETOUR REKENING OPGEHEVEN</AddtlInf>
            </RtrInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">3412.77</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt>
          <Dt>2026-11-26</Dt>
        </BookgDt>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>RCDT</Cd>
              <SubFmlyCd>ESCT</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <EndToEndId>SALARIS-2026-11-0042</EndToEndId>
            </Refs>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">12.50</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt>
          <Dt>2026-11-26</Dt>
        </BookgDt>
        <BkTxCd>
          <Prtry>
            <Cd>0093</Cd>
            <Issr>ABNAMRO</Issr>
          </Prtry>
        </BkTxCd>
        <AddtlNtryInf>KOSTEN BETALINGSVERKEER NOVEMBER</AddtlNtryInf>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
XML
}
state "$home" >"$tmp/state.s1"
export BETAALRUN_NOW=2026-11-28T08:00:00
S2=ABNA-C054-20261127-77
ntf02 "$S2" | drop "$home" "camt054-$S2.xml" camt.054.001.02.xsd
ingest "$home"
[ "$(q "$home" "SELECT count(*) FROM levering WHERE soort = 'camt054' AND levering_id = '$S2'")" = 1 ] \
	|| fail "the notification was not ingested: $(cat "$home"/quarantine/*.reason 2>/dev/null)"
state "$home" >"$tmp/state.s2"
diff "$tmp/state.s1" "$tmp/state.s2" >"$tmp/diff" || fail "the camt.054 repeating the statement changed something: $(head -5 "$tmp/diff")"
"$BR" --home "$home" runs | grep -A2 "^$run " | diff - "$tmp/runs.nov" >/dev/null || fail "runs changed after the camt.054"
ok "B4: the same entries as camt.054.001.02 with a new MsgId change nothing"

# ---- B5. register correction; December pays the client again, the third party to its new account

NEW_CLIENT=NL02ABNA0123456789
NEW_DERDE=NL86INGB0002445588
! grep -q -e "$NEW_CLIENT" -e "$NEW_DERDE" samples/register-2026-11-27.xml || fail "setup: the new accounts are already in the register"
sed -e 's/leveringId="[^"]*"/leveringId="REG-2026-12-10"/' -e 's/peildatum="[^"]*"/peildatum="2026-12-10"/' \
	-e 's/aanmaakdatum="[^"]*"/aanmaakdatum="2026-12-10T18:00:00"/' samples/register-2026-11-27.xml |
	awk -v nr="$P1_NR" -v d2="$D2_NR" -v ken="$Q2_KEN" -v nc="$NEW_CLIENT" -v nd="$NEW_DERDE" '
		/<Dossiernummer>/ { p1 = index($0, ">" nr "<") > 0; dd = index($0, ">" d2 "<") > 0 }
		p1 && /<Betaalrekening>/ { inacct = 1 }
		inacct && /<IBAN>/ { sub(/<IBAN>[A-Z0-9]*<\/IBAN>/, "<IBAN>" nc "</IBAN>"); inacct = 0 }
		dd && /<BetalingAanDerden>/ { inderde = 1; mine = 0 }
		inderde && /<Kenmerk>/ { mine = index($0, ">" ken "<") > 0 }
		inderde && mine && /<IBAN>/ { sub(/<IBAN>[A-Z0-9]*<\/IBAN>/, "<IBAN>" nd "</IBAN>"); mine = 0 }
		/<\/BetalingAanDerden>/ { inderde = 0 }
		{ print }' >"$tmp/register-2026-12-10.xml"
[ "$(diff samples/register-2026-11-27.xml "$tmp/register-2026-12-10.xml" | grep -c '^>')" = 3 ] \
	|| fail "setup: the corrected register differs in more or fewer lines than header, account and third-party IBAN"
grep -q "<IBAN>$NEW_CLIENT</IBAN>" "$tmp/register-2026-12-10.xml" && grep -q "<IBAN>$NEW_DERDE</IBAN>" "$tmp/register-2026-12-10.xml" \
	|| fail "setup: the register correction did not take"
export BETAALRUN_NOW=2026-12-14T09:00:00
for h in "$home" "$tmp/control"; do
	cp "$tmp/register-2026-12-10.xml" "$h/inbox/"
	ingest "$h"
	"$BR" --home "$h" run --month 2026-12 --key "$keys/prep.p12" >"$tmp/dec.out" 2>"$tmp/err" || fail "December run in $(basename "$h"): $(cat "$tmp/err")"
	head -n1 "$tmp/dec.out" >"$h.dec"
done
dec=$(cat "$home.dec"); decc=$(cat "$tmp/control.dec")
[[ "$dec" =~ ^BR-202612- ]] && [[ "$decc" =~ ^BR-202612- ]] || fail "no December run ids: $dec $decc"
fdec=$home/out/2026-12/$dec/pain.001.xml
for x in pain.001.001.09.xsd EPC132-08_2023_V1.0_SCT_C2PSP_pain.001.001.09.xsd; do
	xmllint --noout --nonet --schema "$XSD/$x" "$fdec" 2>/dev/null || fail "$x rejects the December file"
done
[ "$(grep -o '<InstdAmt Ccy="EUR">[0-9]*\.[0-9][0-9]' "$fdec" | sed 's/.*>//' | awk -F. '{s += $1 * 100 + $2} END {print s}')" \
	= "$(q "$home" "SELECT sum(bedrag_cents) FROM betaling WHERE run = (SELECT id FROM run WHERE msg_id = '$dec')")" ] \
	|| fail "the December file's amounts are not the run's payment rows"
# per payment: dossier, kind, account, amount, paid again for
pays() {
	q "$1" "SELECT d.nummer || '|' || b.soort || '|' || b.iban || '|' || b.bedrag_cents || '|' || coalesce(b.herbetaling_van, '')
		FROM betaling b JOIN dossier d ON d.id = b.dossier WHERE b.run = (SELECT id FROM run WHERE msg_id = '$2')
		ORDER BY d.nummer, b.soort, b.bedrag_cents, b.iban"
}
pays "$home" "$dec" >"$tmp/dec.real"
pays "$tmp/control" "$decc" >"$tmp/dec.control"
c1=$(grep -c "^$P1_NR|CLIENT|" "$tmp/dec.control" || true)
[ "$c1" = 1 ] || fail "CONTROL pays $P1_NR $c1 client payment(s) in December"
grep -q "^$P1_NR|CLIENT|$NEW_CLIENT|" "$tmp/dec.control" || fail "CONTROL does not pay $P1_NR to the corrected account"
# expected: CONTROL's, with P1's money added to its dossier's client payment and the
# third party's rejected payment paid again to the third party's new account
awk -F'|' -v OFS='|' -v nr="$P1_NR" -v amt="$P1_AMT" -v d2="$D2_NR" -v q2="$Q2" -v q2amt="$Q2_AMT" -v nd="$NEW_DERDE" '
	$1 == nr && $2 == "CLIENT" { $4 += amt }
	{ print }
	END { print d2, "DERDE", nd, q2amt, q2 }' "$tmp/dec.control" |
	sort -t'|' -k1,1 -k2,2 -k4,4n -k3,3 >"$tmp/dec.want"
sort -t'|' -k1,1 -k2,2 -k4,4n -k3,3 "$tmp/dec.real" >"$tmp/dec.have"
diff "$tmp/dec.want" "$tmp/dec.have" >"$tmp/diff" \
	|| fail "December differs from CONTROL by more than P1 (+$P1_AMT to $P1_NR) and the third party's $Q2_AMT to $NEW_DERDE: $(head -20 "$tmp/diff")"
grep "^$D2_NR|CLIENT|" "$tmp/dec.real" | diff - <(grep "^$D2_NR|CLIENT|" "$tmp/dec.control") >/dev/null \
	|| fail "D2's client payment differs from CONTROL's"
[ "$(grep -c "^$D2_NR|DERDE|$NEW_DERDE|$Q2_AMT|$Q2$" "$tmp/dec.real")" = 1 ] || fail "the third party's money is not paid again once to its new account"
ok "B5: December = CONTROL + P1's $(amt "$P1_AMT") to $P1_NR's new account + the third party's $(amt "$Q2_AMT") to its new account (herbetaling_van $Q2); D2's client payment unchanged"

# the December report lists what the bank booked back since November, with
# amounts, in the part that needs action; CONTROL heard nothing from the bank
tb=$home/out/2026-12/$dec/rapport-teruggeboekt.csv
[ "$(wc -l <"$tb")" = 3 ] || fail "rapport-teruggeboekt.csv: $(wc -l <"$tb") lines, expected a header and 2: $(cat "$tb")"
grep -q "^$P1_NR;[0-9]\{4\};[^;]*;cliënt;AC04 (rekening opgeheven);$(amt "$P1_AMT" | tr . ,)"$'\r'"\$" "$tb" \
	|| fail "rapport-teruggeboekt.csv does not list P1 ($P1_NR, $(amt "$P1_AMT")): $(cat "$tb")"
grep -q "^$D2_NR;[0-9]\{4\};[^;]*;derde $Q2_KEN;AC04 (rekening opgeheven);$(amt "$Q2_AMT" | tr . ,)"$'\r'"\$" "$tb" \
	|| fail "rapport-teruggeboekt.csv does not list Q2 ($D2_NR, $Q2_KEN, $(amt "$Q2_AMT")): $(cat "$tb")"
grep -q "Teruggeboekt door de bank</a></th><td class=\"n\">2</td><td class=\"n\">$(nl_money $((P1_AMT + Q2_AMT)))</td>" \
	"$home/out/2026-12/$dec/rapport.html" || fail "rapport.html: the action part does not count P1 and Q2 booked back"
[ "$(wc -l <"$tmp/control/out/2026-12/$decc/rapport-teruggeboekt.csv")" = 1 ] || fail "CONTROL's report lists payments booked back"
ok "B5: December's report lists P1 ($(amt "$P1_AMT"), client) and Q2 ($(amt "$Q2_AMT"), derde $Q2_KEN) booked back for AC04; CONTROL's none"

"$BR" --home "$home" approve "$dec" --ja --key "$keys/appr.pem" --pass-fd 3 3</dev/null >/dev/null 2>"$tmp/err" || fail "approve December: $(cat "$tmp/err")"
"$BR" --home "$home" release "$dec" >/dev/null 2>"$tmp/err" || fail "release December: $(cat "$tmp/err")"
again=$(q "$home" "SELECT id FROM betaling WHERE herbetaling_van = $Q2 AND run = (SELECT id FROM run WHERE msg_id = '$dec')")
[ -n "$again" ] && [ "$(q "$home" "SELECT herbetaald FROM terugboeking WHERE betaling = $Q2")" = "$again" ] \
	|| fail "terugboeking.herbetaald of the third party's payment is not the December payment $again"
[ "$(q "$home" "SELECT coalesce(herbetaald, 'NULL') FROM terugboeking WHERE betaling = $P1")" = NULL ] \
	|| fail "the client payment's terugboeking is marked as paid again by a third-party payment"
rc=0
"$BR" --home "$home" run --month 2026-12 --aanvullend --key "$keys/prep.p12" >"$tmp/aanv.out" 2>"$tmp/err" || rc=$?
[ "$rc" = 0 ] || fail "supplementary December run: exit $rc: $(cat "$tmp/err")"
[ "$(sed -n 1p "$tmp/aanv.out")" = none ] && grep -q '^transacties *0$' "$tmp/aanv.out" \
	|| fail "a supplementary run right after the December release paid again: $(cat "$tmp/aanv.out")"
[ "$(q "$home" "SELECT count(*) FROM run WHERE aanvullend = 1")" = 0 ] || fail "an empty supplementary run was recorded"
ok "B5: December released: the owed payment is settled (herbetaald = $again); a supplementary run pays nothing twice"

# ---- C. the whole file rejected (AM10) ----------------------------------------------

hc=$tmp/homeC
export BETAALRUN_NOW=2026-11-26T08:00:00
jobs_before=$(q "$hc" "SELECT count(*) FROM taak WHERE soort IN ('REGISTER', 'DERDEN')")
bank_before=$(q "$hc" "SELECT count(*) FROM taak WHERE soort = 'BANK'")
RC=INGB-PSR-20261126-AM10
drop "$hc" "pain002-$RC.xml" pain.002.001.03.xsd <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>$RC</MsgId>
      <CreDtTm>2026-11-26T07:00:03</CreDtTm>
      <InitgPty>
        <Id>
          <OrgId>
            <BICOrBEI>ABNANL2A</BICOrBEI>
          </OrgId>
        </Id>
      </InitgPty>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>$run</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <OrgnlCreDtTm>$created</OrgnlCreDtTm>
      <OrgnlNbOfTxs>$N</OrgnlNbOfTxs>
      <OrgnlCtrlSum>$(amt "$TOTAL")</OrgnlCtrlSum>
      <GrpSts>RJCT</GrpSts>
      <StsRsnInf>
        <Rsn>
          <Cd>AM10</Cd>
        </Rsn>
        <AddtlInf>Controletotaal komt niet overeen met het totaal van de posten.</AddtlInf>
      </StsRsnInf>
    </OrgnlGrpInfAndSts>
  </CstmrPmtStsRpt>
</Document>
XML
ingest "$hc"
[ "$(q "$hc" "SELECT count(*) || ' ' || coalesce(sum(klasse = 'OVERIG'), 0) || ' ' || coalesce(sum(bron = 'pain002'), 0) FROM terugboeking t
	JOIN betaling b ON b.id = t.betaling AND b.run = $rid")" = "$N $N $N" ] \
	|| fail "the whole-file rejection did not book back all $N payments as OVERIG: $(q "$hc" "SELECT klasse, count(*) FROM terugboeking GROUP BY 1")"
[ "$(q "$hc" "SELECT count(*) FROM terugboeking")" = "$N" ] || fail "terugboeking has rows of no payment of the run"
CLIENT_TOTAL=$(q "$hc" "SELECT sum(bedrag_cents) FROM betaling WHERE run = $rid AND soort = 'CLIENT'")
[ "$(q "$hc" "SELECT count(*) || ' ' || -sum(bedrag_cents) FROM boeking WHERE terugboeking IS NOT NULL")" \
	= "$(q "$hc" "SELECT count(*) FROM betaling WHERE run = $rid AND soort = 'CLIENT'") $CLIENT_TOTAL" ] \
	|| fail "the client payments were not booked back once each"
[ "$(q "$hc" "SELECT count(*) FROM taak WHERE soort IN ('REGISTER', 'DERDEN')")" = "$jobs_before" ] \
	|| fail "a whole-file rejection opened REGISTER or DERDEN jobs: $(q "$hc" "SELECT soort, sleutel FROM taak WHERE sleutel LIKE 'TERUG %' LIMIT 3")"
[ "$bank_before" = 0 ] && [ "$(q "$hc" "SELECT count(*) FROM taak WHERE soort = 'BANK'")" = 1 ] \
	|| fail "not exactly one new BANK job: $(q "$hc" "SELECT sleutel FROM taak WHERE soort = 'BANK'")"
IFS='|' read -r bdos bkey btext <<<"$(q "$hc" "SELECT coalesce(dossier, 'NULL'), sleutel, omschrijving FROM taak WHERE soort = 'BANK' ORDER BY id DESC LIMIT 1")"
[ "$bdos" = NULL ] && [ "$bkey" = "pain002 $RC" ] || fail "the BANK job: dossier $bdos, key '$bkey'"
total_nl=$(nl_money "$TOTAL")
grep -qw -- "$N" <<<"$btext" && grep -qF -- "$total_nl" <<<"$btext" && grep -q AM10 <<<"$btext" \
	|| fail "the BANK job does not name the count $N, the total $total_nl and AM10: $btext"
"$BR" --home "$hc" runs >"$tmp/runs.c" 2>"$tmp/err" || fail "runs: $(cat "$tmp/err")"
grep -A1 "^$run " "$tmp/runs.c" | grep -q "^  bank: 0 verwerkt, $N geweigerd, 0 teruggestort, 0 zonder eindstatus (DOOR DE BANK GEWEIGERD" \
	|| fail "runs does not show the run as rejected by the bank: $(grep -A2 "^$run " "$tmp/runs.c")"
ok "C: AM10 for the whole file: all $N payments booked back (OVERIG), no REGISTER/DERDEN job, one BANK job naming $N and $total_nl, runs says rejected"

export BETAALRUN_NOW=2026-11-26T09:00:00
"$BR" --home "$hc" run --month 2026-11 --aanvullend --key "$keys/prep.p12" >"$tmp/aanvC.out" 2>"$tmp/err" || fail "supplementary run: $(cat "$tmp/err")"
aanv=$(head -n1 "$tmp/aanvC.out")
[[ "$aanv" =~ ^BR-202611- ]] || fail "the supplementary run paid nothing: $(cat "$tmp/aanvC.out")"
xmllint --noout --nonet --schema "$XSD/pain.001.001.09.xsd" "$hc/out/2026-11/$aanv/pain.001.xml" 2>/dev/null || fail "the supplementary file is not valid"
payset() {
	q "$1" "SELECT b.dossier || '|' || b.soort || '|' || b.iban || '|' || b.bedrag_cents FROM betaling b
		WHERE b.run = (SELECT id FROM run WHERE msg_id = '$2') ORDER BY 1"
}
payset "$hc" "$run" >"$tmp/c.nov"
payset "$hc" "$aanv" >"$tmp/c.aanv"
diff "$tmp/c.nov" "$tmp/c.aanv" >"$tmp/diff" || fail "the supplementary run does not pay exactly what the rejected file would have paid: $(head -10 "$tmp/diff")"
[ "$(q "$hc" "SELECT count(*) || ' ' || sum(bedrag_cents) FROM betaling WHERE run = (SELECT id FROM run WHERE msg_id = '$aanv')")" = "$N $TOTAL" ] \
	|| fail "the supplementary run's count and total"
[ "$(q "$hc" "SELECT count(*) FROM betaling WHERE run = (SELECT id FROM run WHERE msg_id = '$aanv') AND soort = 'DERDE'
	AND herbetaling_van IS NOT NULL")" = "$(q "$hc" "SELECT count(*) FROM betaling WHERE run = $rid AND soort = 'DERDE'")" ] \
	|| fail "the third parties' payments are not marked as paid again"
"$BR" --home "$hc" approve "$aanv" --ja --key "$keys/appr.pem" --pass-fd 3 3</dev/null >/dev/null 2>"$tmp/err" || fail "approve $aanv: $(cat "$tmp/err")"
"$BR" --home "$hc" release "$aanv" >/dev/null 2>"$tmp/err" || fail "release $aanv: $(cat "$tmp/err")"
[ "$(q "$hc" "SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling WHERE b.soort = 'DERDE' AND t.herbetaald IS NULL")" = 0 ] \
	|| fail "third parties' payments still owed after the supplementary run's release"
rc=0
"$BR" --home "$hc" run --month 2026-11 --aanvullend --key "$keys/prep.p12" >"$tmp/aanvC2.out" 2>"$tmp/err" || rc=$?
[ "$rc" = 0 ] && [ "$(sed -n 1p "$tmp/aanvC2.out")" = none ] && grep -q '^transacties *0$' "$tmp/aanvC2.out" \
	|| fail "a second supplementary run after $aanv was released pays again (exit $rc): $(cat "$tmp/aanvC2.out" "$tmp/err")"
ok "C: the supplementary run $aanv pays exactly the rejected file again: $N payments, $total_nl, third parties to the same accounts; once released, nothing is due twice"

# ---- D. status lines that match nothing -------------------------------------------

hd=$tmp/homeD
export BETAALRUN_NOW=2026-11-26T08:00:00
IFS='|' read -r U_ID U_E2E U_PMT <<<"$(q "$hd" "SELECT b.id, b.end_to_end_id, (SELECT p.pmtinf_id FROM batch p WHERE p.id = b.batch) FROM betaling b WHERE b.run = $rid AND b.soort = 'CLIENT' ORDER BY b.id LIMIT 1 OFFSET 4")"
U_LOW=$(tr 'A-Z' 'a-z' <<<"$U_E2E")
[ "$U_LOW" != "$U_E2E" ] || fail "setup: the EndToEndId $U_E2E has no upper case"
RU=RABO-PSR-20261126-UNKNOWN
drop "$hd" "pain002-$RU.xml" pain.002.001.10.xsd <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>$RU</MsgId>
      <CreDtTm>2026-11-26T07:10:00+01:00</CreDtTm>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>BR-202611-0099</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>BR-202611-0099-K1</OrgnlPmtInfId>
      <TxInfAndSts>
        <OrgnlEndToEndId>$U_E2E</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf>
          <Rsn>
            <Prtry>RABO-REK-GESLOTEN-BEGUNSTIGDE</Prtry>
          </Rsn>
          <AddtlInf>Rekening begunstigde gesloten</AddtlInf>
        </StsRsnInf>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
XML
RL=ABNA-PSR-20261126-LOWER
drop "$hd" "pain002-$RL.xml" pain.002.001.10.xsd <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>$RL</MsgId>
      <CreDtTm>2026-11-26T07:20:00</CreDtTm>
      <InitgPty>
        <Nm>ABN AMRO</Nm>
      </InitgPty>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>$run</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>$U_PMT</OrgnlPmtInfId>
      <TxInfAndSts>
        <OrgnlEndToEndId>$U_LOW</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf>
          <Rsn>
            <Cd>AC01</Cd>
          </Rsn>
        </StsRsnInf>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
XML
ingest "$hd"
[ -z "$(ls "$hd/quarantine")" ] || fail "an unmatched report was quarantined: $(cat "$hd"/quarantine/*.reason)"
[ "$(q "$hd" "SELECT count(*) FROM levering WHERE levering_id IN ('$RU', '$RL')")" = 2 ] || fail "the unmatched reports were not ingested"
# RU: its group line and its transaction line; RL: its transaction line
[ "$(q "$hd" "SELECT group_concat(l.levering_id || ' ' || s.niveau || ' ' || s.status || ' ' || s.onbekend, ',') FROM (SELECT * FROM bankstatus ORDER BY id) s
	JOIN levering l ON l.id = s.levering")" = "$RU 1 PART 1,$RU 3 RJCT 1,$RL 3 RJCT 1" ] \
	|| fail "unmatched lines: $(q "$hd" "SELECT levering, niveau, orgnl_e2e_id, status, onbekend FROM bankstatus")"
[ "$(q "$hd" "SELECT count(*) FROM terugboeking")" = 0 ] || fail "an unmatched line booked something back"
[ "$(q "$hd" "SELECT reden || ' ' || reden_prtry FROM bankstatus WHERE niveau = 3 AND orgnl_msg_id = 'BR-202611-0099'")" = "RABO-REK-GESLOTEN-BEGUNSTIGDE 1" ] \
	|| fail "the proprietary reason is not kept as such"
[ "$(q "$hd" "SELECT coalesce(status, '') FROM betaling WHERE id = $U_ID")" = "" ] || fail "a lower-case EndToEndId changed $U_E2E"
"$BR" --home "$hd" status >"$tmp/status.out" 2>&1 || fail "status: $(cat "$tmp/status.out")"
grep -q "^  $RU regel [0-9]*: BR-202611-0099 $U_E2E RJCT RABO-REK-GESLOTEN-BEGUNSTIGDE" "$tmp/status.out" \
	&& grep -q "^  $RL regel [0-9]*: $run $U_LOW RJCT AC01" "$tmp/status.out" \
	|| fail "status does not list the unmatched lines: $(cat "$tmp/status.out")"
for r in "$RU" "$RL"; do
	[ "$(q "$hd" "SELECT count(*) FROM taak WHERE soort = 'BANK' AND dossier IS NULL AND sleutel = 'pain002 $r' AND omschrijving LIKE '%$r%'")" = 1 ] \
		|| fail "no BANK job names $r: $(q "$hd" "SELECT sleutel, omschrijving FROM taak WHERE soort = 'BANK'")"
done
ok "D: an unknown OrgnlMsgId and a lower-case EndToEndId: kept (onbekend = 1), listed by status, a BANK job per report"

# ---- E. a statement of another account -------------------------------------------------

OTHER=NL20INGB0001234567
levs=$(q "$hd" "SELECT count(*) FROM levering"); posts=$(q "$hd" "SELECT count(*) FROM bankpost")
SE=INGB-C053-20261126-01
entriesE=$(for b in "${batches[@]}"; do
	IFS='|' read -r pid n sum <<<"$b"
	cat <<NTRY
      <Ntry>
        <Amt Ccy="EUR">$(amt "$sum")</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt>
          <Dt>2026-11-25</Dt>
        </BookgDt>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>ICDT</Cd>
              <SubFmlyCd>ESCT</SubFmlyCd>
            </Fmly>
          </Domn>
        </BkTxCd>
        <NtryDtls>
          <Btch>
            <MsgId>$run</MsgId>
            <PmtInfId>$pid</PmtInfId>
          </Btch>
        </NtryDtls>
      </Ntry>
NTRY
done)
drop "$hd" "camt053-$SE.xml" camt.053.001.02.xsd <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>$SE</MsgId>
      <CreDtTm>2026-11-26T06:00:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>$SE-1</Id>
      <CreDtTm>2026-11-26T06:00:00</CreDtTm>
      <Acct>
        <Id>
          <IBAN>$OTHER</IBAN>
        </Id>
        <Ccy>EUR</Ccy>
      </Acct>
      <Bal>
        <Tp>
          <CdOrPrtry>
            <Cd>CLBD</Cd>
          </CdOrPrtry>
        </Tp>
        <Amt Ccy="EUR">100.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt>
          <Dt>2026-11-25</Dt>
        </Dt>
      </Bal>
$entriesE
    </Stmt>
  </BkToCstmrStmt>
</Document>
XML
ingest "$hd" 65
[ -f "$hd/quarantine/camt053-$SE.xml" ] && [ -f "$hd/quarantine/camt053-$SE.xml.reason" ] || fail "the statement of $OTHER was not quarantined"
grep -q "^problem: afschrift .* is van rekening \*\*\*\*4567, niet van de rekening waarvan betaalrun betaalt" "$hd/quarantine/camt053-$SE.xml.reason" \
	|| fail "the reason does not name the account: $(cat "$hd/quarantine/camt053-$SE.xml.reason")"
[ "$(q "$hd" "SELECT count(*) FROM levering") $(q "$hd" "SELECT count(*) FROM bankpost") $(q "$hd" "SELECT count(*) FROM afschrijving")" = "$levs $posts 0" ] \
	|| fail "something of the other account's statement was stored"
ok "E: a camt.053 of $OTHER is quarantined (the reason names ****4567), nothing stored"

# ---- F. Verification of Payee: no match --------------------------------------------------

IFS='|' read -r V_ID V_E2E V_PMT V_DOS V_IBAN <<<"$(q "$hd" "SELECT b.id, b.end_to_end_id, (SELECT p.pmtinf_id FROM batch p WHERE p.id = b.batch), b.dossier, b.iban FROM betaling b
	JOIN dossier d ON d.id = b.dossier WHERE b.run = $rid AND b.soort = 'CLIENT' AND b.id <> $U_ID AND $plain ORDER BY b.id DESC LIMIT 1")"
reg_before=$(q "$hd" "SELECT count(*) FROM taak WHERE dossier = $V_DOS AND soort = 'REGISTER'")
[ "$reg_before" = 0 ] || fail "setup: $V_E2E's dossier has a REGISTER job already"
RV=DEUT-VOP-20261126-0001
drop "$hd" "pain002-$RV.xml" pain.002.001.10.xsd <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>$RV</MsgId>
      <CreDtTm>2026-11-26T07:30:00.000+01:00</CreDtTm>
      <InitgPty>
        <Nm>Verification of Payee service</Nm>
      </InitgPty>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>$run</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>$V_PMT</OrgnlPmtInfId>
      <TxInfAndSts>
        <OrgnlEndToEndId>$V_E2E</OrgnlEndToEndId>
        <TxSts>RVNM</TxSts>
        <StsRsnInf>
          <AddtlInf>Name does not match the account holder</AddtlInf>
        </StsRsnInf>
        <OrgnlTxRef>
          <Cdtr>
            <Pty>
              <Nm>J. JANSEN</Nm>
            </Pty>
          </Cdtr>
          <CdtrAcct>
            <Id>
              <IBAN>$V_IBAN</IBAN>
            </Id>
          </CdtrAcct>
        </OrgnlTxRef>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
XML
ingest "$hd"
[ "$(q "$hd" "SELECT count(*) FROM taak WHERE dossier = $V_DOS AND soort = 'REGISTER' AND omschrijving LIKE '%J. JANSEN%' AND omschrijving LIKE '%RVNM%'")" = 1 ] \
	|| fail "no REGISTER job with the name J. JANSEN: $(q "$hd" "SELECT soort, omschrijving FROM taak WHERE dossier = $V_DOS")"
[ "$(q "$hd" "SELECT count(*) FROM terugboeking")" = 0 ] && [ "$(q "$hd" "SELECT count(*) FROM boeking WHERE terugboeking IS NOT NULL")" = 0 ] \
	|| fail "a Verification of Payee result booked something"
[ "$(q "$hd" "SELECT naam || ' ' || onbekend FROM bankstatus s JOIN levering l ON l.id = s.levering WHERE l.levering_id = '$RV'")" = "J. JANSEN 0" ] \
	|| fail "the VoP line is not kept with the name"
ok "F: RVNM with 'J. JANSEN': a REGISTER job with the name, nothing booked"

ok "test_bank.sh done in $(($(date +%s) - t0)) s"
