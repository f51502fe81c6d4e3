#!/usr/bin/env bash
# `betaalrun backup FILE` (issue 14): after a released month, copies of the
# store are taken while another process ingests a month of income into it
# and others read it; each copy is one consistent state (the store before
# that ingest or after it, never a mix), sound, 0600.  A copy restored into
# a new home prepares the next month exactly as the original home does.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=${KEEP_TMP:-$(mktemp -d)}
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
home=$tmp/home
keys=$tmp/keys
mkdir -p "$keys"

ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
	cat "$keys/$who.key" "$keys/$who.pem" >"$keys/$who.bundle.pem"
done

# --- a released month (as samples/demo.sh) -----------------------------------
"$BR" --home "$home" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-11/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
	"$home/betaalrun.conf"
cp samples/register-*.xml "$home/inbox/"; "$BR" --home "$home" ingest >/dev/null 2>&1
cp samples/inkomen-*.xml* samples/signalen-*.xml "$home/inbox/"; "$BR" --home "$home" ingest >/dev/null 2>&1
export BETAALRUN_NOW=2026-11-20T09:00:00
run=$("$BR" --home "$home" run --month 2026-11 --key "$keys/Preparer.bundle.pem" --pass-fd 3 3</dev/null 2>"$tmp/err" | head -1) ||
	fail "run: $(cat "$tmp/err")"
"$BR" --home "$home" approve "$run" --key "$keys/Approver.bundle.pem" --ja --pass-fd 3 3</dev/null >/dev/null 2>&1 || fail "approve"
"$BR" --home "$home" release "$run" >/dev/null 2>&1 || fail "release"
ok "November released: $run"

# --- refusals -------------------------------------------------------------------
"$BR" --home "$tmp/none" backup "$tmp/x.db" 2>"$tmp/err" && fail "backup of no store succeeded"
[ "$("$BR" --home "$tmp/none" backup "$tmp/x.db" 2>/dev/null; echo $?)" = 66 ] || fail "no store: not exit 66"
[ ! -e "$tmp/x.db" ] || fail "backup of no store left a file"
echo "keep me" >"$tmp/exists.db"
[ "$("$BR" --home "$home" backup "$tmp/exists.db" 2>"$tmp/err"; echo $?)" = 65 ] || fail "existing FILE: not exit 65"
grep -q -- "--force" "$tmp/err" || fail "the refusal does not name --force: $(cat "$tmp/err")"
[ "$(cat "$tmp/exists.db")" = "keep me" ] || fail "an existing FILE was changed without --force"
[ "$("$BR" --home "$home" backup "$home/betaalrun.db" --force 2>/dev/null; echo $?)" = 65 ] || fail "backup onto the store itself"
[ "$("$BR" --home "$home" backup 2>/dev/null; echo $?)" = 64 ] || fail "backup without FILE: not exit 64"
[ -z "$(find "$tmp" -maxdepth 1 -name '.*backup-*')" ] || fail "a refused backup left a temporary file"
ok "refused: no store (66), existing FILE without --force (65, unchanged), the store itself, no FILE (64)"

