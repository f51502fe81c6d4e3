#!/usr/bin/env bash
# A preparation that no longer counts frees what it stored (issue 13):
# preparing one month three times leaves one run's rows and a store no
# larger than after the first; a superseded or cancelled run keeps its run
# row, status and file hash, and nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
home=$tmp/home
export BETAALRUN_NOW=2026-11-20T09:00:00

generated_home "$tmp" 7 3000

pages() { sqlite3 "$home/betaalrun.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	sqlite3 "$home/betaalrun.db" 'PRAGMA page_count'; }
prepare() { "$BR" --home "$home" run --month 2026-11 --key "$tmp/prep.pem" --pass-fd 3 3</dev/null | sed -n 1p; }
rows() { # run id: its afrekening, run_dossier, betaling, boeking and batch rows
	local id="(SELECT id FROM run WHERE msg_id = '$1')"
	count "$home" "SELECT (SELECT count(*) FROM afrekening WHERE run = $id) || ' ' ||
		(SELECT count(*) FROM run_dossier WHERE run = $id) || ' ' ||
		(SELECT count(*) FROM betaling WHERE run = $id) || ' ' || (SELECT count(*) FROM boeking WHERE run = $id)
		|| ' ' || (SELECT count(*) FROM batch WHERE run = $id)"
}

r1=$(prepare); p1=$(pages)
read -r a1 d1 b1 k1 n1 <<<"$(rows "$r1")"
[ "$a1" -gt 2000 ] && [ "$d1" = "$a1" ] && [ "$b1" -gt 2000 ] && [ "$k1" -gt "$b1" ] && [ "$n1" -ge 2 ] \
	|| fail "the first run stored $a1 $d1 $b1 $k1 $n1"
sha1=$(count "$home" "SELECT sha256 FROM run WHERE msg_id = '$r1'")
r2=$(prepare); p2=$(pages)
r3=$(prepare); p3=$(pages)
[ "$(count "$home" "SELECT status FROM run WHERE msg_id = '$r1'")" = SUPERSEDED ] || fail "$r1 not superseded"
[ "$(count "$home" "SELECT sha256 FROM run WHERE msg_id = '$r1'")" = "$sha1" ] || fail "$r1 lost its file's hash"
[ "$(rows "$r1")" = "0 0 0 0 0" ] && [ "$(rows "$r2")" = "0 0 0 0 0" ] || fail "superseded runs kept rows: $(rows "$r1"), $(rows "$r2")"
[ "$(rows "$r3")" = "$a1 $d1 $b1 $k1 $n1" ] || fail "the third run stored $(rows "$r3"), the first $a1 $d1 $b1 $k1 $n1"
[ "$(count "$home" "SELECT count(*) FROM afrekening")" = "$a1" ] || fail "afrekening holds more than one run's settlements"
# the freed pages are used again: no growth beyond SQLite's page slack
# (a few pages where B-trees split differently the second time: with
# 16 KiB pages that is 1%; a run's rows kept would add almost half)
[ "$p3" -le $((p1 + p1 / 50)) ] && [ "$p2" -le $((p1 + p1 / 50)) ] \
	|| fail "the store grew over three preparations: $p1, $p2, $p3 pages"
ok "three preparations of one month: the superseded two keep their run row and hash, no rows; $p1, $p2, $p3 pages"

"$BR" --home "$home" cancel "$r3" >/dev/null || fail "cancel"
[ "$(count "$home" "SELECT status || ' ' || length(sha256) FROM run WHERE msg_id = '$r3'")" = "CANCELLED 64" ] \
	|| fail "the cancelled run lost its status or hash"
[ "$(rows "$r3")" = "0 0 0 0 0" ] || fail "the cancelled run kept rows: $(rows "$r3")"
[ "$(count "$home" "SELECT count(*) FROM run")" = 3 ] || fail "a run row was deleted"
ok "a cancelled run keeps its run row, status and hash, no rows"
