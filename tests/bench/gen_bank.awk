# gen_bank.awk — the bank's answer to a released payment run, at scale, for
# tests/bench/bench_bank.sh (issue: "a status report and a statement with
# 500,000 entries each").  Streaming: memory does not grow with the number
# of payments (only the returned ones are kept, R of them).
#
#   awk -v kind=pain002 [vars] batches.tsv payments.tsv payments.tsv >pain002.xml
#   awk -v kind=camt053 [vars] batches.tsv payments.tsv >camt053.xml
#
# batches.tsv:  pmtinf_id TAB n_txs TAB sum_cents           (from the store)
# payments.tsv: seq TAB e2e TAB pmtinf_id TAB cents TAB iban TAB naam TAB omschrijving
#               (ordered by pmtinf_id then seq; seq 1..N)
#
# kind=pain002: a pain.002.001.10 status report as banks send them: GrpHdr,
#   OrgnlGrpInfAndSts (GrpSts PART, NbOfTxsPerSts), one OrgnlPmtInfAndSts per
#   batch (PmtInfSts PART when a transaction in it is rejected), one
#   TxInfAndSts per payment: ACSC, or RJCT for every `rjct_every`-th seq
#   (AC04 and AM04 alternately, with Orgtr and AddtlInf), each with
#   OrgnlTxRef (amount, execution date, creditor, account).  Two passes
#   over payments.tsv: the first counts, the second writes.
# kind=camt053: a camt.053.001.08 statement of account `iban` with `entries`
#   entries (default: one per payment): the batch debits first (Btch with
#   MsgId, PmtInfId, NbOfTxs, TtlAmt = the batch's sum), then, spread over
#   the rest, `returns` returns of payments (credit, PMNT/ICDT/RRTN,
#   TxDtls/Refs/EndToEndId, RtrInf/Rsn/Cd MD07, the payment's amount), and
#   other entries of the account that are not betaalrun's: salary-like
#   credits, supplier payments and salaries (debits with their own MsgId /
#   PmtInfId / EndToEndId), direct debits and bank charges.  Balances and
#   the transactions summary add up.
#
# Variables: kind, msgid (the run's MsgId), exec (execution date), iban,
#   entries, returns (default 1000), rjct_every (default 100),
#   summary (a file that gets one line of what was written, for the checks:
#   "txs=N rjct=N rjct_cents=N batches=N returns=N returns_of_rjct=N entries=N").
BEGIN {
	FS = "\t"
	if (kind != "pain002" && kind != "camt053") {
		print "gen_bank.awk: kind must be pain002 or camt053" >"/dev/stderr"
		exit 64
	}
	if (msgid == "") msgid = "BR-202611-0001"
	if (exec == "") exec = "2026-11-24"
	if (iban == "") iban = "NL91ABNA0417164300"
	if (returns == "") returns = 1000
	if (rjct_every == "") rjct_every = 100
	returns += 0; rjct_every += 0; entries += 0
	# mawk's %d is a C long here, but "%.0f" is exact for any cents below 2^53
}

function amt(c) { return sprintf("%.0f.%02d", int(c / 100), c % 100) }
function xesc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	return s
}
function rejected(seq) { return seq % rjct_every == 0 }
function reason(seq) { return int(seq / rjct_every) % 2 ? "AC04" : "AM04" }
# The k-th returned payment (k = 1..R): every tenth one was also rejected
# in the status report (the once-only rule); seq_k = k * step, else one less.
function ret_seq(k) { return k % 10 ? k * rstep - 1 : k * rstep }

FNR == 1 { file++ }

# ---- batches.tsv --------------------------------------------------------------
file == 1 {
	nb++
	b_id[nb] = $1; b_n[$1] = $2; b_sum[$1] = $3
	next
}

