#!/usr/bin/env bash
# test_hostile_inbox.sh — the inbox is a trust boundary (formats.md §5,
# issue #10), tried as an attacker and a careless sender would.
#
# One drop holds, next to good files (the sample register and signals):
#   symbolic links to a valid file outside the inbox, to a FIFO, to a
#   directory, and a dangling one; a FIFO; a directory; a device (as root,
#   skipped when mknod is not permitted); a socket (when python3 is there);
#   a file of 255 bytes of name; names with line breaks that forge reason
#   lines, with ESC sequences, with bytes that are not UTF-8; and a big file
#   that a background writer appends to while the ingest runs.
# One pass must ingest the good files, move every other entry aside as what
# it is (never following a link, never opening anything but a regular
# file), leave the growing file alone, and write reasons that cannot be
# forged.  Then, with the writer stopped, the next pass takes the last file.
# Last: an inbox on another file system (`ingest DIR`), where an entry that
# cannot be renamed into quarantine/ is moved aside inside it.
#
# Usage: BR=$PWD/betaalrun BRGEN=$PWD/build/brgen bash tests/e2e/test_hostile_inbox.sh
# (KEEP=1 keeps the temporary directory for a look afterwards.)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d)
writer=''
cleanup() {
	[ -z "$writer" ] || kill "$writer" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
	[ -z "${shm:-}" ] || rm -rf "$shm"
}
trap cleanup EXIT
home=$tmp/home
inbox=$home/inbox
q=$home/quarantine
out=$tmp/outside
"$BR" --home "$home" init >/dev/null
mkdir -p "$out" "$tmp/src"

# ---- outside the inbox: what links point at --------------------------------
cp samples/inkomen-2026-09.xml "$out/outside.xml"   # valid: must not be ingested through a link
chmod 0644 "$out/outside.xml"
printf 'not for betaalrun\n' >"$out/secret.txt"
chmod 0640 "$out/secret.txt"
mkfifo "$out/fifo"
mkdir "$out/dir"
printf 'inside\n' >"$out/dir/inner.txt"
outside_sha=$(sha256sum "$out/outside.xml" | cut -c1-64)
modes_before=$(stat -c '%n %a %s %Y' "$out/outside.xml" "$out/secret.txt" "$out/fifo" "$out/dir" "$out/dir/inner.txt")
sums_before=$(sha256sum "$out/outside.xml" "$out/secret.txt" "$out/dir/inner.txt")

# ---- the hostile entries ----------------------------------------------------
ln -s "$out/outside.xml" "$inbox/link-to-outside.xml"
ln -s "$out/secret.txt" "$inbox/link-to-secret.xml"
ln -s "$out/fifo" "$inbox/link-to-fifo.xml"
ln -s "$out/dir" "$inbox/link-to-dir"
ln -s "$tmp/does-not-exist.xml" "$inbox/dangling.xml"
mkfifo "$inbox/pipe.xml"
mkdir "$inbox/a-directory"
printf 'a file in a directory\n' >"$inbox/a-directory/inner.xml"
expected=7   # entries that must be quarantined: 5 links, a FIFO, a directory
if mknod "$inbox/null-device" c 1 3 2>/dev/null; then
	expected=$((expected + 1)); have_dev=1
else
	have_dev=0; echo "# mknod not permitted: no device file in this run"
fi
have_sock=0
if command -v python3 >/dev/null &&
   python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$inbox/a-socket" 2>/dev/null; then
	expected=$((expected + 1)); have_sock=1
fi

