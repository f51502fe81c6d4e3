#!/usr/bin/env bash
# brgen --open-ended (make bench's history of 60 monthly runs): every
# dossier runs on, and nothing else changes.  The register is the default
# one without its dossiers' <Einddatum> lines, byte for byte, and still
# valid against the shipped schema; the income and signal files are
# identical; the same arguments give the same files twice.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

args=(--seed 11 --dossiers 3000 --income-records 600 --signals 40 --peildatum 2026-10-27
	--months 2026-09,2026-10)
"$BRGEN" "${args[@]}" --out "$tmp/plain" >/dev/null
"$BRGEN" "${args[@]}" --out "$tmp/again" >/dev/null
"$BRGEN" "${args[@]}" --open-ended --out "$tmp/open" >/dev/null
diff -r "$tmp/plain" "$tmp/again" >/dev/null || fail "the same arguments gave different files"

ended=$(grep -c '<Einddatum>' "$tmp/plain/register.xml" || true)
[ "$ended" -gt 0 ] || fail "the default register has no ended dossier, nothing to compare"
if grep -q '<Einddatum>' "$tmp/open/register.xml"; then
	fail "--open-ended left an Einddatum in the register"
fi
grep -v '<Einddatum>' "$tmp/plain/register.xml" | cmp -s - "$tmp/open/register.xml" \
	|| fail "--open-ended changed more of the register than its $ended Einddatum lines"
for f in inkomen-2026-09.xml inkomen-2026-10.xml signalen.xml; do
	cmp -s "$tmp/plain/$f" "$tmp/open/$f" || fail "--open-ended changed $f"
done
xmllint --noout --schema data/schemas/clientregister.xsd "$tmp/open/register.xml" 2>"$tmp/xsd" \
	|| fail "the open-ended register fails its schema: $(head -3 "$tmp/xsd")"
ok "--open-ended: the register without its $ended Einddatum lines, valid; income and signals unchanged"