# ---- pain002: pass 1 counts, pass 2 writes ---------------------------------------
kind == "pain002" && file == 2 {
	n++; total += $4
	if (rejected($1)) { nrj++; rj_sum += $4; b_rj[$3]++ }
	next
}
kind == "pain002" && file == 3 {
	if (!started) { pain_head(); started = 1 }
	if ($3 != cur) {
		if (cur != "") print "    </OrgnlPmtInfAndSts>"
		cur = $3
		print "    <OrgnlPmtInfAndSts>"
		print "      <OrgnlPmtInfId>" cur "</OrgnlPmtInfId>"
		print "      <OrgnlNbOfTxs>" b_n[cur] "</OrgnlNbOfTxs>"
		print "      <OrgnlCtrlSum>" amt(b_sum[cur]) "</OrgnlCtrlSum>"
		print "      <PmtInfSts>" (b_rj[cur] ? "PART" : "ACSC") "</PmtInfSts>"
	}
	pain_tx()
	next
}

function pain_head() {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
	print "  <CstmrPmtStsRpt>"
	print "    <GrpHdr>"
	print "      <MsgId>ABNA-PSR-" msgid "-01</MsgId>"
	print "      <CreDtTm>" exec "T07:12:45.123+01:00</CreDtTm>"
	print "      <InitgPty>\n        <Id>\n          <OrgId>\n            <AnyBIC>ABNANL2A</AnyBIC>\n          </OrgId>\n        </Id>\n      </InitgPty>"
	print "      <DbtrAgt>\n        <FinInstnId>\n          <BICFI>ABNANL2A</BICFI>\n        </FinInstnId>\n      </DbtrAgt>"
	print "    </GrpHdr>"
	print "    <OrgnlGrpInfAndSts>"
	print "      <OrgnlMsgId>" msgid "</OrgnlMsgId>"
	print "      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>"
	print "      <OrgnlCreDtTm>2026-11-20T10:00:00</OrgnlCreDtTm>"
	print "      <OrgnlNbOfTxs>" n "</OrgnlNbOfTxs>"
	print "      <OrgnlCtrlSum>" amt(total) "</OrgnlCtrlSum>"
	print "      <GrpSts>" (nrj ? "PART" : "ACSC") "</GrpSts>"
	print "      <NbOfTxsPerSts>\n        <DtldNbOfTxs>" n - nrj "</DtldNbOfTxs>\n        <DtldSts>ACSC</DtldSts>\n        <DtldCtrlSum>" amt(total - rj_sum) "</DtldCtrlSum>\n      </NbOfTxsPerSts>"
	if (nrj)
		print "      <NbOfTxsPerSts>\n        <DtldNbOfTxs>" nrj "</DtldNbOfTxs>\n        <DtldSts>RJCT</DtldSts>\n        <DtldCtrlSum>" amt(rj_sum) "</DtldCtrlSum>\n      </NbOfTxsPerSts>"
	print "    </OrgnlGrpInfAndSts>"
}

function pain_tx(   r) {
	print "      <TxInfAndSts>"
	printf "        <StsId>ABNA%s%010d</StsId>\n", substr(exec, 3, 2) substr(exec, 6, 2) substr(exec, 9, 2), $1
	print "        <OrgnlInstrId>" $2 "</OrgnlInstrId>"
	print "        <OrgnlEndToEndId>" $2 "</OrgnlEndToEndId>"
	if (rejected($1)) {
		r = reason($1)
		print "        <TxSts>RJCT</TxSts>"
		print "        <StsRsnInf>\n          <Orgtr>\n            <Id>\n              <OrgId>\n                <AnyBIC>" \
			(r == "AC04" ? "INGBNL2A" : "ABNANL2A") "</AnyBIC>\n              </OrgId>\n            </Id>\n          </Orgtr>"
		print "          <Rsn>\n            <Cd>" r "</Cd>\n          </Rsn>"
		print "          <AddtlInf>" (r == "AC04" ? "Rekening opgeheven / account closed" \
			: "Saldo ontoereikend op uitvoerdatum") "</AddtlInf>\n        </StsRsnInf>"
	} else {
		print "        <TxSts>ACSC</TxSts>"
		print "        <AccptncDtTm>" exec "T06:00:00</AccptncDtTm>"
	}
	printf "        <AcctSvcrRef>ABNA%s%09d</AcctSvcrRef>\n", substr(exec, 3, 2) substr(exec, 6, 2) substr(exec, 9, 2), $1
	print "        <OrgnlTxRef>"
	print "          <Amt>\n            <InstdAmt Ccy=\"EUR\">" amt($4) "</InstdAmt>\n          </Amt>"
	print "          <ReqdExctnDt>\n            <Dt>" exec "</Dt>\n          </ReqdExctnDt>"
	print "          <Cdtr>\n            <Pty>\n              <Nm>" xesc($6) "</Nm>\n            </Pty>\n          </Cdtr>"
	print "          <CdtrAcct>\n            <Id>\n              <IBAN>" $5 "</IBAN>\n            </Id>\n          </CdtrAcct>"
	print "        </OrgnlTxRef>"
	print "      </TxInfAndSts>"
}

