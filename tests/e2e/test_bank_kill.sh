#!/usr/bin/env bash
# Crash safety of the bank's feedback (issue 9): kill -9 at random moments
# during the ingest of a status report and a statement that book payments
# back, and during the supplementary run that pays them again.  Finished by
# running the command again, every end state equals that of an
# uninterrupted run: nothing booked back twice, nothing lost.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
# in memory when the machine has it: a run writes thousands of small files
tmp=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d); trap 'rm -rf "$tmp"' EXIT
KILLS=${KILLS:-10}
keys=$tmp/keys; mkdir -p "$keys"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Kill CA"
for who in P A; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/CN=Signer $who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
	cat "$keys/$who.key" "$keys/$who.pem" >"$keys/$who.bundle"
done
export BETAALRUN_NOW=2026-11-20T09:00:00
base=$tmp/base
"$BR" --home "$base" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^startmaand *=.*/startmaand = 2026-10/' \
	-e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" "$base/betaalrun.conf"
cp samples/register-*.xml "$base/inbox/"; "$BR" --home "$base" ingest >/dev/null 2>&1
cp samples/inkomen-*.xml* "$base/inbox/"; "$BR" --home "$base" ingest >/dev/null 2>&1
run=$("$BR" --home "$base" run --month 2026-11 --key "$keys/P.bundle" --pass-fd 3 3</dev/null | sed -n 1p)
"$BR" --home "$base" approve "$run" --ja --key "$keys/A.bundle" --pass-fd 3 3</dev/null >/dev/null
"$BR" --home "$base" release "$run" >/dev/null
export BETAALRUN_NOW=2026-11-26T09:00:00
# the end state: the store with the home's path taken out, the archive, the
# run folders (a signature is not reproducible: its signing time differs)
state() {
	store_dump "$1" | sed "s|$1|HOME|g"
	archive_list "$1"
	(cd "$1" && find outbox out -type f ! -name '*.p7s' -exec sha256sum {} + 2>/dev/null | sort -k2)
}

# the bank's files: a report rejecting 400 payments at transaction level
# (account and other reasons) and a statement returning 150, 75 of them
# rejected before, with the batch debits
q="SELECT b.end_to_end_id, (SELECT p.pmtinf_id FROM batch p WHERE p.id = b.batch), b.bedrag_cents, b.id % 2 FROM betaling b WHERE b.run = (SELECT id FROM run WHERE msg_id = '$run')"
sqlite3 -separator ' ' "$base/betaalrun.db" "$q AND id % 7 = 0 ORDER BY id LIMIT 400" >"$tmp/rej"
sqlite3 -separator ' ' "$base/betaalrun.db" "$q AND id % 7 IN (0, 3) ORDER BY id DESC LIMIT 150" >"$tmp/ret"
sqlite3 -separator ' ' "$base/betaalrun.db" "SELECT p.pmtinf_id, sum(b.bedrag_cents), count(*) FROM betaling b
	JOIN batch p ON p.id = b.batch WHERE b.run = (SELECT id FROM run WHERE msg_id = '$run') GROUP BY p.pmtinf_id" >"$tmp/batches"
amt() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>'
	printf '<GrpHdr><MsgId>KILL-STS-1</MsgId><CreDtTm>2026-11-25T07:00:00</CreDtTm></GrpHdr>'
	printf '<OrgnlGrpInfAndSts><OrgnlMsgId>%s</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>' "$run"
	while read -r e2e pmt cents odd; do
		printf '<OrgnlPmtInfAndSts><OrgnlPmtInfId>%s</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>%s</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>%s</Cd></Rsn></StsRsnInf></TxInfAndSts></OrgnlPmtInfAndSts>' \
			"$pmt" "$e2e" "$([ "$odd" = 1 ] && echo AC04 || echo AM04)"
	done <"$tmp/rej"
	printf '</CstmrPmtStsRpt></Document>\n'
} >"$tmp/status.xml"
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
	printf '<GrpHdr><MsgId>KILL-STMT-1</MsgId><CreDtTm>2026-11-26T06:00:00</CreDtTm></GrpHdr>'
	printf '<Stmt><Id>KILL-STMT-1-1</Id><CreDtTm>2026-11-26T06:00:00</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>'
	printf '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">25000000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-24</Dt></Dt></Bal>'
	while read -r pmt cents n; do
		printf '<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-24</Dt></BookgDt><ValDt><Dt>2026-11-24</Dt></ValDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><Btch><MsgId>%s</MsgId><PmtInfId>%s</PmtInfId><NbOfTxs>%s</NbOfTxs></Btch></NtryDtls></Ntry>' \
			"$(amt "$cents")" "$run" "$pmt" "$n"
	done <"$tmp/batches"
	while read -r e2e pmt cents odd; do
		printf '<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-26</Dt></BookgDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>%s</EndToEndId></Refs><RtrInf><Rsn><Cd>MD07</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>' \
			"$(amt "$cents")" "$e2e"
	done <"$tmp/ret"
	printf '</Stmt></BkToCstmrStmt></Document>\n'
} >"$tmp/statement.xml"
xmllint --noout --schema data/schemas/iso20022/pain.002.001.03.xsd "$tmp/status.xml" 2>/dev/null || fail "test pain.002 invalid"
xmllint --noout --schema data/schemas/iso20022/camt.053.001.02.xsd "$tmp/statement.xml" 2>/dev/null || fail "test camt.053 invalid"
cp "$tmp/status.xml" "$tmp/statement.xml" "$base/inbox/"

