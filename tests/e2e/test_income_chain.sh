#!/usr/bin/env bash
# Income records resolved as a chain whatever the order they arrive in
# (formats.md §2, issue 15): an original A, its correction B (Vervangt A)
# and a correction C of B, or a withdrawal W of B, delivered in every order
# over three deliveries.  What counts for October is C alone (net 250.00),
# or nothing after W; an original that arrives after its correction never
# counts.  The amount is checked by hand against `betaalrun dossier`.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d); trap 'rm -rf "$tmp"' EXIT
base=$tmp/base
"$BR" --home "$base" init >/dev/null
sed -i 's/^startmaand *=.*/startmaand = 2026-10/' "$base/betaalrun.conf"
cp samples/register-*.xml "$base/inbox/"
"$BR" --home "$base" ingest >/dev/null 2>&1

# a single PW client aged 21 to AOW age, no income, grants, claims or third parties
read -r nr bsn < <(sqlite3 -separator ' ' "$base/betaalrun.db" "SELECT d.nummer, p.bsn FROM dossier d
	JOIN stand s ON s.dossier = d.id JOIN persoon p ON p.id = s.aanvrager
	WHERE d.regeling = 'PW' AND s.partner IS NULL AND s.kostendelers = 0 AND s.woonkostenverlaging_pct = 0
	AND s.leefvorm = 'ALLEENSTAAND' AND d.einddatum IS NULL AND d.ingangsdatum <= '2026-10-01'
	AND p.geboortedatum BETWEEN '1960-01-01' AND '2004-12-31' AND s.opschorting_vanaf IS NULL AND s.probleem IS NULL
	AND (SELECT count(*) FROM stand t WHERE t.dossier = d.id) = 1
	AND NOT EXISTS (SELECT 1 FROM vrijlating v WHERE v.stand = s.id)
	AND NOT EXISTS (SELECT 1 FROM inhouding v WHERE v.stand = s.id)
	AND NOT EXISTS (SELECT 1 FROM derde v WHERE v.stand = s.id) LIMIT 1")
[ -n "$nr" ] || fail "no suitable sample dossier"

rec() { # id vervangt(or -) intrekking LnLbPh
	local v=""
	[ "$2" != - ] && v="<Vervangt>$2</Vervangt>"
	printf '<Inkomstenopgave><OpgaveId>%s</OpgaveId>%s<Intrekking>%s</Intrekking><BSN>%s</BSN><LhNr>123456789L01</LhNr><NumIV>1</NumIV><Inkomstensoort>ARBEID</Inkomstensoort><DatAanvTv>2026-10-01</DatAanvTv><DatEindTv>2026-10-31</DatEindTv><LnLbPh>%s</LnLbPh><VakBsl>0.00</VakBsl><ExtrPerSal>0.00</ExtrPerSal><OpnAvwb>0.00</OpnAvwb><WrdPrGebrAut>0.00</WrdPrGebrAut><IngLbPh>0.00</IngLbPh><BijdrZvw>0.00</BijdrZvw><PrWgaWhkWn>0.00</PrWgaWhkWn><IndHeffingskorting>true</IndHeffingskorting></Inkomstenopgave>' \
		"$1" "$v" "$3" "$bsn" "$4"
}
delivery() { # file-seq record...
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<Inkomstenlevering xmlns="urn:nl:betaalrun:polis:1" leveringId="CHAIN-%s" aanmaakdatum="2026-11-0%sT02:00:00">%s</Inkomstenlevering>\n' \
		"$1" "$2" "$3"
}
# norm alleenstaande 2026-07-01 = 1419.46; right = norm - net; owed = round(95% right);
# November pays its advance round(95% norm) plus October's owed (nothing paid yet)
expect() { # net cents -> "€ x.xxx,xx"
	local norm=141946 right owed c
	right=$((norm - $1)); owed=$(( (right * 95 + 50) / 100 )); c=$(( (norm * 95 + 50) / 100 + owed ))
	printf '%d.%03d,%02d' $((c / 100000)) $(( (c / 100) % 1000 )) $((c % 100)) | sed 's/^0\.//'
}
n=0
for kind in C W; do
	for order in ABX AXB BAX BXA XAB XBA; do
		home=$tmp/h; rm -rf "$home"; cp -a "$base" "$home"
		seq=0
		for letter in $(echo "$order" | grep -o .); do
			seq=$((seq + 1))
			case "$letter$kind" in
			A*) r=$(rec "CH-$kind$order-A" - false 1000.00) ;;
			B*) r=$(rec "CH-$kind$order-B" "CH-$kind$order-A" false 400.00) ;;
			XC) r=$(rec "CH-$kind$order-C" "CH-$kind$order-B" false 250.00) ;;
			XW) r=$(rec "CH-$kind$order-C" "CH-$kind$order-B" true 0.00) ;;
			esac
			delivery "$kind$order-$seq" "$seq" "$r" >"$home/inbox/chain-$seq.xml"
			"$BR" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "$kind $order: ingest $seq: $(cat "$tmp/err")"
		done
		# formats.md §2: each correction is linked to the record it replaces,
		# also when that record arrived after it
		links=$(sqlite3 "$home/betaalrun.db" "SELECT count(*) FROM inkomen c JOIN inkomen o
			ON o.opgave_id = c.vervangt WHERE c.opgave_id LIKE 'CH-$kind$order-%'
			AND c.vervangt_inkomen = o.id AND c.vervangt_onbekend = 0")
		[ "$links" = 2 ] || fail "$kind delivered in order ${order//X/$kind}: $links of 2 corrections linked to what they replace"
		"$BR" --home "$home" dossier "$nr" --month 2026-11 >"$tmp/spec.txt" 2>"$tmp/err" || fail "dossier: $(cat "$tmp/err")"
		want=$(expect "$([ "$kind" = C ] && echo 25000 || echo 0)")
		grep -q "Uitbetaald aan u *€ $want" "$tmp/spec.txt" \
			|| fail "$kind delivered in order ${order//X/$kind}: expected Uitbetaald aan u € $want, got: $(grep Uitbetaald "$tmp/spec.txt")"
		n=$((n + 1))
	done
done
ok "$n orders of original, correction and correction/withdrawal: linked, and only the end of the chain counts"