# ---- camt053: keep the returned payments -----------------------------------------
kind == "camt053" && file == 2 {
	n++
	if (n == 1) {
		# the number of payments is not known yet: batches.tsv has it
		for (i = 1; i <= nb; i++) npay += b_n[b_id[i]]
		if (returns > int(npay / 10)) returns = int(npay / 10)
		rstep = returns ? int(npay / returns) : 0
		for (k = 1; k <= returns; k++) want[ret_seq(k)] = k
	}
	if ($1 in want) {
		k = want[$1]
		r_e2e[k] = $2; r_cents[k] = $4; r_iban[k] = $5; r_naam[k] = $6; r_omschr[k] = $7
		if (rejected($1)) r_rjct++
	}
	next
}

END {
	if (kind == "pain002") {
		if (started) print "    </OrgnlPmtInfAndSts>\n  </CstmrPmtStsRpt>\n</Document>"
		if (summary != "")
			printf "txs=%d rjct=%d rjct_cents=%.0f batches=%d returns=0 returns_of_rjct=0 entries=0\n",
				n, nrj, rj_sum, nb >summary
		exit
	}
	if (kind != "camt053") exit
	if (entries <= 0) entries = npay
	if (entries < nb + returns) entries = nb + returns
	camt()
	if (summary != "")
		printf "txs=%d rjct=0 rjct_cents=0 batches=%d returns=%d returns_of_rjct=%d entries=%d\n",
			npay, nb, returns, r_rjct, entries >summary
}

# The j-th entry after the batch debits (j = 1..entries - nb): a return
# every `q`-th while returns remain, else one of the account's own.
function slot_kind(j) { return (q && j % q == 0 && j / q <= returns) ? "R" : "O" }
function other_kind(j) { return j % 7 == 0 ? "SAL" : j % 7 == 1 ? "FEE" : j % 7 <= 3 ? "CRDT" : j % 7 == 4 ? "SDD" : "ICDT" }
function other_cents(j,   t) {
	t = other_kind(j)
	if (t == "FEE") return 125 + j % 900
	if (t == "SAL") return 180000 + (j * 7919) % 450000
	if (t == "CRDT") return 1000 + (j * 104729) % 2500000
	if (t == "SDD") return 2500 + (j * 31) % 90000
	return 5000 + (j * 15485863) % 1500000
}
function other_credit(j) { return other_kind(j) == "CRDT" }

