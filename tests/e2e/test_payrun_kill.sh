#!/usr/bin/env bash
# Crash safety of the payment run (cli.md, issue 4): kill -9 at random
# moments during `run` and during `release`.  A killed prepare leaves
# either no run or a complete prepared one; a killed release, finished by
# running release again, ends exactly like an uninterrupted release (store,
# ledger, outbox).  Also: the same state and run id give a byte-identical
# payment file.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
KILLS=${KILLS:-12}
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
prepare() { "$BR" --home "$1" run --month 2026-11 --key "$keys/P.bundle" --pass-fd 3 3</dev/null; }
state() { store_dump "$1"; (cd "$1" && find outbox out -type f -exec sha256sum {} + 2>/dev/null | sort -k2); }

# reproducible: two homes in the same state give the same bytes
cp -a "$base" "$tmp/r1"; cp -a "$base" "$tmp/r2"
run=$(prepare "$tmp/r1" | sed -n 1p); run2=$(prepare "$tmp/r2" | sed -n 1p)
[ "$run" = "$run2" ] || fail "run ids differ: $run $run2"
cmp -s "$tmp/r1/out/2026-11/$run/pain.001.xml" "$tmp/r2/out/2026-11/$run/pain.001.xml" || fail "payment files differ"
ok "same state, same run id $run: byte-identical payment file"
rm -rf "$tmp/r2"

# kill -9 during prepare: no run, or a complete prepared one
t0=$(date +%s%N); cp -a "$base" "$tmp/p"; prepare "$tmp/p" >/dev/null; t1=$(date +%s%N)
prep_ms=$(( (t1 - t0) / 1000000 )); rm -rf "$tmp/p"
RANDOM=77; kills=0
while [ "$kills" -lt $((KILLS / 2)) ]; do
	cp -a "$base" "$tmp/k"
	# the binary itself in the background (a shell function would put a
	# subshell between us and the process we kill)
	"$BR" --home "$tmp/k" run --month 2026-11 --key "$keys/P.bundle" --pass-fd 3 3</dev/null >/dev/null 2>&1 &
	pid=$!; d=$(( RANDOM % (prep_ms + 1) )); sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null || true
	n=$(count "$tmp/k" "SELECT count(*) FROM run")
	if [ "$n" = 1 ]; then
		r=$(count "$tmp/k" "SELECT msg_id FROM run"); sha=$(count "$tmp/k" "SELECT sha256 FROM run")
		f=$tmp/k/out/2026-11/$r/pain.001.xml
		[ -f "$f.p7s" ] && [ "$(sha256sum "$f" | cut -c1-64)" = "$sha" ] || fail "a prepared run without its complete folder"
	else
		[ "$n" = 0 ] && [ "$(count "$tmp/k" "SELECT count(*) FROM betaling") $(count "$tmp/k" "SELECT count(*) FROM boeking")" = "0 0" ] \
			|| fail "a half-prepared run is in the store"
	fi
	# and a new preparation after the crash succeeds
	prepare "$tmp/k" >/dev/null 2>&1 || fail "prepare after a crash failed"
	rm -rf "$tmp/k"
done
ok "$kills kills during prepare: never a half-prepared run (prepare takes ${prep_ms} ms)"

# kill -9 during release
"$BR" --home "$tmp/r1" approve "$run" --ja --key "$keys/A.bundle" --pass-fd 3 3</dev/null >/dev/null
cp -a "$tmp/r1" "$tmp/approved"
t0=$(date +%s%N); "$BR" --home "$tmp/r1" release "$run" >/dev/null; t1=$(date +%s%N)
rel_ms=$(( (t1 - t0) / 1000000 ))
state "$tmp/r1" >"$tmp/ref.state"
kills=0; rounds=0
while [ "$kills" -lt $((KILLS - KILLS / 2)) ]; do
	rounds=$((rounds + 1)); rm -rf "$tmp/k"; cp -a "$tmp/approved" "$tmp/k"
	"$BR" --home "$tmp/k" release "$run" >/dev/null 2>&1 &
	pid=$!; d=$(( RANDOM % (rel_ms + 1) )); sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null || true
	st=$(count "$tmp/k" "SELECT status FROM run WHERE msg_id = '$run'")
	pend=$(count "$tmp/k" "SELECT count(*) FROM boeking WHERE vrijgegeven IS NULL")
	case "$st" in
	RELEASED) [ "$pend" = 0 ] || fail "RELEASED with pending bookings" ;;
	APPROVED) [ "$pend" -gt 0 ] || fail "APPROVED with released bookings"
		"$BR" --home "$tmp/k" release "$run" >/dev/null 2>&1 || fail "release after a crash failed" ;;
	*) fail "run status $st after a kill" ;;
	esac
	state "$tmp/k" >"$tmp/k.state"
	cmp -s "$tmp/ref.state" "$tmp/k.state" || { diff "$tmp/ref.state" "$tmp/k.state" | head >&2; fail "state after a killed release differs"; }
done
ok "$kills kills during release ($rounds rounds, release takes ${rel_ms} ms): released whole or not at all, same end state"
