#!/usr/bin/env bash
# A home given as a relative path (issue 14's note): the run records its
# folder as an absolute path, so approve and release from another working
# directory find the run's files.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
src=$PWD
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
keys=$tmp/keys; mkdir -p "$keys" "$tmp/a" "$tmp/b"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Rel CA"
for who in P A; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/CN=Signer $who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
	cat "$keys/$who.key" "$keys/$who.pem" >"$keys/$who.bundle"
done
export BETAALRUN_NOW=2026-11-20T09:00:00
cd "$tmp/a"
"$BR" --home rel init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^startmaand *=.*/startmaand = 2026-10/' \
	-e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" rel/betaalrun.conf
cp "$src"/samples/register-*.xml rel/inbox/
"$BR" --home rel ingest >/dev/null 2>&1 || fail "ingest"
run=$("$BR" --home rel run --month 2026-11 --key "$keys/P.bundle" --pass-fd 3 3</dev/null | sed -n 1p)
map=$(count rel "SELECT map FROM run WHERE msg_id = '$run'")
[ "$map" = "$tmp/a/rel/out/2026-11/$run" ] || fail "run $run records its folder as '$map', not $tmp/a/rel/out/2026-11/$run"
cd "$tmp/b"
"$BR" --home ../a/rel approve "$run" --ja --key "$keys/A.bundle" --pass-fd 3 3</dev/null >/dev/null 2>"$tmp/err" \
	|| fail "approve from another directory: $(cat "$tmp/err")"
"$BR" --home "$tmp/a/rel" release "$run" >/dev/null 2>"$tmp/err" || fail "release from another directory: $(cat "$tmp/err")"
[ -f "$tmp/a/rel/outbox/$run.xml" ] || fail "nothing in outbox/"
ok "a relative --home: $run records $map; approved and released from another directory"
