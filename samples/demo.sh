#!/usr/bin/env bash
# make demo: a whole month on the shipped samples.  A fresh data directory,
# the samples dropped in its inbox and ingested, demo signing keys made on
# the spot (a throwaway CA, a preparer and an approver: never use them for
# real), then run -> approve -> release for November 2026, and where to
# find the payment file, the report and the specifications.
set -euo pipefail
cd "$(dirname "$0")/.."
BR=${BR:-./betaalrun}
home=${DEMO_HOME:-build/demo}
export BETAALRUN_NOW=${BETAALRUN_NOW:-2026-11-20T09:00:00}
rm -rf "$home"
"$BR" --home "$home" init
keys=$home/demo-keys
mkdir -p "$keys"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 \
	-subj "/O=betaalrun demo/CN=Demo CA (not for production)"
for who in "Preparer" "Approver"; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" \
		-subj "/O=WerkSaam Westfriesland (demo)/CN=Demo $who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial \
		-out "$keys/$who.pem" -days 365
	cat "$keys/$who.key" "$keys/$who.pem" >"$keys/$who.bundle.pem"
done
chmod 600 "$keys"/*
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-11/' -e "s|^vertrouwen *=.*|vertrouwen = demo-keys/ca.pem|" \
	"$home/betaalrun.conf"

echo "== ingest: the register first, so that income and signals find their dossiers"
cp samples/register-*.xml "$home/inbox/"
"$BR" --home "$home" ingest
cp samples/inkomen-*.xml* samples/signalen-*.xml "$home/inbox/"
"$BR" --home "$home" ingest
echo
echo "== run, approve, release: November 2026"
out=$("$BR" --home "$home" run --month 2026-11 --key "$keys/Preparer.bundle.pem" --pass-fd 3 3</dev/null)
printf '%s\n' "$out"
run=$(printf '%s\n' "$out" | sed -n 1p)
"$BR" --home "$home" approve "$run" --ja --key "$keys/Approver.bundle.pem" --pass-fd 3 3</dev/null
"$BR" --home "$home" release "$run"
"$BR" --home "$home" verify "$home/outbox/$run.xml"
echo
"$BR" --home "$home" status
nr=$(sed -n 2p "$home/out/2026-11/$run/specificaties.idx" | cut -f1)
cat <<MSG

Done. Everything is in $home:
  payment file     $home/outbox/$run.xml (+ .p7s, two signatures)
  run folder       $home/out/2026-11/$run/ (rapport.html, rapport-*.csv, manifest.xml)
  specifications   $home/out/2026-11/$run/specificaties-*.txt.gz (index: specificaties.idx)
  one dossier      $BR --home $home dossier $nr --month 2026-11
  its specification $BR --home $home specificatie $nr --month 2026-11 -o $nr.txt
MSG
