#!/usr/bin/env bash
# test_read_in_place.sh — a large inbox file is read in place under a read
# lease instead of being copied (pipeline/intake.c, "reading in place";
# formats.md §5: what is hashed, parsed and archived are the same bytes).
#
#  1. A 65 MB register: the ingest holds a read lease on it (seen in
#     /proc/locks while it runs), makes no private copy, and archives
#     exactly the bytes that were hashed.
#  2. The same kind of file, opened for writing by somebody while it is
#     being parsed: the lease breaks, nothing of it is kept (no delivery,
#     no dossier, no archive file), it stays in the inbox with the reason
#     "changed while read"; the next pass ingests it.
#     A bad file opened for writing while it is parsed is left, not
#     quarantined (the refusal may be for the changed bytes).
#  3. A file that is open for writing when the ingest starts gets no lease
#     and is copied as before, and ingested.
#  4. A large bad file in an inbox on another file system (`ingest DIR`)
#     goes to quarantine/ byte for byte, copied from the leased file.
#
# Needs leases (Linux, a file system that has them, the file's owner or
# CAP_LEASE) and /proc; without them each part says so and the copy is
# what is tested elsewhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d)
shm=''
cleanup() {
	wait 2>/dev/null || true
	rm -rf "$tmp"
	[ -z "$shm" ] || rm -rf "$shm"
}
trap cleanup EXIT

"$BRGEN" --seed 3 --dossiers 100000 --income-records 0 --signals 0 --out "$tmp/drop" >/dev/null
reg=$tmp/drop/register.xml
reg_sha=$(sha256sum "$reg" | cut -c1-64)
# a bad one: the first dossier once more at the end, its number twice,
# refused whole (formats.md §5) when the parse reaches the end
dubbel=$tmp/dubbel.xml
{ sed '$d' "$reg"; awk '/<Dossier>/ { f = 1 } f { print } /<\/Dossier>/ { if (f) exit }' "$reg"
  echo '</Clientregister>'; } >"$dubbel"
bad_sha=$(sha256sum "$dubbel" | cut -c1-64)

# leased FILE PID: 0 once /proc/locks shows a read lease of process PID on
# FILE's inode, 1 when PID ended first (or after 20 s)
leased() {
	local ino i
	ino=$(stat -c %i "$1")
	for i in $(seq 1 1000); do
		grep -Eq "LEASE +ACTIVE +READ +$2 [0-9a-f]+:[0-9a-f]+:$ino " /proc/locks && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.02
	done
	return 1
}

# opened_while_read HOME SRC NAME OUT ERR: a fresh HOME with SRC in its
# inbox as NAME, ingested while somebody opens NAME for writing once the
# ingest holds its lease (the open waits until betaalrun lets go, at most
# 5 s here; nothing is written); the ingest's output in OUT and ERR
opened_while_read() {
	local pid
	"$BR" --home "$1" init >/dev/null
	cp "$2" "$1/inbox/$3"
	"$BR" --home "$1" ingest >"$4" 2>"$5" &
	pid=$!
	leased "$1/inbox/$3" "$pid" || fail "no lease on $3"
	timeout 5 sh -c 'exec 3>>"$1"' sh "$1/inbox/$3" || true
	wait "$pid" || fail "the ingest failed: $(tail -3 "$5")"
}

# ---- 1. read in place, archived as hashed ---------------------------------
h1=$tmp/h1
"$BR" --home "$h1" init >/dev/null
cp "$reg" "$h1/inbox/register.xml"
"$BR" --home "$h1" ingest >"$tmp/out1" 2>"$tmp/err1" &
pid=$!
if ! leased "$h1/inbox/register.xml" "$pid"; then
	wait "$pid" || true
	echo "# no read lease was taken here (no leases on this file system?): reading in place not tested"
	exit 0
fi
copies=$(find "$h1/archive" -name '.inbox-*' | wc -l)
wait "$pid" || fail "the ingest failed: $(tail -3 "$tmp/err1")"
[ "$copies" = 0 ] || fail "a private copy was made of a file read in place"
grep -q '^ingelezen 1, dubbel 0, quarantaine 0, records 100000,' "$tmp/out1" || fail "not ingested: $(cat "$tmp/out1")"
[ "$(count "$h1" "SELECT sha256 || ' ' || gearchiveerd FROM levering")" = "$reg_sha 1" ] \
	|| fail "the ledger does not hold the register's hash, archived"
arch=$h1/$(count "$h1" "SELECT archief FROM levering")
[ "$(zcat "$arch" | sha256sum | cut -c1-64)" = "$reg_sha" ] || fail "the archive is not the bytes that were hashed"
[ -z "$(ls -A "$h1/inbox")" ] || fail "the inbox is not empty"
ok "a 65 MB register read in place under a lease: no private copy, archived as hashed"

