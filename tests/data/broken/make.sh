#!/bin/sh
# make.sh — regenerate the generated inputs of tests/e2e/test_intake_corpus.sh.
# Outputs are committed; run from anywhere: sh tests/data/broken/make.sh
# Needs: POSIX sh, printf, gzip, iconv, head, wc.  The gzip bomb is NOT made
# here: the test makes it at run time in its temporary directory.
#
# Made here: good/register.xml, good/order-*.xml, good/signals.xml.gz,
# stale-register.xml, shrinking-register.xml, truncated-gzip.xml.gz,
# empty.xml, binary.png, utf16.xml, depth-bomb.xml.  Every other file is
# hand-written and not touched.  What each file must do is in expect.tsv.
set -eu
cd "$(dirname "$0")"

# A BSN that passes the elfproef, derived from n (1..99): 1112000n0c.
# Every person in the corpus has one of these; test-only numbers.
bsn() {
	b=$((11120000 + $1 * 10))
	while :; do
		s=$b t=0 w=2
		while [ $w -le 9 ]; do
			t=$((t + s % 10 * w)); s=$((s / 10)); w=$((w + 1))
		done
		c=$((t % 11))
		[ $c -lt 10 ] && break
		b=$((b + 1))
	done
	printf '%d%d' "$b" "$c"
}

# One plain PW dossier for client n: Dossiernummer PW-0405-0000nn.
dossier() {
	n=$(printf '%06d' "$1")
	printf '  <Dossier>\n'
	printf '    <Dossiernummer>PW-0405-%s</Dossiernummer>\n' "$n"
	printf '    <Regeling>PW</Regeling>\n'
	printf '    <Gemeente>0405</Gemeente>\n'
	printf '    <Ingangsdatum>2025-03-01</Ingangsdatum>\n'
	printf '    <Aanvrager>\n'
	printf '      <BSN>%s</BSN>\n' "$(bsn "$1")"
	printf '      <Naam>Client %s</Naam>\n' "$1"
	printf '      <Geboortedatum>1988-04-12</Geboortedatum>\n'
	printf '    </Aanvrager>\n'
	printf '    <Leefvorm>ALLEENSTAAND</Leefvorm>\n'
	printf '    <Kostendelers>0</Kostendelers>\n'
	printf '    <Betaalrekening>\n'
	printf '      <IBAN>NL91ABNA0417164300</IBAN>\n'
	printf '      <Tenaamstelling>Client %s</Tenaamstelling>\n' "$1"
	printf '    </Betaalrekening>\n'
	printf '  </Dossier>\n'
}

# register LEVERINGID PEILDATUM AANMAAKDATUM FIRST LAST
register() {
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<Clientregister xmlns="urn:nl:betaalrun:clientregister:1"\n'
	printf '                leveringId="%s" peildatum="%s"\n' "$1" "$2"
	printf '                aanmaakdatum="%s">\n' "$3"
	i=$4
	while [ "$i" -le "$5" ]; do dossier "$i"; i=$((i + 1)); done
	printf '</Clientregister>\n'
}

# An income file whose records all carry "BAD" ids: n records.
income_bad() {
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<Inkomstenlevering xmlns="urn:nl:betaalrun:polis:1"\n'
	printf '                   leveringId="%s" aanmaakdatum="2026-11-21T02:00:00">\n' "$1"
	i=1
	while [ "$i" -le "$2" ]; do
		printf '  <Inkomstenopgave>\n'
		printf '    <OpgaveId>P-BAD-%09d</OpgaveId>\n' "$i"
		printf '    <BSN>%s</BSN>\n' "$(bsn $((i % 60 + 1)))"
		printf '    <LhNr>123456789L01</LhNr>\n    <NumIV>1</NumIV>\n'
		printf '    <Inkomstensoort>ARBEID</Inkomstensoort>\n'
		printf '    <DatAanvTv>2026-10-01</DatAanvTv>\n    <DatEindTv>2026-10-31</DatEindTv>\n'
		printf '    <LnLbPh>%d.00</LnLbPh>\n' $((100 + i))
		printf '    <VakBsl>0.00</VakBsl>\n    <ExtrPerSal>0.00</ExtrPerSal>\n'
		printf '    <OpnAvwb>0.00</OpnAvwb>\n    <WrdPrGebrAut>0.00</WrdPrGebrAut>\n'
		printf '    <IngLbPh>0.00</IngLbPh>\n    <BijdrZvw>0.00</BijdrZvw>\n'
		printf '    <PrWgaWhkWn>0.00</PrWgaWhkWn>\n'
		printf '    <IndHeffingskorting>true</IndHeffingskorting>\n'
		printf '  </Inkomstenopgave>\n'
		i=$((i + 1))
	done
	printf '</Inkomstenlevering>\n'
}

