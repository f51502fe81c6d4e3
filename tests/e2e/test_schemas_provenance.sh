#!/usr/bin/env bash
# test_schemas_provenance.sh — every official schema the project carries is
# byte-exact: its sha256 is the one PROVENANCE.md records, and every .xsd in
# the folder has a row.  Needs only sha256sum; ignores $BR and $BRGEN.
set -u
dir=$(cd "$(dirname "$0")/../../data/schemas/iso20022" && pwd)
prov="$dir/PROVENANCE.md"
fails=0
n=0
for f in "$dir"/*.xsd; do
	name=$(basename "$f")
	want=$(awk -F'|' -v n="$name" '{ gsub(/ /, "", $2) } $2 == n { gsub(/ /, "", $7); print $7 }' "$prov")
	got=$(sha256sum "$f" | cut -d' ' -f1)
	if [ -z "$want" ]; then
		echo "FAIL - $name has no row in PROVENANCE.md" >&2; fails=$((fails + 1))
	elif [ "$want" != "$got" ]; then
		echo "FAIL - $name: sha256 $got, PROVENANCE.md says $want" >&2; fails=$((fails + 1))
	fi
	n=$((n + 1))
done
[ "$n" -ge 9 ] || { echo "FAIL - only $n schemas in $dir" >&2; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] || exit 1
echo "ok - $n official schemas match PROVENANCE.md"