# Files with names that cannot be stored or shown as they are: each holds
# its own bytes, to be found byte for byte in quarantine/.
long=$(printf 'L%.0s' $(seq 1 251)).xml
forged=$'evil\nproblem: none (file OK)\naction: delete this file.xml'
esc=$'esc-\e[31mred\e[0m-\e]0;pwned\a.xml'
badutf=$'bad-\xff\xfe-\xc0\xaf.xml'
nl_only=$'two\nlines'
[ ${#long} = 255 ] || fail "the long name is ${#long} bytes, not 255"
i=0
declare -A srcof
for n in "$long" "$forged" "$esc" "$badutf" "$nl_only"; do
	i=$((i + 1))
	src=$tmp/src/name-$i
	if [ "$i" = 1 ]; then cp samples/signalen-2026-11-27.xml "$src"; else printf 'payload %d\n\x1b[2J\n' "$i" >"$src"; fi
	cp "$src" "$inbox/$n"
	srcof[$i]=$src
	expected=$((expected + 1))
done

# ---- the good files ---------------------------------------------------------
cp samples/register-2026-11-27.xml samples/signalen-2026-11-27.xml "$inbox/"
reg_sha=$(sha256sum samples/register-2026-11-27.xml | cut -c1-64)
sig_sha=$(sha256sum samples/signalen-2026-11-27.xml | cut -c1-64)

# ---- a file still being written ----------------------------------------------
yes 'a line of a big file that is still being written' | head -c 64000000 >"$inbox/growing.xml" || true # yes ends on SIGPIPE
( n=0; while :; do n=$((n + 1)); printf 'appended line %d\n' "$n" >>"$inbox/growing.xml"; done ) &
writer=$!
sleep 0.2

set +e
timeout 120 "$BR" --home "$home" ingest >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
size_during=$(stat -c %s "$inbox/growing.xml")
[ "$rc" != 124 ] || fail "ingest hung (a FIFO opened?)"
[ "$rc" = 65 ] || fail "ingest exited $rc, expected 65: $(cat "$tmp/err")"
grep -q '^ingelezen 2, dubbel 0, quarantaine '"$expected"',' "$tmp/out" \
	|| fail "expected 2 ingested and $expected quarantined in one pass: $(cat "$tmp/out")"
ok "one pass: the register and the signals ingested, $expected hostile entries quarantined, exit 65"

# ---- the good files went through --------------------------------------------
[ "$(count "$home" "SELECT count(*) FROM levering WHERE sha256 IN ('$reg_sha', '$sig_sha') AND gearchiveerd = 1")" = 2 ] \
	|| fail "the good files are not ingested and archived"
[ "$(count "$home" "SELECT count(*) FROM levering")" = 2 ] || fail "something else is in the ledger"
[ "$(count "$home" "SELECT count(*) FROM levering WHERE sha256 = '$outside_sha'")" = 0 ] \
	|| fail "the file outside the inbox was ingested through a link"
ok "nothing reached the ledger through a link, a FIFO, a directory or a bad name"

# ---- nothing outside was touched ---------------------------------------------
[ "$(stat -c '%n %a %s %Y' "$out/outside.xml" "$out/secret.txt" "$out/fifo" "$out/dir" "$out/dir/inner.txt")" = "$modes_before" ] \
	|| fail "a link's target changed mode, size or mtime"
[ "$(sha256sum "$out/outside.xml" "$out/secret.txt" "$out/dir/inner.txt")" = "$sums_before" ] \
	|| fail "a link's target changed content"
[ -p "$out/fifo" ] && [ -d "$out/dir" ] || fail "a link's target changed type"
ok "the targets of the links kept their modes, content and type"

# ---- the inbox holds only the file still being written ------------------------
kill "$writer"; wait "$writer" 2>/dev/null || true; writer=''
size_final=$(stat -c %s "$inbox/growing.xml")
sha_final=$(sha256sum "$inbox/growing.xml" | cut -c1-64)
left=$(cd "$inbox" && ls -A)
[ "$left" = growing.xml ] || fail "the inbox holds more than the growing file: $(printf '%q ' $left)"
[ "$size_during" -gt 64000000 ] || fail "the writer did not write during the ingest"
[ -z "$(find "$home/archive" -name '.inbox-*')" ] || fail "a private copy was left in archive/"
grep -q 'msg="bestand blijft in de inbox tot de volgende ronde" file=growing.xml why="het veranderde tijdens het lezen' "$tmp/err" \
	|| fail "the growing file was not left for the next pass: $(grep growing "$tmp/err")"
ok "the inbox is empty but for the file still being written (left for the next pass)"

# ---- quarantine: each entry as what it is ------------------------------------
check_link() { # name target
	[ -L "$q/$1" ] || fail "quarantine/$1 is not a link"
	[ "$(readlink "$q/$1")" = "$2" ] || fail "quarantine/$1 points elsewhere: $(readlink "$q/$1")"
	[ -f "$q/$1.reason" ] || fail "no reason for $1"
	grep -qx 'kind: symbolische link' "$q/$1.reason" || fail "the reason of $1 does not say it is a link"
}
check_link link-to-outside.xml "$out/outside.xml"
check_link link-to-secret.xml "$out/secret.txt"
check_link link-to-fifo.xml "$out/fifo"
check_link link-to-dir "$out/dir"
check_link dangling.xml "$tmp/does-not-exist.xml"
grep -qF "problem: een symbolische link (naar '$out/outside.xml') is geen levering" "$q/link-to-outside.xml.reason" \
	|| fail "the reason of a link does not say what it is: $(cat "$q/link-to-outside.xml.reason")"
[ -p "$q/pipe.xml" ] && grep -qx 'kind: named pipe (FIFO)' "$q/pipe.xml.reason" || fail "the FIFO is not in quarantine as a FIFO"
[ -d "$q/a-directory" ] && cmp -s "$q/a-directory/inner.xml" <(printf 'a file in a directory\n') \
	&& grep -qx 'kind: map' "$q/a-directory.reason" || fail "the directory is not in quarantine with what it held"
if [ "$have_dev" = 1 ]; then
	[ -c "$q/null-device" ] && grep -qx 'kind: tekenapparaat' "$q/null-device.reason" \
		|| fail "the device is not in quarantine as a device"
fi
if [ "$have_sock" = 1 ]; then
	[ -S "$q/a-socket" ] && grep -qx 'kind: socket' "$q/a-socket.reason" || fail "the socket is not in quarantine"
fi
ok "links, FIFO, directory$([ "$have_dev" = 1 ] && echo ', device')$([ "$have_sock" = 1 ] && echo ', socket') moved to quarantine/ as what they are, with a reason"

# The files with bad names: under a safe name, byte for byte, mode 0600,
# the original name escaped in the reason.
escape() { # the escaping of log.h, in bash: what the reason must show
	local LC_ALL=C
	local s=$1 i c o='' h
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case "$c" in
		'\') o+='\\' ;;
		$'\n') o+='\n' ;;
		$'\t') o+='\t' ;;
		$'\r') o+='\r' ;;
		*)
			printf -v h '%d' "'$c"
			(( h < 0 )) && h=$((h + 256))
			if (( h < 32 || h == 127 || h > 127 )); then o+=$(printf '\\x%02x' "$h"); else o+=$c; fi ;;
		esac
	done
	printf '%s' "$o"
}
i=0
for n in "$long" "$forged" "$esc" "$badutf" "$nl_only"; do
	i=$((i + 1))
	want=$(escape "$n")
	reason=$(grep -lxF "file: $want" "$q"/*.reason | head -n 1) || fail "no reason names the file $want"
	stored=$(sed -n 's/^stored-as: quarantine\///p' "$reason")
	[ -n "$stored" ] && [ "$reason" = "$q/$stored.reason" ] || fail "the reason of $want does not say where the file is"
	case "$stored" in
	*[!A-Za-z0-9._-]* | .*) fail "unsafe quarantine name: $(printf '%q' "$stored")" ;;
	esac
	[ ${#stored} -le 64 ] || fail "quarantine name too long: $stored"
	cmp -s "${srcof[$i]}" "$q/$stored" || fail "quarantine/$stored differs from what was delivered as $want"
	[ "$(stat -c %a "$q/$stored")" = 600 ] || fail "quarantine/$stored is not 0600"
	grep -q '^problem: de bestandsnaam kan niet worden opgeslagen of getoond zoals hij is' "$reason" \
		|| fail "the reason of $want does not say why: $(cat "$reason")"
done
ok "5 files with unusable names quarantined under safe names, byte for byte, 0600, the name escaped"

# ---- reasons cannot be forged -------------------------------------------------
keys='^(file|kind|stored-as|line|problem|sha256|quarantined|action): '
nreasons=0
for r in "$q"/*.reason; do
	nreasons=$((nreasons + 1))
	if LC_ALL=C grep -qvE "$keys" "$r"; then fail "$(basename "$r"): a line without a known key: $(LC_ALL=C grep -vE "$keys" "$r" | head -n 1)"; fi
	for k in file kind stored-as line problem sha256 quarantined action; do
		[ "$(grep -c "^$k: " "$r")" = 1 ] || fail "$(basename "$r"): key '$k' is not there exactly once"
	done
	if LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$r"; then fail "$(basename "$r") holds a control byte"; fi
	iconv -f UTF-8 -t UTF-8 "$r" >/dev/null 2>&1 || fail "$(basename "$r") is not UTF-8"
	[ "$(stat -c %a "$r")" = 600 ] || fail "$(basename "$r") is not 0600"
done
[ "$nreasons" = "$expected" ] || fail "$nreasons reasons for $expected quarantined entries"
if grep -rqx 'problem: none (file OK)' "$q" || grep -rqx 'action: delete this file.xml' "$q"; then
	fail "a file name forged a line of its reason"
fi
grep -qxF 'file: evil\nproblem: none (file OK)\naction: delete this file.xml' "$q"/*.reason \
	|| fail "the forged name is not shown escaped on its file: line"
ok "$nreasons reasons: one line per key, no control byte, valid UTF-8, no forged line"

# ---- the log: one event per line ---------------------------------------------
# every event starts with its time (lib.sh fixes BETAALRUN_NOW, Dutch winter time: UTC+1)
ev="^ts=$(date -u -d "${BETAALRUN_NOW/T/ } CET" +%Y-%m-%dT%H:%M:%SZ) level=(debug|info|warn|error) "
if LC_ALL=C grep -qvE "$ev" "$tmp/err"; then
	fail "a log line does not start an event: $(LC_ALL=C grep -vE "$ev" "$tmp/err" | head -n 1 | cat -v)"
fi
if LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$tmp/err" "$tmp/out"; then fail "a control byte reached the log"; fi
if grep -Eq '(^|[^0-9])[0-9]{9}([^0-9]|$)' "$tmp/err" "$tmp/out"; then fail "a 9-digit number (BSN?) in the output"; fi
ok "the log has one event per line and no control byte"

# ---- the next pass: the file is complete now ---------------------------------
set +e
"$BR" --home "$home" ingest >"$tmp/out2" 2>"$tmp/err2"
rc=$?
set -e
[ "$rc" = 65 ] || fail "second pass exited $rc, expected 65 (the now complete file is no XML): $(cat "$tmp/err2")"
[ -z "$(ls -A "$inbox")" ] || fail "the inbox is not empty after the second pass: $(ls -A "$inbox")"
[ -f "$q/growing.xml" ] && [ "$(stat -c %s "$q/growing.xml")" = "$size_final" ] \
	|| fail "the completed file is not in quarantine/ whole"
grep -qx "sha256: $sha_final" "$q/growing.xml.reason" || fail "the reason does not give the sha256 of the whole file"
"$BR" --home "$home" status >"$tmp/status" 2>/dev/null || true
grep -q '^inbox *0 bestand(en) wachten' "$tmp/status" || fail "status does not say the inbox is empty: $(head -n 3 "$tmp/status")"
ok "the next pass, the writer gone, reads the file whole and quarantines it; nothing is left waiting"

# ---- ingest DIR on another file system ----------------------------------------
shm=''
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$home")" ]; then
	shm=$(mktemp -d /dev/shm/br-hostile.XXXXXX)
	ln -s "$out/outside.xml" "$shm/link.xml"
	mkfifo "$shm/pipe2.xml"
	printf 'not xml\n' >"$shm/garbage.xml"
	cp samples/inkomen-2026-09.xml "$shm/"
	set +e
	timeout 60 "$BR" --home "$home" ingest "$shm" >"$tmp/out3" 2>"$tmp/err3"
	rc=$?
	set -e
	[ "$rc" = 65 ] || fail "ingest of another file system's DIR exited $rc: $(cat "$tmp/err3")"
	grep -q '^ingelezen 1, dubbel 0, quarantaine 3,' "$tmp/out3" || fail "ingest DIR: $(cat "$tmp/out3")"
	[ -L "$shm/.quarantined-link.xml" ] && [ -p "$shm/.quarantined-pipe2.xml" ] \
		|| fail "the link and the FIFO were not moved aside inside DIR: $(ls -A "$shm")"
	grep -qx 'stored-as: inbox/.quarantined-link.xml (ander bestandssysteem dan quarantine/)' "$q/link.xml.reason" \
		|| fail "the reason does not say where the link is now: $(cat "$q/link.xml.reason")"
	cmp -s "$q/garbage.xml" <(printf 'not xml\n') && [ ! -e "$shm/garbage.xml" ] \
		|| fail "the garbage file did not move to quarantine/ byte for byte"
	[ "$(cd "$shm" && ls)" = "" ] || fail "DIR holds more than the hidden entries: $(ls "$shm")"
	ok "ingest DIR on another file system: links and FIFOs are moved aside inside it, files to quarantine/"
else
	echo "# /dev/shm is not another writable file system: no cross-device case"
fi
