#!/usr/bin/env bash
# test_camt_schemas.sh — the camt.053 / camt.054 test files against the
# official ISO schemas (style.md "Tests": checked with the outside tool).
#
#   every tests/data/camt/good-*.xml and refused-*.xml must pass the official
#   schema of its root namespace (data/schemas/iso20022/camt.05x.001.0y.xsd):
#   good ones are read by camt.c, refused ones are valid but refused by
#   betaalrun's reader or by camt.c (the unit test's business);
#   every tests/data/camt/bad-*.xml must be refused by the schema its name
#   gives (bad-053-08-... by camt.053.001.08; an unknown version by
#   camt.053.001.02), as intake would validate it.
#
# Needs only xmllint; ignores $BR and $BRGEN.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
official="$root/data/schemas/iso20022"
data="$root/tests/data/camt"
fails=0
checked=0

command -v xmllint >/dev/null || { echo "FAIL - xmllint not installed (libxml2-utils)" >&2; exit 1; }

for s in camt.053.001.02 camt.053.001.08 camt.054.001.02 camt.054.001.08; do
	[ -f "$official/$s.xsd" ] || { echo "FAIL - missing schema $official/$s.xsd" >&2; exit 1; }
done

validate() { # schema file -> 0 if valid
	xmllint --noout --nonet --schema "$1" "$2" >/dev/null 2>&1
}

# good-053-08-x.xml -> camt.053.001.08; anything else -> camt.053.001.02
schema_of_name() {
	case "$1" in
	*-053-08-*) echo "$official/camt.053.001.08.xsd" ;;
	*-054-02-*) echo "$official/camt.054.001.02.xsd" ;;
	*-054-08-*) echo "$official/camt.054.001.08.xsd" ;;
	*) echo "$official/camt.053.001.02.xsd" ;;
	esac
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
	ns=$(grep -o 'urn:iso:std:iso:20022:tech:xsd:camt\.05[34]\.001\.0[28]' "$f" | head -n 1)
	if [ -z "$ns" ]; then
		echo "FAIL - $name: no camt.053/054.001.02/.08 namespace"
		fails=$((fails + 1))
		continue
	fi
	xsd="$official/${ns##*:}.xsd"
	checked=$((checked + 1))
	if [ "$xsd" != "$(schema_of_name "$name")" ]; then
		echo "FAIL - $name: its name does not give its namespace ${ns##*:}"
		fails=$((fails + 1))
	fi
	if ! validate "$xsd" "$f"; then
		echo "FAIL - $name is refused by the official ${ns##*:} schema:"
		xmllint --noout --nonet --schema "$xsd" "$f" 2>&1 | head -n 3
		fails=$((fails + 1))
	fi
done

for f in "${bad[@]}"; do
	name=$(basename "$f")
	xsd=$(schema_of_name "$name")
	checked=$((checked + 1))
	if validate "$xsd" "$f"; then
		echo "FAIL - $name is accepted by $(basename "$xsd")"
		fails=$((fails + 1))
	fi
done

if [ "$fails" -ne 0 ]; then
	echo "test_camt_schemas: $fails failure(s)"
	exit 1
fi
echo "ok - $checked camt files: good and refused ones pass the official schemas, bad ones fail them"
