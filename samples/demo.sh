#!/usr/bin/env bash
# make demo: a fresh data directory, the shipped samples dropped in its
# inbox, one ingest, then the operator's status view.
set -euo pipefail
cd "$(dirname "$0")/.."
BR=${BR:-./betaalrun}
home=${DEMO_HOME:-build/demo}
rm -rf "$home"
"$BR" --home "$home" init
# the register first, so that the income and signals find their dossiers
# (within one drop files go in aanmaakdatum order, formats.md §4)
cp samples/register-*.xml "$home/inbox/"
"$BR" --home "$home" ingest
cp samples/inkomen-*.xml* samples/signalen-*.xml "$home/inbox/"
set +e
"$BR" --home "$home" ingest
rc=$?
set -e
echo
"$BR" --home "$home" status
echo
echo "demo data directory: $home (archive/, quarantine/, betaalrun.db); ingest exit status $rc"
# a second drop of the same files is recognised and skipped
cp samples/*.xml samples/*.xml.gz "$home/inbox/" 2>/dev/null || true
"$BR" --home "$home" ingest
exit $rc
