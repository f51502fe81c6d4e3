#!/usr/bin/env bash
# The run report and the worklist in the tools people open them with
# (issue 12):
#   1. the CSV files in LibreOffice Calc with Dutch settings: the columns
#      split, the amounts are number cells equal to figures known by hand
#      (tests/data/jobs: eight PW dossiers, four of them held in November,
#      each withholding the advance 1348.49 = round(95% × 1419.46)); the
#      worklist likewise, with municipality names;
#   2. rapport.html in headless Chromium at 1280×800 with a previous month
#      beside it (samples/: every regeling, seven municipalities): the
#      Totaal columns inside the window, nothing wider than the window,
#      what needs action before the routine figures; a screenshot is kept;
#   3. a cancelled run's payment file cannot pass for a live one.
# Calc and Chromium come from Debian (libreoffice-calc-nogui, chromium;
# `make deps-tools`, which .ci/run calls); without one of them its part
# says SKIP and the rest still runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
art=${TMPDIR:-/tmp}/betaalrun-rapport-test   # the screenshot and what Calc read
rm -rf "$art"; mkdir -p "$art"
keys=$tmp/keys
mkdir -p "$keys"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
	cat "$keys/$who.key" "$keys/$who.pem" >"$keys/$who.both.pem"
done
new_home() {
	"$BR" --home "$1" init >/dev/null
	sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e "s/^startmaand *=.*/startmaand = $2/" \
		-e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" "$1/betaalrun.conf"
}
prepare() { "$BR" --home "$1" run --month "$2" --key "$keys/Preparer.both.pem" --pass-fd 3 3</dev/null 2>"$tmp/err" | head -n1; }
approve() {
	"$BR" --home "$1" approve "$2" --ja --key "$keys/Approver.both.pem" --pass-fd 3 3</dev/null >/dev/null 2>"$tmp/err" \
		|| fail "approve $2: $(cat "$tmp/err")"
}
q() { count "$1" "$2"; }

# ---- 1. Calc, with figures known by hand ---------------------------------------