# the reference: one uninterrupted ingest
cp -a "$base" "$tmp/ref"
t0=$(date +%s%N); "$BR" --home "$tmp/ref" ingest >/dev/null 2>&1 || fail "reference ingest"; t1=$(date +%s%N)
ing_ms=$(( (t1 - t0) / 1000000 ))
both=$(sort -u <(cut -d' ' -f1 "$tmp/rej") <(cut -d' ' -f1 "$tmp/ret") | wc -l)
[ "$(count "$tmp/ref" "SELECT count(*) FROM terugboeking")" = "$both" ] || fail "reference: $(count "$tmp/ref" "SELECT count(*) FROM terugboeking") booked back, expected $both"
state "$tmp/ref" >"$tmp/ref.state"

RANDOM=909; kills=0; rounds=0
while [ "$kills" -lt $((KILLS / 2)) ]; do
	rounds=$((rounds + 1)); rm -rf "$tmp/k"; cp -a "$base" "$tmp/k"
	"$BR" --home "$tmp/k" ingest >/dev/null 2>&1 &
	pid=$!; d=$(( RANDOM % (ing_ms + 1) )); sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null || true
	n=$(count "$tmp/k" "SELECT count(*) FROM terugboeking")
	[ "$n" -le "$both" ] || fail "$n payments booked back after a kill, at most $both"
	"$BR" --home "$tmp/k" ingest >/dev/null 2>&1 || fail "ingest after a kill failed"
	state "$tmp/k" >"$tmp/k.state"
	cmp -s "$tmp/ref.state" "$tmp/k.state" || { diff "$tmp/ref.state" "$tmp/k.state" | head >&2; fail "state after a killed ingest differs"; }
done
ok "$kills kills during the ingest of a report and a statement ($rounds rounds, ${ing_ms} ms): $both booked back once, same end state"

# the supplementary run that pays them again
cp -a "$tmp/ref" "$tmp/ingested"
sup() { "$BR" --home "$1" run --month 2026-11 --aanvullend --key "$keys/P.bundle" --pass-fd 3 3</dev/null; }
t0=$(date +%s%N); sup "$tmp/ref" >/dev/null 2>&1 || fail "reference supplementary run"; t1=$(date +%s%N)
run_ms=$(( (t1 - t0) / 1000000 ))
state "$tmp/ref" >"$tmp/ref2.state"
kills=0; rounds=0
while [ "$kills" -lt $((KILLS - KILLS / 2)) ]; do
	rounds=$((rounds + 1)); rm -rf "$tmp/k"; cp -a "$tmp/ingested" "$tmp/k"
	# the binary itself in the background, not a shell function (a subshell
	# would stand between us and the process we kill)
	"$BR" --home "$tmp/k" run --month 2026-11 --aanvullend --key "$keys/P.bundle" --pass-fd 3 3</dev/null >/dev/null 2>&1 &
	pid=$!; d=$(( RANDOM % (run_ms + 1) )); sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null || true
	[ "$(count "$tmp/k" "SELECT count(*) FROM run WHERE aanvullend = 1")" = 1 ] || sup "$tmp/k" >/dev/null 2>&1 || fail "supplementary run after a kill failed"
	state "$tmp/k" >"$tmp/k.state"
	cmp -s "$tmp/ref2.state" "$tmp/k.state" || { diff "$tmp/ref2.state" "$tmp/k.state" | head >&2; fail "state after a killed supplementary run differs"; }
done
ok "$kills kills during the supplementary run ($rounds rounds, ${run_ms} ms): prepared whole or not at all, same end state"
