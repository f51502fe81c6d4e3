#!/usr/bin/env bash
# Progress on a terminal (issue 13): ingest and prepare show one updating
# line on stderr — done/total, rate, time left, rewritten with '\r' — when
# stderr is a terminal (`script` gives them one), and print nothing extra
# when it is not.  The first line comes after a quarter of a second: the
# run prepares 20,000 brgen dossiers, the ingest on a terminal reads a
# register of 100,000 (one of 20,000 is read in less than that).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export BETAALRUN_NOW=2026-11-20T09:00:00
command -v script >/dev/null || fail "script (util-linux) is needed"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 30 -subj "/CN=Test CA" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout "$tmp/p.key" -out "$tmp/p.csr" -subj "/CN=Preparer" >/dev/null 2>&1
openssl x509 -req -in "$tmp/p.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial -out "$tmp/p.pem" -days 30 >/dev/null 2>&1
cat "$tmp/p.key" "$tmp/p.pem" >"$tmp/prep.pem"
"$BRGEN" --seed 3 --dossiers 20000 --peildatum 2026-10-27 --out "$tmp/drop" >/dev/null
"$BRGEN" --seed 4 --dossiers 100000 --peildatum 2026-10-27 --out "$tmp/bigdrop" >/dev/null
"$BR" --home "$tmp/big" init >/dev/null
cp "$tmp/bigdrop/register.xml" "$tmp/big/inbox/"
for h in tty plain; do
	"$BR" --home "$tmp/$h" init >/dev/null
	sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
		-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $tmp/ca.pem|" \
		"$tmp/$h/betaalrun.conf"
	cp "$tmp"/drop/* "$tmp/$h/inbox/"
done
run="run --month 2026-11 --key $tmp/prep.pem --pass-fd 3"

# not a terminal: stdout and stderr as before, no '\r', no progress words
"$BR" --home "$tmp/plain" ingest >"$tmp/i.out" 2>"$tmp/i.err" || fail "ingest: $(cat "$tmp/i.err")"
"$BR" --home "$tmp/plain" $run 3</dev/null >"$tmp/r.out" 2>"$tmp/r.err" || fail "run: $(cat "$tmp/r.err")"
for f in i.out i.err r.out r.err; do
	grep -q $'\r' "$tmp/$f" && fail "$f holds a carriage return without a terminal"
	grep -Eq 'voorbereiden:|MB/s|nog [0-9]+ s' "$tmp/$f" && fail "$f shows progress without a terminal: $(head -c 300 "$tmp/$f")"
done
grep -q '^ingelezen 3, ' "$tmp/i.out" || fail "ingest did not print its summary: $(cat "$tmp/i.out")"
ok "not a terminal: ingest and run print no progress"

# a terminal (script allocates one); its output is the typescript
script -qec "$BR --home $tmp/big ingest" "$tmp/i.ts" >/dev/null 2>&1 || fail "ingest on a terminal: $(tail -5 "$tmp/i.ts")"
"$BR" --home "$tmp/tty" ingest >/dev/null 2>&1 || fail "ingest"
t0=$(date +%s%N)
script -qec "$BR --home $tmp/tty $run 3</dev/null" "$tmp/r.ts" >/dev/null 2>&1 || fail "run on a terminal: $(tail -5 "$tmp/r.ts")"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# one line per update, as the terminal received them
tr '\r' '\n' <"$tmp/i.ts" | grep -a '^register.xml: ' >"$tmp/i.lines" || fail "no progress line for register.xml: $(head -c 400 "$tmp/i.ts")"
tr '\r' '\n' <"$tmp/r.ts" | grep -a '^voorbereiden: ' >"$tmp/r.lines" || fail "no progress line for the run: $(head -c 400 "$tmp/r.ts")"
mb=$(( $(stat -c %s "$tmp/bigdrop/register.xml") >> 20 ))
grep -Eaq "^register.xml: [0-9]+/$mb MB \([0-9]+%\), [0-9]+ MB/s, nog [0-9]+ s" "$tmp/i.lines" \
	|| fail "ingest's line does not say done/total, rate and time left: $(head -2 "$tmp/i.lines")"
grep -Eaq "^voorbereiden: [0-9]+/20000 dossiers \([0-9]+%\), [0-9]+ dossiers/s, nog [0-9]+ s" "$tmp/r.lines" \
	|| fail "the run's line does not say done/total, rate and time left: $(head -2 "$tmp/r.lines")"
grep -Eaq "^voorbereiden: 20000/20000 dossiers \(100%\)" "$tmp/r.lines" || fail "the run's last line is not 20000/20000"
# the line is rewritten, not repeated: every update but the last ends
# without a line break, and there are few of them: at most 4 a second
# (and the final one)
[ "$(grep -ac 'voorbereiden: ' "$tmp/r.ts")" = 1 ] || fail "the run's progress is spread over several lines"
n=$(wc -l <"$tmp/r.lines")
[ "$n" -ge 2 ] || fail "the run's line was shown $n times"
[ "$n" -le $((ms * 4 / 1000 + 1)) ] || fail "the run's line was shown $n times in $ms ms: more than 4 a second"
# the same run output after the line as without a terminal
tr -d '\r' <"$tmp/r.ts" | grep -a '^totaal' >"$tmp/r.tot"
grep '^totaal' "$tmp/r.out" | cmp -s - "$tmp/r.tot" || fail "the run printed another total on a terminal"
ok "a terminal: ingest and run update one line with done/total, rate and time left ($n updates for the run)"