function btc(d, f, s, p) {
	return "        <BkTxCd>\n          <Domn>\n            <Cd>" d "</Cd>\n            <Fmly>\n              <Cd>" f \
		"</Cd>\n              <SubFmlyCd>" s "</SubFmlyCd>\n            </Fmly>\n          </Domn>\n          <Prtry>\n            <Cd>" \
		p "</Cd>\n            <Issr>ABNAMRO</Issr>\n          </Prtry>\n        </BkTxCd>"
}
function txbtc(d, f, s) {
	return "            <BkTxCd>\n              <Domn>\n                <Cd>" d "</Cd>\n                <Fmly>\n                  <Cd>" f \
		"</Cd>\n                  <SubFmlyCd>" s "</SubFmlyCd>\n                </Fmly>\n              </Domn>\n            </BkTxCd>"
}
function ntry(c, cd, day, ref) {
	print "      <Ntry>"
	print "        <NtryRef>" ref "</NtryRef>"
	print "        <Amt Ccy=\"EUR\">" amt(c) "</Amt>"
	print "        <CdtDbtInd>" cd "</CdtDbtInd>"
	print "        <Sts>\n          <Cd>BOOK</Cd>\n        </Sts>"
	print "        <BookgDt>\n          <Dt>" day "</Dt>\n        </BookgDt>"
	print "        <ValDt>\n          <Dt>" day "</Dt>\n        </ValDt>"
	print "        <AcctSvcrRef>" ref "</AcctSvcrRef>"
}
function party(role, nm, acct) {
	return "              <" role ">\n                <Pty>\n                  <Nm>" nm "</Nm>\n                </Pty>\n              </" role ">\n" \
		"              <" role "Acct>\n                <Id>\n                  <IBAN>" acct "</IBAN>\n                </Id>\n              </" role "Acct>"
}
function txamt(c, cd) { return "            <Amt Ccy=\"EUR\">" amt(c) "</Amt>\n            <CdtDbtInd>" cd "</CdtDbtInd>" }
function txamtdtls(c, cd) {
	return txamt(c, cd) "\n" \
		"            <AmtDtls>\n              <TxAmt>\n                <Amt Ccy=\"EUR\">" amt(c) "</Amt>\n              </TxAmt>\n            </AmtDtls>"
}
function fake_iban(j) { return sprintf("NL%02dRABO%010d", 10 + j % 89, (j * 7919) % 10000000000) }

