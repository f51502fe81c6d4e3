#!/usr/bin/env bash
# test_pain002_schemas.sh — the pain.002 test files against the official ISO
# schemas, checked with the outside tool (style.md "Tests").  pain002.c
# accepts whatever the official schema accepts (payments.md "Bank status
# reports"), so the data the unit test calls good must be valid by it, and
# the data it calls bad must not be:
#
#   every tests/data/pain002/good-*.xml and refused-*.xml passes the
#   official schema of the version its root namespace names
#   (data/schemas/iso20022/pain.002.001.03.xsd or .10.xsd); refused-*
#   are valid files that pain002.c itself refuses (see the unit test);
#   every tests/data/pain002/bad-*.xml fails both official schemas: it is
#   of another namespace, not XML, cut off, carries a DOCTYPE (xmlin
#   refuses that before any schema; xmllint happens to fail on the entity
#   reference too), or breaks a rule of its version's schema.
#
# What the parser makes of each file is the unit test's (test_pain002.c).
# Needs only xmllint; ignores $BR and $BRGEN.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
official="$root/data/schemas/iso20022"
data="$root/tests/data/pain002"
fails=0
checked=0

command -v xmllint >/dev/null || { echo "FAIL - xmllint not installed (libxml2-utils)" >&2; exit 1; }

for v in 03 10; do
	[ -f "$official/pain.002.001.$v.xsd" ] || {
		echo "FAIL - missing official schema $official/pain.002.001.$v.xsd" >&2
		exit 1
	}
done

validate() { # schema file -> 0 if valid
	xmllint --noout --nonet --schema "$1" "$2" >/dev/null 2>&1
}

shopt -s nullglob
good=("$data"/good-*.xml "$data"/refused-*.xml)
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
done

for f in "${bad[@]}"; do
	name=$(basename "$f")
	checked=$((checked + 1))
	for v in 03 10; do
		if validate "$official/pain.002.001.$v.xsd" "$f"; then
			echo "FAIL - $name is accepted by the official pain.002.001.$v schema"
			fails=$((fails + 1))
		fi
	done
done

if [ "$fails" -ne 0 ]; then
	echo "test_pain002_schemas: $fails failure(s)"
	exit 1
fi
echo "ok - $checked pain.002 files: good and refused ones pass the official schema, bad ones fail it"