# --- good inputs (accepted) ---
# The baseline register: 60 active dossiers, clients 1..60.
register REG-2026-10-31 2026-10-31 2026-10-31T18:00:00 1 60 > good/register.xml
# Order of a drop: the older snapshot has the later name.
register REG-2026-11-30 2026-11-30 2026-11-30T18:00:00 71 73 > good/order-a-newer.xml
register REG-2026-11-15 2026-11-15 2026-11-15T18:00:00 71 73 > good/order-z-older.xml
# Kind by content: a gzip-compressed register named like a signal file.
register REG-KIND-2026-11-01 2026-11-01 2026-11-01T18:00:00 61 63 | gzip -9 -n -c > good/signals.xml.gz

# --- registers refused against the baseline ---
# Stale: peildatum before the baseline's, although made later.
register REG-STALE-2026-09-30 2026-09-30 2026-11-27T18:00:00 1 60 > stale-register.xml
# Shrinking: 10 of 60 active dossiers (16.7% > 10%) disappear.
register REG-KRIMP-2026-11-27 2026-11-27 2026-11-27T18:00:00 1 50 > shrinking-register.xml

# --- bytes that are not a usable XML document ---
income_bad OIB-BAD-TRUNC 200 | gzip -9 -n -c > truncated.tmp
n=$(wc -c < truncated.tmp)
head -c $((n / 2)) truncated.tmp > truncated-gzip.xml.gz
rm -f truncated.tmp
: > empty.xml
# A PNG header and zero bytes: binary, not XML.
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\006\000\000\000' > binary.png
# UTF-16LE with BOM, otherwise a valid income file.
{ printf '\377\376'; income_bad OIB-BAD-UTF16 1 | iconv -f UTF-8 -t UTF-16LE; } > utf16.xml
# Depth bomb: a pain.002.001.10 status report whose supplementary data
# (SplmtryData/Envlp, the one subtree the official schema does not look
# into: xs:any processContents="lax") nests 40 elements, one per line:
# <Envlp> is depth 4 on line 14, so the element at depth 33 is on line 43.
# (In the register, income and signal formats the schema refuses a too-deep
# element first, before the depth limit.)
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">\n'
	printf '  <CstmrPmtStsRpt>\n    <GrpHdr>\n'
	printf '      <MsgId>BAD-DEPTH-0001</MsgId>\n'
	printf '      <CreDtTm>2026-11-27T09:02:11</CreDtTm>\n'
	printf '    </GrpHdr>\n'
	printf '    <OrgnlGrpInfAndSts>\n      <OrgnlMsgId>BR-2026-12-0002</OrgnlMsgId>\n'
	printf '      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>\n      <GrpSts>ACCP</GrpSts>\n'
	printf '    </OrgnlGrpInfAndSts>\n    <SplmtryData>\n      <Envlp>\n'
	i=5
	while [ $i -le 44 ]; do printf '<Id>\n'; i=$((i + 1)); done
	i=5
	while [ $i -le 44 ]; do printf '</Id>\n'; i=$((i + 1)); done
	printf '      </Envlp>\n    </SplmtryData>\n  </CstmrPmtStsRpt>\n</Document>\n'
} > depth-bomb.xml