# ---- 2. opened for writing while it is parsed: left for the next pass ------
h2=$tmp/h2
opened_while_read "$h2" "$reg" register.xml "$tmp/out2" "$tmp/err2"
grep -q '^ingelezen 0, dubbel 0, quarantaine 0,' "$tmp/out2" || fail "expected nothing ingested: $(cat "$tmp/out2")"
grep -q 'msg="bestand blijft in de inbox tot de volgende ronde" file=register.xml why="het veranderde tijdens het lezen' \
	"$tmp/err2" || fail "no 'changed while read' for the register: $(grep register "$tmp/err2")"
[ "$(count "$h2" "SELECT (SELECT count(*) FROM levering) + (SELECT count(*) FROM dossier) + (SELECT count(*) FROM snapshot)")" = 0 ] \
	|| fail "something of the file was kept"
[ -z "$(find "$h2/archive" -type f)" ] || fail "archive/ holds a file: $(find "$h2/archive" -type f)"
[ "$(ls -A "$h2/inbox")" = register.xml ] || fail "the register is not left in the inbox"
"$BR" --home "$h2" ingest >"$tmp/out2b" 2>"$tmp/err2b" || fail "the next pass failed"
grep -q '^ingelezen 1, dubbel 0, quarantaine 0, records 100000,' "$tmp/out2b" \
	|| fail "the next pass did not ingest it: $(cat "$tmp/out2b")"
ok "opened for writing while parsed: the lease broke, nothing kept, left; the next pass ingests it"

# a bad file opened for writing while it is parsed: its refusal may be for
# bytes somebody changed, so it is left, not quarantined; the next pass
# quarantines it
h5=$tmp/h5
opened_while_read "$h5" "$dubbel" dubbel.xml "$tmp/out5" "$tmp/err5"
grep -q '^ingelezen 0, dubbel 0, quarantaine 0,' "$tmp/out5" || fail "expected nothing done: $(cat "$tmp/out5")"
grep -q 'file=dubbel.xml why="het veranderde tijdens het lezen' "$tmp/err5" \
	|| fail "no 'changed while read' for the bad register: $(grep dubbel "$tmp/err5")"
[ -z "$(ls -A "$h5/quarantine")" ] || fail "quarantine/ holds: $(ls -A "$h5/quarantine")"
"$BR" --home "$h5" ingest >"$tmp/out5b" 2>"$tmp/err5b" || true
grep -q '^ingelezen 0, dubbel 0, quarantaine 1,' "$tmp/out5b" || fail "the next pass did not quarantine it: $(cat "$tmp/out5b")"
ok "a bad file opened for writing while parsed: left, not quarantined; the next pass quarantines it"

# ---- 3. open for writing from the start: copied, no lease -------------------
h3=$tmp/h3
"$BR" --home "$h3" init >/dev/null
cp "$reg" "$h3/inbox/register.xml"
exec 4>>"$h3/inbox/register.xml"
"$BR" --home "$h3" ingest >"$tmp/out3" 2>"$tmp/err3" &
pid=$!
if leased "$h3/inbox/register.xml" "$pid"; then
	fail "a lease was taken on a file open for writing"
fi
wait "$pid" || fail "the ingest failed: $(tail -3 "$tmp/err3")"
exec 4>&-
grep -q '^ingelezen 1, dubbel 0, quarantaine 0, records 100000,' "$tmp/out3" || fail "not ingested: $(cat "$tmp/out3")"
ok "a file open for writing when the ingest starts: no lease, copied and ingested"

# ---- 4. a large bad file on another file system: quarantined byte for byte -
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$tmp")" ]; then
	shm=$(mktemp -d /dev/shm/br-inplace.XXXXXX)
	h4=$tmp/h4
	"$BR" --home "$h4" init >/dev/null
	cp "$dubbel" "$shm/dubbel.xml"
	"$BR" --home "$h4" ingest "$shm" >"$tmp/out4" 2>"$tmp/err4" || true
	grep -q '^ingelezen 0, dubbel 0, quarantaine 1,' "$tmp/out4" || fail "not quarantined: $(cat "$tmp/out4")"
	grep -q 'komt meer dan eens voor' "$h4/quarantine/dubbel.xml.reason" \
		|| fail "not refused for the number twice: $(cat "$h4/quarantine/dubbel.xml.reason")"
	[ "$(sha256sum "$h4/quarantine/dubbel.xml" | cut -c1-64)" = "$bad_sha" ] \
		|| fail "quarantine/dubbel.xml is not the file byte for byte"
	[ -z "$(ls -A "$shm")" ] || fail "DIR still holds: $(ls -A "$shm")"
	ok "a large bad file on another file system: quarantined byte for byte from the leased file"
else
	echo "# /dev/shm is not another writable file system: no cross-device case"
fi
