#!/usr/bin/env bash
# Specifications from the store's settlement records (issue 13,
# pipeline/specstore.h): the store keeps a compact record per dossier and
# run, no text, and the rules file the run used by its SHA-256; a run's
# specification is rendered from them byte for byte as in the run's bundle,
# also after the rules in force have changed; a damaged record or a
# missing rules file is refused with what is wrong; a row kept as text
# (before schema version 9) is given as it was kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
home=$tmp/home
export BETAALRUN_NOW=2026-11-20T09:00:00

generated_home "$tmp" 11 400
prepare() { "$BR" --home "$home" run --month 2026-11 --key "$tmp/prep.pem" --pass-fd 3 3</dev/null | sed -n 1p; }

# every 8th dossier of the run (a process each), rendered from the store,
# is its bundle text (test_payrun.sh compares a whole bundle)
same_as_bundle() { # run: prints how many were compared
	local run=$1 dir=$home/out/2026-11/$1 n=0 i=0 key
	while read -r key; do
		case $key in dossier-*) continue ;; esac
		i=$((i + 1)); [ $((i % 8)) = 1 ] || continue
		spec_text "$dir" "$key" >"$tmp/bundle.txt"
		"$BR" --home "$home" specificatie "$key" --run "$run" >"$tmp/store.txt" 2>"$tmp/err" \
			|| fail "specificatie $key --run $run: $(cat "$tmp/err")"
		cmp -s "$tmp/bundle.txt" "$tmp/store.txt" || fail "$key: the text from the store is not the bundle's"
		n=$((n + 1))
	done < <(spec_keys "$dir")
	echo "$n"
}

r1=$(prepare)
[ "$(count "$home" "SELECT count(*) FROM afrekening WHERE specificatie IS NOT NULL OR vastlegging IS NULL")" = 0 ] \
	|| fail "the run stored text instead of records"
[ "$(count "$home" "SELECT count(*) FROM regels WHERE sha256 = (SELECT regels_sha256 FROM run WHERE msg_id = '$r1')")" = 1 ] \
	|| fail "the run's rules file is not in the store"
avg=$(count "$home" "SELECT CAST(avg(length(vastlegging)) AS INTEGER) FROM afrekening")
[ "$avg" -lt 600 ] || fail "a record takes $avg bytes on average"
n1=$(same_as_bundle "$r1")
[ "$n1" -gt 40 ] || fail "only $n1 dossiers compared"
ok "run $r1: $n1 specifications rendered from records of $avg bytes on average are the bundle's texts"

# the rules change (a higher norm from July 2026, in an own rules folder):
# the old run still renders with its own rules, the new one with the new
mkdir -p "$tmp/regels"
sed 's/bedrag="1419.46"/bedrag="1500.00"/' data/rules/regels.xml >"$tmp/regels/regels.xml"
cp data/rules/signaaltabel.xml "$tmp/regels/"
grep -q 'bedrag="1500.00"' "$tmp/regels/regels.xml" || fail "the test could not change the norm"
sed -i "s|^map *=.*|map = $tmp/regels|" "$home/betaalrun.conf"
nr=$(spec_keys "$home/out/2026-11/$r1" | awk '!/^dossier-/ && !n++')
spec_text "$home/out/2026-11/$r1" "$nr" >"$tmp/old.txt"
"$BR" --home "$home" specificatie "$nr" --run "$r1" >"$tmp/again.txt" 2>"$tmp/err" || fail "specificatie after the rules changed: $(cat "$tmp/err")"
cmp -s "$tmp/old.txt" "$tmp/again.txt" || fail "after the rules changed, run $r1's text changed"
"$BR" --home "$home" dossier "$nr" --month 2026-11 >"$tmp/d.txt" 2>/dev/null || fail "dossier $nr"
cmp -s "$tmp/old.txt" "$tmp/d.txt" || fail "dossier $nr prints another text than its run's"
r2=$(prepare)
[ "$(count "$home" "SELECT count(*) FROM regels")" = 2 ] || fail "the store does not keep both rules files"
spec_text "$home/out/2026-11/$r2" "$nr" >"$tmp/new.txt"
cmp -s "$tmp/old.txt" "$tmp/new.txt" && fail "the new rules did not change $nr's specification"
n2=$(same_as_bundle "$r2")
[ "$n2" = "$n1" ] || fail "run $r2 compared $n2 dossiers, run $r1 $n1"
ok "after a rules change the old run renders with its own rules; the new run ($r2) with the new ones"

# a damaged record and a missing rules file are refused, naming the problem
id=$(count "$home" "SELECT a.id FROM afrekening a JOIN dossier d ON d.id = a.dossier JOIN run r ON r.id = a.run
	WHERE d.nummer = '$nr' AND r.msg_id = '$r2'")
count "$home" "UPDATE afrekening SET vastlegging = substr(vastlegging, 1, 30) WHERE id = $id" >/dev/null
set +e
"$BR" --home "$home" specificatie "$nr" --run "$r2" >"$tmp/out.txt" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 65 ] && [ ! -s "$tmp/out.txt" ] && grep -q "vastlegging beschadigd" "$tmp/err" \
	|| fail "a damaged record: exit $rc, $(cat "$tmp/err")"
nr2=$(spec_keys "$home/out/2026-11/$r2" | awk '!/^dossier-/ && ++n == 2')
count "$home" "DELETE FROM regels WHERE sha256 = (SELECT regels_sha256 FROM run WHERE msg_id = '$r2')" >/dev/null
set +e
"$BR" --home "$home" specificatie "$nr2" --run "$r2" >"$tmp/out.txt" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 78 ] && grep -q "niet in de store" "$tmp/err" || fail "rules not in the store: exit $rc, $(cat "$tmp/err")"
ok "a damaged record is refused (65), a run whose rules are not in the store too (78)"

# a row from before records (schema version 8) is given as it was kept
count "$home" "UPDATE afrekening SET vastlegging = NULL, specificatie = 'zoals bewaard' || char(10) WHERE id = $id" >/dev/null
"$BR" --home "$home" specificatie "$nr" --run "$r2" >"$tmp/out.txt" 2>"$tmp/err" || fail "a kept text: $(cat "$tmp/err")"
[ "$(cat "$tmp/out.txt")" = "zoals bewaard" ] || fail "a kept text is given as $(cat "$tmp/out.txt")"
set +e
count "$home" "UPDATE afrekening SET specificatie = NULL WHERE id = $id" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" != 0 ] || fail "the store accepts a settlement with neither text nor record"
ok "a settlement kept as text is given as kept; one with neither is refused by the store"
