#!/usr/bin/env bash
# Crash safety (cli.md, issue 2): kill -9 at random moments during ingest;
# after a rerun the store, archive, inbox and quarantine must equal those
# of an uninterrupted ingest of the same drop.  At least 20 kills.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
KILLS=${KILLS:-20}

"$BRGEN" --seed 42 --dossiers 5000 --income-records 1200 --signals 150 --out "$tmp/drop" \
	--peildatum 2026-11-27 >/dev/null
# a second, newer register snapshot so that stand updates and ended dossiers are exercised
"$BRGEN" --seed 42 --dossiers 4800 --out "$tmp/drop2" --peildatum 2026-12-27 >/dev/null
mv "$tmp/drop2/register.xml" "$tmp/drop/register-2.xml"
rm -rf "$tmp/drop2"
cp tests/data/broken/not-xml.bin "$tmp/drop/" 2>/dev/null || printf 'garbage\0\1\2' >"$tmp/drop/garbage.bin"

setup() {
	rm -rf "$1"
	"$BR" --home "$1" init >/dev/null
	sed -i 's/^register_krimp_max_pct *=.*/register_krimp_max_pct = 100/' "$1/betaalrun.conf"
	cp "$tmp/drop"/* "$1/inbox/"
}
state() {
	store_dump "$1"
	archive_list "$1"
	echo "inbox:"; ls "$1/inbox"
	echo "quarantine:"; ls "$1/quarantine"
	cat "$1"/quarantine/*.reason 2>/dev/null || true
}

setup "$tmp/ref"
t0=$(date +%s%N)
set +e
"$BR" --home "$tmp/ref" ingest >/dev/null 2>"$tmp/ref.err"
rc=$?
set -e
t1=$(date +%s%N)
[ "$rc" = 65 ] || fail "reference ingest: exit $rc, expected 65 (the garbage file quarantined): $(cat "$tmp/ref.err")"
[ "$(count "$tmp/ref" 'SELECT count(*) FROM levering')" = 4 ] || fail "reference ingest did not ingest the 4 good files"
ref_ms=$(( (t1 - t0) / 1000000 ))
[ "$ref_ms" -gt 0 ] || ref_ms=1
state "$tmp/ref" >"$tmp/ref.state"

kills=0 rounds=0
RANDOM=4242
while [ "$kills" -lt "$KILLS" ]; do
	rounds=$((rounds + 1))
	home=$tmp/k$rounds
	setup "$home"
	while :; do
		"$BR" --home "$home" ingest >/dev/null 2>&1 &
		pid=$!
		delay=$(( RANDOM % (ref_ms + 1) ))
		sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
		if kill -9 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null || true
			kills=$((kills + 1))
		else
			wait "$pid" 2>/dev/null || true
			break
		fi
	done
	# a last uninterrupted run finishes whatever is left
	"$BR" --home "$home" ingest >/dev/null 2>&1 || true
	state "$home" >"$tmp/k.state"
	if ! cmp -s "$tmp/ref.state" "$tmp/k.state"; then
		diff "$tmp/ref.state" "$tmp/k.state" | head -20 >&2
		fail "round $rounds: state after kills differs from the uninterrupted ingest"
	fi
	rm -rf "$home"
done
ok "$kills kills over $rounds rounds (ingest takes ${ref_ms} ms): end state equals the uninterrupted ingest"
