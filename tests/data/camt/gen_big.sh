#!/usr/bin/env bash
# gen_big.sh — a large, schema-valid camt.053 statement for timing
# parsers/camt.c against `xmllint --stream --schema` (not committed data).
#
#   gen_big.sh [ENTRIES [VERSION [OUT]]]
#     ENTRIES  number of <Ntry> (default 500000)
#     VERSION  02 or 08 (default 02): camt.053.001.VERSION
#     OUT      default /tmp/camt053-big-VERSION.xml
#
# One statement for the debtor account; the entries cycle through the shapes
# a bank books for a payment run: a batch debit per PmtInf with its TxDtls
# listed, returns (PMNT/ICDT/RRTN, RtrInf AC04/MD07), salary-like credits and
# fees.  Every entry has one NtryDtls; amounts vary, some with 3 decimals.
set -eu

n=${1:-500000}
v=${2:-02}
out=${3:-/tmp/camt053-big-$v.xml}

case "$v" in
02|08) ;;
*) echo "gen_big.sh: VERSION must be 02 or 08" >&2; exit 64 ;;
esac

awk -v n="$n" -v v="$v" '
function amt(cents) { return sprintf("%d.%02d", int(cents / 100), cents % 100) }
function sts() { return v == "02" ? "<Sts>BOOK</Sts>" : "<Sts><Cd>BOOK</Cd></Sts>" }
function txamt(a) {
	if (v == "08") return "<Amt Ccy=\"EUR\">" a "</Amt><CdtDbtInd>DBIT</CdtDbtInd>"
	return "<AmtDtls><TxAmt><Amt Ccy=\"EUR\">" a "</Amt></TxAmt></AmtDtls>"
}
function btc(d, f, s) {
	return "      <BkTxCd>\n        <Domn>\n          <Cd>" d "</Cd>\n          <Fmly>\n            <Cd>" f "</Cd>\n            <SubFmlyCd>" s "</SubFmlyCd>\n          </Fmly>\n        </Domn>\n        <Prtry>\n          <Cd>N" (100 + i % 900) "</Cd>\n          <Issr>ABNAMRO</Issr>\n        </Prtry>\n      </BkTxCd>\n"
}
function head(a, cd) {
	printf "    <Ntry>\n      <Amt Ccy=\"EUR\">%s</Amt>\n      <CdtDbtInd>%s</CdtDbtInd>\n      %s\n", a, cd, sts()
	printf "      <BookgDt>\n        <Dt>2026-11-25</Dt>\n      </BookgDt>\n      <ValDt>\n        <Dt>2026-11-25</Dt>\n      </ValDt>\n"
	printf "      <AcctSvcrRef>ABN%012d</AcctSvcrRef>\n", i
}
BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001." v "\">"
	print "  <BkToCstmrStmt>\n    <GrpHdr>\n      <MsgId>ABNA-BIG-" n "</MsgId>\n      <CreDtTm>2026-11-25T21:00:00+01:00</CreDtTm>\n    </GrpHdr>"
	print "  <Stmt>\n    <Id>ABNA-BIG-STMT-1</Id>\n    <CreDtTm>2026-11-25T21:00:00+01:00</CreDtTm>"
	print "    <Acct>\n      <Id>\n        <IBAN>NL91ABNA0417164300</IBAN>\n      </Id>\n      <Ccy>EUR</Ccy>\n    </Acct>"
	for (b = 0; b < 2; b++) {
		print "    <Bal>\n      <Tp>\n        <CdOrPrtry>\n          <Cd>" (b ? "CLBD" : "OPBD") "</Cd>\n        </CdOrPrtry>\n      </Tp>"
		print "      <Amt Ccy=\"EUR\">100000000.00</Amt>\n      <CdtDbtInd>CRDT</CdtDbtInd>\n      <Dt>\n        <Dt>2026-11-25</Dt>\n      </Dt>\n    </Bal>"
	}
	for (i = 1; i <= n; i++) {
		k = i % 4
		c = 1000 + (i * 7919) % 250000
		e2e = sprintf("BR1-%06d", i % 1000000)
		if (k == 0) {          # a PmtInf booked as one debit, its transaction listed
			head(amt(c), "DBIT")
			printf "%s", btc("PMNT", "ICDT", "ESCT")
			printf "      <NtryDtls>\n        <Btch>\n          <MsgId>BR-202611-0001</MsgId>\n          <PmtInfId>BR-202611-0001-K%d</PmtInfId>\n          <NbOfTxs>1</NbOfTxs>\n          <TtlAmt Ccy=\"EUR\">%s</TtlAmt>\n        </Btch>\n", i, amt(c)
			printf "        <TxDtls>\n          <Refs>\n            <MsgId>BR-202611-0001</MsgId>\n            <PmtInfId>BR-202611-0001-K%d</PmtInfId>\n            <EndToEndId>%s</EndToEndId>\n          </Refs>\n          %s\n        </TxDtls>\n      </NtryDtls>\n", i, e2e, txamt(amt(c))
		} else if (k == 1) {   # a return
			head(amt(c), "CRDT")
			printf "%s", btc("PMNT", "ICDT", "RRTN")
			printf "      <NtryDtls>\n        <TxDtls>\n          <Refs>\n            <AcctSvcrRef>RET%09d</AcctSvcrRef>\n            <EndToEndId>%s</EndToEndId>\n          </Refs>\n          %s\n", i, e2e, v == "08" ? "<Amt Ccy=\"EUR\">" amt(c) "</Amt>" : txamt(amt(c))
			printf "          <RtrInf>\n            <Rsn>\n              <Cd>%s</Cd>\n            </Rsn>\n            <AddtlInf>Rekening opgeheven</AddtlInf>\n          </RtrInf>\n        </TxDtls>\n      </NtryDtls>\n", i % 8 == 1 ? "AC04" : "MD07"
		} else if (k == 2) {   # a salary-like credit from someone else
			head(amt(c) "0", "CRDT")
			printf "%s", btc("PMNT", "RCDT", "ESCT")
			printf "      <NtryDtls>\n        <TxDtls>\n          <Refs>\n            <EndToEndId>SAL-%d</EndToEndId>\n          </Refs>\n        </TxDtls>\n      </NtryDtls>\n", i
			printf "      <AddtlNtryInf>SALARIS NOVEMBER 2026 WERKGEVER BV</AddtlNtryInf>\n"
		} else {               # a fee
			head(amt(c % 5000), "DBIT")
			printf "%s", btc("ACMT", "MDOP", "CHRG")
			printf "      <AddtlNtryInf>KOSTEN BETALINGSVERKEER</AddtlNtryInf>\n"
		}
		print "    </Ntry>"
	}
	print "  </Stmt>\n  </BkToCstmrStmt>\n</Document>"
}' >"$out"
echo "$out: $n entries, $(wc -c <"$out") bytes"
