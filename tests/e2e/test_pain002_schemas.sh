#!/usr/bin/env bash
# test_pain002_schemas.sh — betaalrun's own pain.002 schemas against the
# official ISO ones (style.md "Tests": checked with the outside tool).
#
#   every tests/data/pain002/good-*.xml must pass BOTH the official schema
#   (parsers/schemas/iso20022, the version given by the file's root namespace) and ours
#   (parsers/schemas/);
#   every tests/data/pain002/bad-*.xml must be refused by BOTH of ours.
#   (refused-*.xml are valid but refused by pain002.c: the unit test's.)
#
# Needs only xmllint; ignores $BR and $BRGEN.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
official=$(cd "$(dirname "$0")/../../parsers/schemas/iso20022" 2>/dev/null && pwd) || {
	echo "FAIL - official schemas not found in parsers/schemas/iso20022" >&2
	exit 1
}
ours="$root/parsers/schemas"
data="$root/tests/data/pain002"
fails=0
checked=0

command -v xmllint >/dev/null || { echo "FAIL - xmllint not installed (libxml2-utils)" >&2; exit 1; }

for v in 03 10; do
	for f in "$official/pain.002.001.$v.xsd" "$ours/pain.002.001.$v.xsd"; do
		[ -f "$f" ] || { echo "FAIL - missing schema $f" >&2; exit 1; }
	done
done

validate() { # schema file -> 0 if valid
	xmllint --noout --nonet --schema "$1" "$2" >/dev/null 2>&1
}

shopt -s nullglob
good=("$data"/good-*.xml)
bad=("$data"/bad-*.xml)
if [ ${#good[@]} -eq 0 ] || [ ${#bad[@]} -eq 0 ]; then
	echo "FAIL - no good-*.xml or bad-*.xml under $data" >&2
	exit 1
fi

for f in "${good[@]}"; do
	name=$(basename "$f")
	v=$(grep -o 'urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.[0-9][0-9]' "$f" | head -n 1)
	v=${v##*.}
	case "$v" in
	03|10) ;;
	*) echo "FAIL - $name: no pain.002.001.03/.10 namespace"; fails=$((fails + 1)); continue ;;
	esac
	checked=$((checked + 1))
	if ! validate "$official/pain.002.001.$v.xsd" "$f"; then
		echo "FAIL - $name is refused by the official pain.002.001.$v schema:"
		xmllint --noout --nonet --schema "$official/pain.002.001.$v.xsd" "$f" 2>&1 | head -n 3
		fails=$((fails + 1))
	fi
	if ! validate "$ours/pain.002.001.$v.xsd" "$f"; then
		echo "FAIL - $name is refused by betaalrun's pain.002.001.$v schema:"
		xmllint --noout --nonet --schema "$ours/pain.002.001.$v.xsd" "$f" 2>&1 | head -n 3
		fails=$((fails + 1))
	fi
done

for f in "${bad[@]}"; do
	name=$(basename "$f")
	checked=$((checked + 1))
	for v in 03 10; do
		if validate "$ours/pain.002.001.$v.xsd" "$f"; then
			echo "FAIL - $name is accepted by betaalrun's pain.002.001.$v schema"
			fails=$((fails + 1))
		fi
	done
done

if [ "$fails" -ne 0 ]; then
	echo "test_pain002_schemas: $fails failure(s)"
	exit 1
fi
echo "ok - $checked pain.002 files: good ones pass the official and our schemas, bad ones fail ours"