function camt(   i, j, k, id, c, t, ref, no, ncr, ndb, scr, sdb, opbd, clbd, day) {
	# what the statement adds up to, before it is written
	others = entries - nb - returns
	q = returns ? int((entries - nb) / returns) : 0
	for (i = 1; i <= nb; i++) { ndb++; sdb += b_sum[b_id[i]] }
	for (k = 1; k <= returns; k++) { ncr++; scr += r_cents[k] }
	for (j = 1; j <= entries - nb; j++) {
		if (slot_kind(j) == "R") continue
		c = other_cents(j)
		if (other_credit(j)) { ncr++; scr += c } else { ndb++; sdb += c }
	}
	opbd = 750000000 * 100
	clbd = opbd + scr - sdb
	day = exec

	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
	print "  <BkToCstmrStmt>"
	print "    <GrpHdr>\n      <MsgId>ABNA-C053-" msgid "-01</MsgId>\n      <CreDtTm>" exec "T21:30:00+01:00</CreDtTm>"
	print "      <MsgPgntn>\n        <PgNb>1</PgNb>\n        <LastPgInd>true</LastPgInd>\n      </MsgPgntn>\n    </GrpHdr>"
	print "    <Stmt>"
	print "      <Id>" iban "-" exec "</Id>"
	print "      <ElctrncSeqNb>228</ElctrncSeqNb>"
	print "      <CreDtTm>" exec "T21:30:00+01:00</CreDtTm>"
	print "      <FrToDt>\n        <FrDtTm>" exec "T00:00:00+01:00</FrDtTm>\n        <ToDtTm>" exec "T23:59:59+01:00</ToDtTm>\n      </FrToDt>"
	print "      <Acct>\n        <Id>\n          <IBAN>" iban "</IBAN>\n        </Id>\n        <Ccy>EUR</Ccy>"
	print "        <Ownr>\n          <Nm>WerkSaam Westfriesland</Nm>\n        </Ownr>"
	print "        <Svcr>\n          <FinInstnId>\n            <BICFI>ABNANL2A</BICFI>\n          </FinInstnId>\n        </Svcr>\n      </Acct>"
	bal("OPBD", opbd, exec)
	bal("CLBD", clbd, exec)
	print "      <TxsSummry>"
	print "        <TtlNtries>\n          <NbOfNtries>" entries "</NbOfNtries>\n          <Sum>" amt(scr + sdb) "</Sum>"
	print "          <TtlNetNtry>\n            <Amt>" amt(scr >= sdb ? scr - sdb : sdb - scr) "</Amt>\n            <CdtDbtInd>" (scr >= sdb ? "CRDT" : "DBIT") "</CdtDbtInd>\n          </TtlNetNtry>\n        </TtlNtries>"
	print "        <TtlCdtNtries>\n          <NbOfNtries>" ncr "</NbOfNtries>\n          <Sum>" amt(scr) "</Sum>\n        </TtlCdtNtries>"
	print "        <TtlDbtNtries>\n          <NbOfNtries>" ndb "</NbOfNtries>\n          <Sum>" amt(sdb) "</Sum>\n        </TtlDbtNtries>"
	print "      </TxsSummry>"

	no = 0
	for (i = 1; i <= nb; i++) {   # the run's batches, each booked as one debit
		id = b_id[i]
		ref = sprintf("ABNA%s%08d", substr(exec, 3, 2) substr(exec, 6, 2) substr(exec, 9, 2), ++no)
		ntry(b_sum[id], "DBIT", exec, ref)
		print btc("PMNT", "ICDT", "ESCT", "N658")
		print "        <NtryDtls>\n          <Btch>\n            <MsgId>" msgid "</MsgId>\n            <PmtInfId>" id "</PmtInfId>"
		print "            <NbOfTxs>" b_n[id] "</NbOfTxs>\n            <TtlAmt Ccy=\"EUR\">" amt(b_sum[id]) "</TtlAmt>\n            <CdtDbtInd>DBIT</CdtDbtInd>\n          </Btch>\n        </NtryDtls>"
		print "        <AddtlNtryInf>SEPA OVERBOEKING BATCH " id " " b_n[id] " POSTEN</AddtlNtryInf>"
		print "      </Ntry>"
	}
	for (j = 1; j <= entries - nb; j++) {
		ref = sprintf("ABNA%s%08d", substr(exec, 3, 2) substr(exec, 6, 2) substr(exec, 9, 2), ++no)
		if (slot_kind(j) == "R") {
			k = j / q
			ntry(r_cents[k], "CRDT", exec, ref)
			print btc("PMNT", "ICDT", "RRTN", "N541")
			print "        <NtryDtls>\n          <TxDtls>"
			print "            <Refs>\n              <AcctSvcrRef>" ref "</AcctSvcrRef>\n              <InstrId>" r_e2e[k] "</InstrId>\n              <EndToEndId>" r_e2e[k] "</EndToEndId>\n              <TxId>RTR" ref "</TxId>\n            </Refs>"
			print txamtdtls(r_cents[k], "CRDT")
			print txbtc("PMNT", "ICDT", "RRTN")
			print "            <RltdPties>\n" party("Dbtr", "WerkSaam Westfriesland", iban) "\n" party("Cdtr", xesc(r_naam[k]), r_iban[k]) "\n            </RltdPties>"
			print "            <RmtInf>\n              <Ustrd>" xesc(r_omschr[k]) "</Ustrd>\n            </RmtInf>"
			print "            <RtrInf>\n              <Rsn>\n                <Cd>MD07</Cd>\n              </Rsn>\n              <AddtlInf>Begunstigde overleden</AddtlInf>\n            </RtrInf>"
			print "          </TxDtls>\n        </NtryDtls>"
			print "        <AddtlNtryInf>TERUGBOEKING " r_e2e[k] " MD07 REKENINGHOUDER OVERLEDEN</AddtlNtryInf>"
			print "      </Ntry>"
			continue
		}
		t = other_kind(j); c = other_cents(j)
		if (t == "FEE") {
			ntry(c, "DBIT", exec, ref)
			print btc("ACMT", "MDOP", "CHRG", "N090")
			print "        <AddtlNtryInf>KOSTEN BETALINGSVERKEER " j "</AddtlNtryInf>\n      </Ntry>"
			continue
		}
		ntry(c, other_credit(j) ? "CRDT" : "DBIT", exec, ref)
		if (t == "CRDT") {        # money in: a rent, a recovery, a contribution
			print btc("PMNT", "RCDT", "ESCT", "N544")
			print "        <NtryDtls>\n          <TxDtls>"
			print "            <Refs>\n              <AcctSvcrRef>" ref "</AcctSvcrRef>\n              <EndToEndId>" sprintf("INC%07d-%05d", j, j % 99991) "</EndToEndId>\n            </Refs>"
			print txamt(c, "CRDT")
			print "            <RltdPties>\n" party("Dbtr", sprintf("Debiteur %d B.V.", j % 5000), fake_iban(j)) "\n" party("Cdtr", "WerkSaam Westfriesland", iban) "\n            </RltdPties>"
			print "            <RmtInf>\n              <Ustrd>Terugbetaling vordering " sprintf("TV-%07d", j) " termijn " (j % 12 + 1) "</Ustrd>\n            </RmtInf>"
		} else if (t == "SDD") {  # a direct debit (energy, lease)
			print btc("PMNT", "RDDT", "ESDD", "N547")
			print "        <NtryDtls>\n          <TxDtls>"
			print "            <Refs>\n              <AcctSvcrRef>" ref "</AcctSvcrRef>\n              <EndToEndId>" sprintf("SDD%010d", j) "</EndToEndId>\n              <MndtId>" sprintf("MND-%06d", j % 300) "</MndtId>\n            </Refs>"
			print txamt(c, "DBIT")
			print "            <RltdPties>\n" party("Dbtr", "WerkSaam Westfriesland", iban) "\n" party("Cdtr", sprintf("Leverancier %d N.V.", j % 300), fake_iban(j)) "\n            </RltdPties>"
			print "            <RmtInf>\n              <Ustrd>Factuur " sprintf("F%08d", j) " incasso</Ustrd>\n            </RmtInf>"
		} else {                  # someone else's credit transfers: salaries, suppliers
			print btc("PMNT", "ICDT", "ESCT", "N658")
			print "        <NtryDtls>\n          <TxDtls>"
			print "            <Refs>\n              <MsgId>" (t == "SAL" ? "SAL-202611-01" : "CRED-202611-07") "</MsgId>\n              <AcctSvcrRef>" ref "</AcctSvcrRef>\n              <PmtInfId>" (t == "SAL" ? "SAL-202611-01-1" : sprintf("CRED-202611-07-%d", j % 20)) "</PmtInfId>\n              <EndToEndId>" sprintf("%s-%08d", t, j) "</EndToEndId>\n            </Refs>"
			print txamt(c, "DBIT")
			print "            <RltdPties>\n" party("Dbtr", "WerkSaam Westfriesland", iban) "\n" party("Cdtr", (t == "SAL" ? sprintf("Medewerker %06d", j % 400000) : sprintf("Leverancier %d N.V.", j % 300)), fake_iban(j)) "\n            </RltdPties>"
			print "            <RmtInf>\n              <Ustrd>" (t == "SAL" ? "Salaris november 2026" : sprintf("Factuur F%08d", j)) "</Ustrd>\n            </RmtInf>"
		}
		print "          </TxDtls>\n        </NtryDtls>\n      </Ntry>"
	}
	print "    </Stmt>\n  </BkToCstmrStmt>\n</Document>"
}

function bal(tp, c, day) {
	print "      <Bal>\n        <Tp>\n          <CdOrPrtry>\n            <Cd>" tp "</Cd>\n          </CdOrPrtry>\n        </Tp>"
	print "        <Amt Ccy=\"EUR\">" amt(c >= 0 ? c : -c) "</Amt>\n        <CdtDbtInd>" (c >= 0 ? "CRDT" : "DBIT") "</CdtDbtInd>"
	print "        <Dt>\n          <Dt>" day "</Dt>\n        </Dt>\n      </Bal>"
}
