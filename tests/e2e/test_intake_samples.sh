#!/usr/bin/env bash
# Ingest the shipped samples; ingest them again (all duplicates, store
# unchanged apart from the duplicate records); the store lock; watch.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
home=$tmp/home

"$BR" --home "$home" init >/dev/null
[ "$(stat -c %a "$home")" = 700 ] || fail "data directory is not 0700"
[ "$(stat -c %a "$home/betaalrun.conf")" = 600 ] || fail "betaalrun.conf is not 0600"
[ "$(stat -c %a "$home/betaalrun.db")" = 600 ] || fail "store is not 0600"

cp samples/*.xml samples/*.xml.gz "$home/inbox/"
nfiles=$(ls "$home/inbox" | wc -l)
"$BR" --home "$home" ingest >"$tmp/out" 2>"$tmp/err" || fail "ingest of the samples failed: $(cat "$tmp/err")"
[ -z "$(ls "$home/inbox")" ] || fail "inbox not empty after ingest"
[ -z "$(ls "$home/quarantine")" ] || fail "a sample was quarantined: $(cat "$home"/quarantine/*.reason)"
[ "$(count "$home" 'SELECT count(*) FROM levering WHERE gearchiveerd = 1')" = "$nfiles" ] || fail "not every sample is in the ledger"
[ "$(find "$home/archive" -name '*.gz' | wc -l)" = "$nfiles" ] || fail "not every sample is archived"
for f in $(find "$home/archive" -type f); do
	gzip -t "$f" || fail "archive $f is not gzip"
	[ "$(stat -c %a "$f")" = 600 ] || fail "archive $f is not 0600"
done
dossiers=$(count "$home" 'SELECT count(*) FROM dossier')
[ "$dossiers" -ge 2700 ] && [ "$dossiers" -le 2900 ] || fail "expected about 2,800 dossiers, got $dossiers"
hoorn=$(count "$home" "SELECT count(*) FROM dossier WHERE gemeente = '0405'")
[ "$hoorn" -ge 1300 ] && [ "$hoorn" -le 1480 ] || fail "expected about 1,390 Hoorn dossiers, got $hoorn"
[ "$(count "$home" 'SELECT count(*) FROM inkomen')" -gt 200 ] || fail "too few income records"
[ "$(count "$home" 'SELECT count(*) FROM inkomen WHERE vervangt_inkomen IS NOT NULL')" -gt 0 ] || fail "no correction linked"
[ "$(count "$home" 'SELECT count(*) FROM inkomen WHERE intrekking = 1')" -gt 0 ] || fail "no withdrawal"
[ "$(count "$home" 'SELECT count(*) FROM signaal')" -gt 10 ] || fail "no signals"
[ "$(count "$home" 'SELECT count(*) FROM stand')" = "$dossiers" ] || fail "one stand per dossier expected"
# No BSN in what the command printed.
if grep -Eq '(^|[^0-9])[0-9]{9}([^0-9]|$)' "$tmp/err" "$tmp/out"; then fail "a 9-digit number (BSN?) in the output"; fi
ok "samples ingested: $nfiles files, $dossiers dossiers"

store_dump "$home" | grep -v 'INSERT INTO duplicaat' >"$tmp/before"
cp samples/*.xml samples/*.xml.gz "$home/inbox/"
"$BR" --home "$home" ingest >"$tmp/out2" 2>/dev/null || fail "second ingest failed"
grep -q "dubbel $nfiles" "$tmp/out2" || fail "second ingest did not report $nfiles duplicates: $(cat "$tmp/out2")"
[ -z "$(ls "$home/inbox")" ] || fail "duplicates were left in the inbox"
[ "$(count "$home" 'SELECT count(*) FROM duplicaat')" = "$nfiles" ] || fail "duplicates not recorded"
store_dump "$home" | grep -v 'INSERT INTO duplicaat' >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || fail "a duplicate drop changed the store"
ok "second drop: all $nfiles duplicates, store unchanged"

# One writer at a time: while another process holds the lock, ingest
# waits and then exits 75.
flock "$home/betaalrun.lock" sleep 8 &
sleep 0.3
set +e
"$BR" --home "$home" ingest >/dev/null 2>"$tmp/busy"
rc=$?
set -e
[ "$rc" = 75 ] || fail "a second writer got exit $rc, expected 75"
grep -q "de opslag is bezet" "$tmp/busy" || fail "no busy message"
wait
ok "a concurrent writer exits 75"

# watch: picks up a file renamed into the inbox, stops cleanly on SIGTERM.
"$BR" --home "$home" watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
wpid=$!
sleep 0.5
"$BRGEN" --seed 7 --dossiers 60 --out "$tmp/gen" --peildatum 2026-11-29 >/dev/null
cp "$tmp/gen/register.xml" "$home/inbox/.reg.part"
mv "$home/inbox/.reg.part" "$home/inbox/reg-watch.xml"
for i in $(seq 1 50); do
	[ -e "$home/inbox/reg-watch.xml" ] || break
	sleep 0.1
done
[ ! -e "$home/inbox/reg-watch.xml" ] || fail "watch did not pick up the file"
kill -TERM $wpid
for i in $(seq 1 50); do kill -0 $wpid 2>/dev/null || break; sleep 0.1; done
kill -0 $wpid 2>/dev/null && fail "watch did not stop on SIGTERM"
wait $wpid || fail "watch exited non-zero after SIGTERM"
grep -q 'msg=gestopt' "$tmp/watch.err" || fail "watch did not log its stop"
ok "watch ingests a renamed file and stops on SIGTERM"