# --- copies while another process writes ------------------------------------------
# A year of income (the samples' world continued by brgen, same seed and
# size, every dossier earning), ten files ingested in name order, each in
# its own transaction.
months=2025-12,2026-01,2026-02,2026-03,2026-04,2026-05,2026-06,2026-07,2026-08,2026-09,2026-10,2026-11
"$BRGEN" --seed 2026 --dossiers 2800 --income-records 100000 --months "$months" --out "$tmp/gen" >/dev/null 2>&1
rm "$tmp/gen/inkomen-2026-09.xml" "$tmp/gen/inkomen-2026-10.xml" # the samples' months, already in
mkdir "$tmp/drop"
cp "$tmp"/gen/inkomen-*.xml "$tmp/drop/"
nfiles=$(ls "$tmp/drop" | wc -l)
store_dump "$home" >"$tmp/before.sql"
# readers beside the writer
( while :; do "$BR" --home "$home" status >/dev/null 2>&1; "$BR" --home "$home" runs >/dev/null 2>&1; done ) &
pids="$pids $!"
cp "$tmp"/drop/* "$home/inbox/"
( "$BR" --home "$home" ingest >"$tmp/ingest.out" 2>&1; echo $? >"$tmp/ingest.rc" ) &
ingest=$!
pids="$pids $ingest"
n=0
while kill -0 "$ingest" 2>/dev/null; do
	n=$((n + 1))
	"$BR" --home "$home" backup "$tmp/copy-$n.db" >"$tmp/backup-$n.out" 2>&1 || fail "backup $n: $(cat "$tmp/backup-$n.out")"
	[ "$n" -lt 2000 ] || fail "the ingest does not end"
done
wait "$ingest" || true
[ "$(cat "$tmp/ingest.rc")" = 0 ] || fail "the concurrent ingest failed: $(cat "$tmp/ingest.out")"
[ "$n" -ge 2 ] || fail "only $n copies were taken during the ingest"
"$BR" --home "$home" backup "$tmp/copy-last.db" >/dev/null 2>&1 || fail "backup after the ingest"
store_dump "$home" >"$tmp/after.sql"
[ "$(count "$home" "SELECT count(*) FROM levering WHERE soort = 'inkomen'")" = $((nfiles + 2)) ] || fail "income not ingested"
# Each copy is a state between two of the ingest's transactions: every
# income delivery in it complete (its records all there, as many as the
# ledger row says), the deliveries a prefix of the ingest's order, and the
# rest of the store as before the ingest.
# The home is read with a busy timeout (lib.sh): the readers above are
# still closing their connections, and the last one to close checkpoints
# under a brief exclusive lock that fails a reader without one.
rows="SELECT * FROM run; SELECT * FROM betaling; SELECT * FROM boeking; SELECT * FROM dossier"
count "$home" "$rows" >"$tmp/h.txt" || fail "cannot read the home's runs, payments, bookings and dossiers"
[ -s "$tmp/h.txt" ] || fail "the home has no runs, payments, bookings or dossiers"
mixed=0
for f in "$tmp"/copy-*.db; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
	[ "$(sqlite3 "$f" 'PRAGMA integrity_check')" = ok ] || fail "$f fails integrity_check"
	[ -z "$(sqlite3 "$f" 'PRAGMA foreign_key_check')" ] || fail "$f fails foreign_key_check"
	[ "$(sqlite3 "$f" 'PRAGMA journal_mode')" = delete ] || fail "$f is not a self-contained file"
	torn=$(sqlite3 "$f" "SELECT count(*) FROM levering l WHERE soort = 'inkomen' AND
		records <> (SELECT count(*) FROM inkomen i WHERE i.levering = l.id)")
	[ "$torn" = 0 ] || fail "$(basename "$f"): $torn income deliveries without all their records"
	got=$(sqlite3 "$f" "SELECT group_concat(bestandsnaam, ' ') FROM (SELECT bestandsnaam FROM levering
		WHERE id > (SELECT max(id) FROM levering WHERE bestandsnaam LIKE 'signalen-%') ORDER BY id)")
	k=$(sqlite3 "$f" "SELECT count(*) FROM levering WHERE id > (SELECT max(id) FROM levering WHERE bestandsnaam LIKE 'signalen-%')")
	[ "$got" = "$(ls "$tmp/drop" | head -n "$k" | tr '\n' ' ' | sed 's/ $//')" ] || fail "$(basename "$f"): deliveries $got are not a prefix of the drop"
	[ "$k" -gt 0 ] && [ "$k" -lt "$nfiles" ] && mixed=$((mixed + 1))
	sqlite3 "$f" "$rows" >"$tmp/c.txt" || fail "cannot read $(basename "$f")"
	cmp -s "$tmp/h.txt" "$tmp/c.txt" || fail "$(basename "$f"): runs, payments, bookings or dossiers differ:
$(diff "$tmp/h.txt" "$tmp/c.txt" | head -20)"
done
sqlite3 "$tmp/copy-last.db" .dump | grep -v '^PRAGMA' | cmp -s - "$tmp/after.sql" || fail "the last copy is not the store now"
[ -z "$(find "$tmp" -maxdepth 1 -name '.*backup-*')" ] || fail "temporary files left"
grep -q "^kopie geschreven: $tmp/copy-1.db ([0-9]* bytes" "$tmp/backup-1.out" || fail "backup output: $(cat "$tmp/backup-1.out")"
ok "$n copies while ingesting $nfiles files and reading ($mixed between two of its transactions): each consistent, sound, 0600"

"$BR" --home "$home" backup "$tmp/exists.db" --force >/dev/null 2>&1 || fail "--force"
sqlite3 "$tmp/exists.db" .dump | grep -v '^PRAGMA' | cmp -s - "$tmp/after.sql" || fail "--force did not replace FILE with the store"
ok "--force replaces an existing FILE"

# --- restore and prepare December in both homes ----------------------------------
# A copy from the middle of the ingest: the restored home receives again
# the deliveries the copy has not finished, as the operator would after a
# restore.  Not finished is also a delivery in the ledger but not yet
# marked archived: the ingest commits a file, then archives it and marks
# it in a transaction of its own (intake.h, step 3), and a copy between
# the two is a consistent state.  Delivered again, such a file is
# archived and marked, nothing else (intake.h, step 2).  A copy with such
# a delivery is taken when there is one, since it is the harder restore.
pick=$tmp/copy-$(( (n + 1) / 2 )).db
for f in "$tmp"/copy-*.db; do
	[ "$(sqlite3 "$f" "SELECT count(*) FROM levering WHERE gearchiveerd = 0")" = 0 ] || { pick=$f; break; }
done
new=$tmp/restored
mkdir -m 700 "$new"
cp "$home/betaalrun.conf" "$new/"
cp "$pick" "$new/betaalrun.db"
"$BR" --home "$new" init >/dev/null || fail "init on the restored home"
have=$(count "$new" "SELECT count(*) FROM levering WHERE soort = 'inkomen' AND gearchiveerd = 1")
unfinished=$(count "$new" "SELECT count(*) FROM levering WHERE gearchiveerd = 0")
for f in $(ls "$tmp/drop" | tail -n +$((have - 2 + 1))); do cp "$tmp/drop/$f" "$new/inbox/"; done
"$BR" --home "$new" ingest >"$tmp/restored.out" 2>&1 || fail "ingest into the restored home: $(cat "$tmp/restored.out")"
if [ "$unfinished" -gt 0 ]; then
	grep -q "onderbroken archivering afgemaakt" "$tmp/restored.out" ||
		fail "the unfinished delivery was not finished: $(cat "$tmp/restored.out")"
fi
how="copy had $((have - 2)) of $nfiles files archived, $unfinished more committed; the rest ingested again"
store_dump "$new" >"$tmp/restored.sql"
cmp -s "$tmp/restored.sql" "$tmp/after.sql" || fail "restored store differs from the original before December ($how):
$(diff "$tmp/after.sql" "$tmp/restored.sql" | head -20)"
export BETAALRUN_NOW=2026-12-18T09:00:00
for h in "$home" "$new"; do
	"$BR" --home "$h" run --month 2026-12 --key "$keys/Preparer.bundle.pem" --pass-fd 3 3</dev/null >"$h.run.out" 2>"$tmp/err" ||
		fail "December in $h: $(cat "$tmp/err")"
done
sed -i "s|$home/|HOME/|" "$home.run.out"
sed -i "s|$new/|HOME/|" "$new.run.out"
cmp -s "$home.run.out" "$new.run.out" || fail "December's summary differs: $(diff "$home.run.out" "$new.run.out" | head -5)"
dec=$(head -1 "$home.run.out")
[[ "$dec" =~ ^BR-202612-[0-9]{4}$ ]] || fail "no December run id: $dec"
for f in pain.001.xml manifest.xml rapport-totalen.csv specificaties.idx $(cd "$home/out/2026-12/$dec" && ls specificaties-*.txt.gz); do
	cmp -s "$home/out/2026-12/$dec/$f" "$new/out/2026-12/$dec/$f" || fail "December's $f differs"
done
# a run records its folder by absolute path (November's, from the copy,
# still names the original home): the one difference allowed
store_dump "$home" | sed "s|$home/|HOME/|g" >"$tmp/a.sql"
store_dump "$new" | sed -e "s|$new/|HOME/|g" -e "s|$home/|HOME/|g" | cmp -s - "$tmp/a.sql" || fail "the stores differ after December's run"
ok "restored home ($how) prepares December exactly as the original: $dec, same file, report, specifications, store"
