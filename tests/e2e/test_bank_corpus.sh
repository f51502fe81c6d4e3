#!/usr/bin/env bash
# Every bank file of the parser corpora through the binary (issue 9): what
# the official schema accepts is ingested, never quarantined; with no
# released run to match, nothing is booked and every status line or return
# is kept as matching nothing, named in one BANK job; what the schema or
# betaalrun's rules refuse is quarantined with its reason, and nothing is
# stored.  Also: one file with another account than the debtor's.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$BR" --home "$tmp/template" init >/dev/null
sed -i 's/^iban *=.*/iban = NL91ABNA0417164300/' "$tmp/template/betaalrun.conf"

one() { # file -> exit code of ingest into a fresh home $tmp/h
	rm -rf "$tmp/h"; cp -a "$tmp/template" "$tmp/h"
	cp "$1" "$tmp/h/inbox/"
	set +e; "$BR" --home "$tmp/h" ingest >/dev/null 2>"$tmp/err"; rc=$?; set -e
	echo "$rc"
}
nothing_booked() {
	[ "$(count "$tmp/h" "SELECT (SELECT count(*) FROM terugboeking) + (SELECT count(*) FROM boeking)
		+ (SELECT count(*) FROM afschrijving)")" = 0 ] || fail "$1: something was booked without a run"
}
n=0
for f in tests/data/pain002/good-*.xml tests/data/camt/good-*.xml; do
	name=$(basename "$f"); n=$((n + 1))
	rc=$(one "$f")
	[ "$rc" = 0 ] || fail "$name: ingest exit $rc: $(cat "$tmp/err")"
	[ "$(count "$tmp/h" "SELECT count(*) FROM levering WHERE gearchiveerd = 1")" = 1 ] || fail "$name: not archived"
	[ -z "$(ls "$tmp/h/quarantine")" ] || fail "$name: quarantined"
	nothing_booked "$name"
	case "$f" in
	*pain002*)
		lines=$(count "$tmp/h" "SELECT count(*) FROM bankstatus WHERE status <> ''")
		[ "$(count "$tmp/h" "SELECT count(*) FROM bankstatus WHERE status <> '' AND onbekend = 1")" = "$lines" ] \
			|| fail "$name: a status line matched a run that does not exist"
		unmatched=$lines ;;
	*)
		unmatched=$(count "$tmp/h" "SELECT count(*) FROM bankpost WHERE onbekend = 1")
		[ "$(count "$tmp/h" "SELECT count(*) FROM bankpost")" = "$unmatched" ] \
			|| fail "$name: an entry was taken as a run's debit without a run" ;;
	esac
	jobs=$(count "$tmp/h" "SELECT count(*) FROM taak WHERE soort = 'BANK' AND dossier IS NULL
		AND sleutel = (SELECT soort || ' ' || levering_id FROM levering)")
	if [ "$unmatched" -gt 0 ]; then [ "$jobs" = 1 ] || fail "$name: $unmatched lines match nothing but $jobs BANK jobs"
	else [ "$jobs" = 0 ] || fail "$name: a BANK job without a reason"; fi
done
ok "$n bank files the official schemas accept: ingested, nothing booked without a run, what matches nothing in one BANK job"

n=0
for f in tests/data/pain002/bad-*.xml tests/data/camt/bad-*.xml tests/data/camt/refused-*.xml; do
	name=$(basename "$f"); n=$((n + 1))
	rc=$(one "$f")
	[ "$rc" = 65 ] || fail "$name: ingest exit $rc, expected 65 (quarantined)"
	[ -f "$tmp/h/quarantine/$name" ] && [ -s "$tmp/h/quarantine/$name.reason" ] || fail "$name: no quarantine with a reason"
	[ "$(count "$tmp/h" "SELECT (SELECT count(*) FROM levering) + (SELECT count(*) FROM bankstatus)
		+ (SELECT count(*) FROM bankpost)")" = 0 ] || fail "$name: refused but something was stored"
done
ok "$n broken or refused bank files quarantined with a reason, nothing stored"

sed 's/NL91ABNA0417164300/NL20INGB0001234567/g' tests/data/camt/good-053-08-rabobank.xml >"$tmp/other.xml"
rc=$(one "$tmp/other.xml")
[ "$rc" = 65 ] && grep -q "^problem: afschrift .* is van rekening \*\*\*\*4567, niet van de rekening waarvan betaalrun betaalt" "$tmp/h/quarantine/other.xml.reason" \
	|| fail "a statement for another account: exit $rc, $(cat "$tmp/h/quarantine/other.xml.reason" 2>/dev/null)"
ok "a statement for another account is quarantined, naming the account masked"