home=$tmp/jobs
new_home "$home" 2026-11
export BETAALRUN_NOW=2026-11-02T09:00:00
cp tests/data/jobs/register.xml "$home/inbox/"
"$BR" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "ingest register: $(cat "$tmp/err")"
export BETAALRUN_NOW=2026-11-12T09:00:00
cp tests/data/jobs/signalen.xml "$home/inbox/"
"$BR" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "ingest signals: $(cat "$tmp/err")"
export BETAALRUN_NOW=2026-11-20T09:00:00
nov=$(prepare "$home" 2026-11); [ -n "$nov" ] || fail "prepare 2026-11: $(cat "$tmp/err")"
dir=$home/out/2026-11/$nov
for f in rapport.html rapport-totalen.csv rapport-aangehouden.csv rapport-geblokkeerd.csv \
	rapport-derden-niet-betaald.csv rapport-inhoudingen.csv rapport-teruggeboekt.csv; do
	[ -f "$dir/$f" ] && [ "$(stat -c %a "$dir/$f")" = 600 ] || fail "$f missing or not 0600"
	grep -q "naam=\"$f\" sha256=\"$(sha256sum "$dir/$f" | cut -c1-64)\"" "$dir/manifest.xml" || fail "$f not in manifest.xml"
	case $f in *.csv)
		[ "$(head -c3 "$dir/$f" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "$f has no BOM"
		[ "$(grep -vc $'\r$' "$dir/$f")" = 0 ] || fail "$f has a line without CRLF" ;;
	esac
done
[ ! -e "$dir/rapport.csv" ] || fail "the old rapport.csv is still written"
ok "$nov: rapport.html and six CSV files (BOM, CRLF), 0600, each in manifest.xml"

"$BR" --home "$home" jobs list --csv "$tmp/werklijst.csv" >/dev/null 2>"$tmp/err" || fail "jobs list: $(cat "$tmp/err")"
mkdir -p "$tmp/calc"
set +e
calc_nl "$tmp/calc" "$dir/rapport-totalen.csv" "$dir/rapport-aangehouden.csv" "$tmp/werklijst.csv"; rc=$?
set -e
if [ "$rc" = 0 ]; then
	cp "$tmp"/calc/*.tsv "$art/"
	tot=$tmp/calc/rapport-totalen.tsv
	# 3 + 13 figures × (this run, previous run, change): the vorige and
	# verschil cells stay empty (no previous run) but are columns
	awk -F'\t' 'NF != 42 { exit 1 }' "$tot" || fail "Calc: rapport-totalen.csv does not split into 42 columns on every row"
	head -n1 "$tot" | cut -f1-7 | grep -qx $'"Gemeente"\t"Gemeentenaam"\t"Regeling"\t"Dossiers"\t"Dossiers vorige run"\t"Dossiers verschil"\t"Betaald aan cli\xc3\xabnten"' \
		|| fail "Calc: header $(head -n1 "$tot" | cut -f1-7)"
	# gemeente, regeling, dossiers (col 4), opgeschort (25), what the
	# holds withhold (28): numbers, Calc's own rendering with a decimal
	# comma; the CBS code is a number to Calc (0405 → 405), the name beside it
	cut -f1,2,3,4,25,28 "$tot" | tail -n +2 >"$tmp/got"
	cat >"$tmp/want" <<-EOF
		388	"Enkhuizen"	"PW"	1	0	0
		405	"Hoorn"	"PW"	2	2	2696,98
		420	"Medemblik"	"PW"	2	1	1348,49
		498	"Drechterland"	"PW"	1	1	1348,49
		532	"Stede Broec"	"PW"	1	0	0
		1598	"Koggenland"	"PW"	1	0	0
		"totaal"	"Alle gemeenten"	"alle"	8	4	5393,96
	EOF
	diff "$tmp/want" "$tmp/got" >"$tmp/diff" || fail "Calc: rapport-totalen.csv: $(cat "$tmp/diff")"
	# paid to the clients (col 7) where every dossier is an alleenstaande
	# paid its advance: 1348.49; Hoorn and Drechterland are all held: 0
	awk -F'\t' '$1 == 388 || $1 == 532 || $1 == 1598 { if ($7 != "1348,49") bad = bad " " $1 "=" $7 }
		$1 == 405 || $1 == 498 { if ($7 != "0") bad = bad " " $1 "=" $7 }
		END { if (bad) { print bad; exit 1 } }' "$tot" >"$tmp/bad" || fail "Calc: paid to clients:$(cat "$tmp/bad")"
	# the held dossiers, each a row with its amount a number cell
	cut -f1,2,3,5 "$tmp/calc/rapport-aangehouden.tsv" >"$tmp/got"
	cat >"$tmp/want" <<-EOF
		"Dossier"	"Gemeente"	"Gemeentenaam"	"Bedrag"
		"PW-0405-000101"	405	"Hoorn"	1348,49
		"PW-0405-000102"	405	"Hoorn"	1348,49
		"PW-0420-000105"	420	"Medemblik"	1348,49
		"PW-0498-000103"	498	"Drechterland"	1348,49
	EOF
	diff "$tmp/want" "$tmp/got" >"$tmp/diff" || fail "Calc: rapport-aangehouden.csv: $(cat "$tmp/diff")"
	# the worklist: 11 columns, the name beside the code, priority a number
	wl=$tmp/calc/werklijst.tsv
	awk -F'\t' 'NF != 11 { exit 1 }' "$wl" || fail "Calc: the worklist does not split into 11 columns on every row"
	awk -F'\t' 'BEGIN { n[388] = "Enkhuizen"; n[405] = "Hoorn"; n[420] = "Medemblik"; n[498] = "Drechterland"
			n[532] = "Stede Broec"; n[1598] = "Koggenland" }
		NR > 1 { rows++; if ($4 != "\"" n[$3] "\"" || $6 !~ /^[123]$/ || $1 !~ /^[0-9]+$/) { print; exit 1 } }
		END { if (rows < 8) { print "only " rows " jobs"; exit 1 } }' "$wl" >"$tmp/bad" \
		|| fail "Calc: worklist row $(cat "$tmp/bad")"
	ok "Calc (Dutch): rapport-totalen.csv in 42 columns, dossiers, holds and amounts number cells as known by hand (4 × 1348,49 = 5393,96); rapport-aangehouden.csv; the worklist in 11 columns with names"
elif [ "$rc" != 77 ]; then
	fail "Calc could not open the CSV files"
fi

# ---- 2. rapport.html in Chromium, with a previous month -----------------------

home=$tmp/samples
new_home "$home" 2026-10
cp samples/register-*.xml "$home/inbox/"; "$BR" --home "$home" ingest >/dev/null 2>&1
cp samples/inkomen-*.xml* samples/signalen-*.xml "$home/inbox/"; "$BR" --home "$home" ingest >/dev/null 2>&1 || true
export BETAALRUN_NOW=2026-11-20T09:00:00
nov=$(prepare "$home" 2026-11); [ -n "$nov" ] || fail "prepare 2026-11: $(cat "$tmp/err")"
approve "$home" "$nov"
"$BR" --home "$home" release "$nov" >/dev/null 2>"$tmp/err" || fail "release $nov: $(cat "$tmp/err")"
export BETAALRUN_NOW=2026-12-18T09:00:00
dec=$(prepare "$home" 2026-12); [ -n "$dec" ] || fail "prepare 2026-12: $(cat "$tmp/err")"
dir=$home/out/2026-12/$dec
grep -q "<td>$nov</td>" "$dir/rapport.html" || fail "the December report is not compared with $nov"
grep -q 'Stand bij voorbereiding op 18-12-2026 om 09:00' "$dir/rapport.html" || fail "the report does not say it is the state at preparation"

# measured in the page: the right edge of every figure cell and heading of
# the figure tables, the page's own width, the window's, where the action
# part and the routine figures start — as shipped (municipalities closed)
# and with every <details> opened
cat >"$tmp/meet.js" <<'EOF'
<script>
(function () {
	function meet(tag) {
		var right = 0, n = 0, cells = document.querySelectorAll('table.cijfers td, table.cijfers th');
		for (var i = 0; i < cells.length; i++) {
			var r = cells[i].getBoundingClientRect();
			if (r.width === 0) continue;
			n++;
			right = Math.max(right, Math.ceil(r.right));
		}
		var tot = document.querySelectorAll('table.cijfers td.tot'), totRight = 0;
		for (var j = 0; j < tot.length; j++)
			totRight = Math.max(totRight, Math.ceil(tot[j].getBoundingClientRect().right));
		return tag + ' vw=' + window.innerWidth + ' sw=' + document.documentElement.scrollWidth +
			' rechts=' + right + ' cellen=' + n + ' totaal_rechts=' + totRight + ' totaal_cellen=' + tot.length +
			' actie=' + Math.round(document.getElementById('actie').getBoundingClientRect().top) +
			' alle=' + Math.round(document.getElementById('alle-gemeenten').getBoundingClientRect().top);
	}
	var dicht = meet('dicht');
	var d = document.querySelectorAll('details');
	for (var i = 0; i < d.length; i++) d[i].open = true;
	var open = meet('open');
	var p = document.createElement('pre');
	p.id = 'meting';
	p.textContent = dicht + '\n' + open + ' details=' + d.length;
	document.body.appendChild(p);
})();
</script>
EOF
set +e
chromium_measure "$dir/rapport.html" "$tmp/meet.js" "$tmp/dom.html"; rc=$?
set -e
if [ "$rc" = 0 ]; then
	sed -n '/<pre id="meting">/,/<\/pre>/p' "$tmp/dom.html" | sed 's/<[^>]*>//g' >"$tmp/meting"
	cp "$tmp/meting" "$art/meting.txt"
	[ "$(wc -l <"$tmp/meting")" = 2 ] || fail "Chromium: no measurement in the DOM: $(head -c 300 "$tmp/dom.html")"
	while read -r tag rest; do
		declare -A m=()
		for kv in $rest; do m[${kv%%=*}]=${kv#*=}; done
		[ "${m[vw]}" = 1280 ] || fail "Chromium ($tag): window ${m[vw]} px wide, expected 1280"
		[ "${m[totaal_cellen]}" -gt 0 ] && [ "${m[cellen]}" -gt 0 ] || fail "Chromium ($tag): no figure cells measured"
		[ "${m[totaal_rechts]}" -le 1280 ] || fail "Chromium ($tag): a Totaal cell ends at ${m[totaal_rechts]} px, beyond 1280"
		[ "${m[rechts]}" -le 1280 ] || fail "Chromium ($tag): a figure cell ends at ${m[rechts]} px, beyond 1280"
		[ "${m[sw]}" -le 1280 ] || fail "Chromium ($tag): the page is ${m[sw]} px wide: it scrolls sideways"
		[ "${m[actie]}" -lt "${m[alle]}" ] || fail "Chromium ($tag): the action part (${m[actie]}) is not above the figures (${m[alle]})"
	done <"$tmp/meting"
	grep -q '^open .* details=[1-9]' "$tmp/meting" || fail "Chromium: no <details> in the report"
	# a screenshot of the top of the page, for a person to look at
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,800 \
		--screenshot="$art/rapport-1280x800.png" "file://$dir/rapport.html" >/dev/null 2>&1 || fail "Chromium: no screenshot"
	[ "$(head -c8 "$art/rapport-1280x800.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] \
		|| fail "Chromium: the screenshot is not a PNG"
	ok "Chromium 1280×800 ($dec against $nov): $(tr '\n' ';' <"$tmp/meting"); screenshot $art/rapport-1280x800.png"
elif [ "$rc" != 77 ]; then
	fail "Chromium could not render rapport.html"
fi

# ---- 3. a cancelled run's payment file ------------------------------------------

sha_before=$(sha256sum "$dir/pain.001.xml" | cut -c1-64)
[ "$sha_before" = "$(q "$home" "SELECT sha256 FROM run WHERE msg_id = '$dec'")" ] || fail "the store's hash is not the file's"
"$BR" --home "$home" cancel "$dec" >/dev/null 2>"$tmp/err" || fail "cancel $dec: $(cat "$tmp/err")"
[ ! -e "$dir/pain.001.xml" ] && [ ! -e "$dir/pain.001.xml.p7s" ] || fail "the cancelled run still has pain.001.xml or its signature"
ls "$dir" | grep -q '\.xml$' && [ "$(ls "$dir" | grep '\.xml$')" != manifest.xml ] && fail "an .xml beside manifest.xml: $(ls "$dir")"
gone=$dir/GEANNULEERD-pain.001.xml.txt
[ -f "$gone" ] && [ -f "$gone.p7s" ] || fail "the cancelled payment file is not kept as GEANNULEERD-pain.001.xml.txt: $(ls "$dir")"
# the bytes are kept: the store's hash and the manifest's still match them
[ "$(sha256sum "$gone" | cut -c1-64)" = "$sha_before" ] || fail "the renamed file's bytes changed"
[ "$(q "$home" "SELECT sha256 || ' ' || status FROM run WHERE msg_id = '$dec'")" = "$sha_before CANCELLED" ] \
	|| fail "the store lost the cancelled run's hash or status"
grep -q "naam=\"pain.001.xml\" sha256=\"$sha_before\"" "$dir/manifest.xml" || fail "manifest.xml lost the payment file's hash"
! ls "$home/outbox" | grep -q "$dec" || fail "the cancelled run reached outbox/"
# verify recognises the file and refuses it, saying why
set +e
"$BR" --home "$home" verify "$gone" >"$tmp/verify.out" 2>"$tmp/verify.err"; rc=$?
set -e
[ "$rc" = 65 ] || fail "verify of the cancelled file: exit $rc, expected 65"
grep -q "$dec (CANCELLED)" "$tmp/verify.out" || fail "verify does not name the cancelled run: $(cat "$tmp/verify.out")"
grep -q "geannuleerd: dit bestand mag niet naar de bank" "$tmp/verify.err" || fail "verify does not say why: $(cat "$tmp/verify.err")"
ok "cancel $dec: pain.001.xml and its signature renamed GEANNULEERD-pain.001.xml.txt(.p7s), same bytes and hash in store and manifest; verify names the run and refuses (65)"
