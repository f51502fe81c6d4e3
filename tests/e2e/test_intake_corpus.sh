#!/usr/bin/env bash
# test_intake_corpus.sh — the intake against the corpus of broken files
# (tests/data/broken/, one expectation per file in expect.tsv) and the
# delivery rules of formats.md §4 and §5, end to end over the built binary.
#
# Per broken file, in a fresh data directory: ingest the baseline, drop the
# broken file together with a good one, ingest, then assert
#   - exit status 65;
#   - the broken file is in quarantine/ byte for byte, beside NAME.reason
#     that names it, gives its sha256, and whose problem matches the
#     expectation (and whose line, where given);
#   - nothing of it is in the store: the store equals, table by table, that
#     of a data directory that got only the baseline and the good file;
#     its sha256, leveringId and "BAD" record ids are nowhere;
#   - the good file was ingested and archived; the inbox is empty;
#   - no BSN of the corpus in the reason, on stderr or on stdout.
# Then: record problems (§5), duplicates, ignored names, kind by content,
# order of a drop, and accepting a shrinking register with --krimp-toestaan.
#
# Usage (from the project root; make e2e sets BR and BRGEN):
#   BR=build/betaalrun bash tests/e2e/test_intake_corpus.sh
# Needs: sqlite3, gzip, iconv, cmp, sha256sum.  Prints one line per case.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data="$root/tests/data/broken"
good="$data/good"

BR=${BR:-./betaalrun}
case "$BR" in /*) ;; *) BR="$PWD/$BR" ;; esac
[ -x "$BR" ] || { echo "FAIL: no betaalrun binary at $BR (set BR=...)" >&2; exit 1; }
for t in sqlite3 gzip iconv cmp sha256sum; do
	command -v "$t" >/dev/null || { echo "FAIL: $t is not installed" >&2; exit 1; }
done

export BETAALRUN_NOW=2026-11-28T10:00:00  # deterministic timestamps
export BETAALRUN_DATADIR="$root/data"          # schemas and rules of this tree
unset BETAALRUN_HOME BETAALRUN_LOG

tmp=$(mktemp -d "${TMPDIR:-/tmp}/br-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=0   # cases that failed
home=''    # the current data directory
db=''      # its store
case_ok=1  # the current case

bad() { # message: the current case fails
	case_ok=0
	printf '    # %s\n' "$*"
}

verdict() { # description
	if [ "$case_ok" = 1 ]; then
		printf 'ok - %s\n' "$1"
	else
		printf 'not ok - %s\n' "$1"
		failed=$((failed + 1))
	fi
	case_ok=1
}

q() { # db sql -> one value
	sqlite3 -batch -noheader "$1" "$2"
}

sha_of() {
	sha256sum "$1" | cut -c1-64
}

# Text of a corpus file whatever its wrapping (gzip, UTF-16).
text_of() {
	case "$1" in
	*utf16*) iconv -f UTF-16 -t UTF-8 "$1" 2>/dev/null || true ;;
	*) gzip -dcf "$1" 2>/dev/null || true ;;
	esac
}

# ---- data directories --------------------------------------------------

# new_home NAME: a fresh data directory in $home, with the file size cap at
# 16 MiB so that a gzip bomb is refused fast.
new_home() {
	home="$tmp/$1"
	rm -rf "$home" "$home.out" "$home.err"
	if ! "$BR" --home "$home" init >"$home.out" 2>"$home.err"; then
		echo "FAIL: betaalrun init failed:" >&2
		cat "$home.err" >&2
		exit 1
	fi
	sed 's/^max_bestand_mb *=.*/max_bestand_mb = 16/' "$home/betaalrun.conf" >"$home/conf.new"
	mv "$home/conf.new" "$home/betaalrun.conf"
	grep -q '^max_bestand_mb = 16$' "$home/betaalrun.conf" ||
		{ echo "FAIL: cannot set [invoer] max_bestand_mb in betaalrun.conf" >&2; exit 1; }
	db="$home/betaalrun.db"
}

# ingest [ARGS]: run `betaalrun ingest`; status in $rc, output in $home.out/.err
ingest() {
	set +e
	"$BR" --home "$home" ingest "$@" >"$home.out" 2>"$home.err"
	rc=$?
	set -e
}

# ingest_ok FILE...: drop the files and ingest; anything but exit 0 is fatal
# (the baseline is not what is under test).
ingest_ok() {
	cp "$@" "$home/inbox/"
	ingest
	if [ "$rc" != 0 ]; then
		echo "FAIL: baseline ingest of $* exited $rc:" >&2
		cat "$home.out" "$home.err" >&2
		exit 1
	fi
}

baseline() { # - | reg | reg+ink
	case "$1" in
	-) ;;
	reg) ingest_ok "$good/register.xml" ;;
	reg+ink) ingest_ok "$good/register.xml"; ingest_ok "$good/inkomen.xml" ;;
	*) echo "FAIL: unknown baseline '$1' in expect.tsv" >&2; exit 1 ;;
	esac
}

companion_file() { # ink | sig
	case "$1" in
	ink) echo "$good/inkomen.xml" ;;
	sig) echo "$good/signalen.xml" ;;
	*) echo "FAIL: unknown companion '$1' in expect.tsv" >&2; exit 1 ;;
	esac
}

dump() { # the whole store as SQL text
	sqlite3 -batch "$1" .dump
}

# ref_home BASELINE COMPANION: a data directory that got only the baseline
# and the good file; made once per pair.  Sets $ref_db.
ref_home() {
	local name="ref-$1-$2" saved_home="$home" saved_db="$db"
	ref_db="$tmp/$name/betaalrun.db"
	if [ ! -f "$tmp/$name.dump" ]; then
		new_home "$name"
		baseline "$1"
		ingest_ok "$(companion_file "$2")"
		dump "$db" >"$tmp/$name.dump"
	fi
	ref_dump="$tmp/$name.dump"
	home="$saved_home"
	db="$saved_db"
}

# No BSN of the corpus (valid or not: <BSN>, or "BSN n" in the text file) in
# what betaalrun writes for people.
bsns="$tmp/bsns"
for f in "$data"/* "$good"/*; do
	[ -f "$f" ] || continue
	text_of "$f"
done | grep -aoE 'BSN>? ?[0-9]{9}' | tr -cd '0-9\n' | sort -u >"$bsns"
[ -s "$bsns" ] || { echo "FAIL: no BSNs found in the corpus" >&2; exit 1; }

no_bsn() { # file... (missing ones are skipped)
	local f hit files=()
	for f in "$@"; do
		[ -f "$f" ] && files+=("$f")
	done
	[ ${#files[@]} -gt 0 ] || return 0
	if hit=$(grep -F -o -f "$bsns" "${files[@]}" | head -n 3) && [ -n "$hit" ]; then
		bad "a BSN is shown unmasked: $(echo "$hit" | tr '\n' ' ')"
	fi
}

# ---- generated at run time: gzip bombs ----------------------------------

gen="$tmp/gen"
mkdir -p "$gen"
blanks() { # 64 MiB of spaces: 4 times the cap of the test's betaalrun.conf
	head -c 67108864 /dev/zero | tr '\0' ' '
}
ink_root='<Inkomstenlevering xmlns="urn:nl:betaalrun:polis:1" leveringId="OIB-BAD-BOMB" aanmaakdatum="2026-11-21T02:00:00">'
# Blanks in the prolog are allowed XML: only the size cap can refuse it.
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n'; blanks; printf '%s\n</Inkomstenlevering>\n' "$ink_root"; } |
	gzip -9 -n >"$gen/bomb-prolog.xml.gz"
# Blanks between the root's tags: one huge text node.
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n%s\n' "$ink_root"; blanks; printf '</Inkomstenlevering>\n'; } |
	gzip -9 -n >"$gen/bomb-text.xml.gz"

# ---- one broken file -----------------------------------------------------

check_broken() { # file baseline companion line pattern what
	local file=$1 base=$2 comp=$3 line=$4 pat=$5 what=$6
	local src name comp_src comp_name reason problem got_line sha lid n m arch

	case "$file" in
	gen:*) src="$gen/${file#gen:}" ;;
	*) src="$data/$file" ;;
	esac
	[ -f "$src" ] || { bad "no such corpus file: $src"; verdict "$what quarantined"; return; }
	name=$(basename "$src")
	comp_src=$(companion_file "$comp")
	comp_name=$(basename "$comp_src")
	ref_home "$base" "$comp"

	new_home "case-$name"
	baseline "$base"
	cp "$src" "$comp_src" "$home/inbox/"
	ingest

	[ "$rc" = 65 ] || bad "ingest exited $rc, expected 65"
	# quarantined byte for byte, with its reason
	if [ ! -f "$home/quarantine/$name" ]; then
		bad "quarantine/$name does not exist"
	elif ! cmp -s "$src" "$home/quarantine/$name"; then
		bad "quarantine/$name differs from the delivered file"
	fi
	reason="$home/quarantine/$name.reason"
	if [ ! -f "$reason" ]; then
		bad "quarantine/$name.reason does not exist"
	else
		problem=$(sed -n 's/^problem: //p' "$reason")
		got_line=$(sed -n 's/^line: //p' "$reason")
		grep -qx "file: $name" "$reason" || bad "the reason does not name the file ($name)"
		grep -qx "sha256: $(sha_of "$src")" "$reason" ||
			bad "the reason does not give the file's sha256: '$(sed -n 's/^sha256: //p' "$reason")'"
		printf '%s\n' "$problem" | grep -Eiq -- "$pat" ||
			bad "problem '$problem' does not match /$pat/"
		if [ "$line" != - ] && [ "$got_line" != "$line" ]; then
			bad "reason says line '$got_line', expected $line"
		fi
		# only the shrink guard may be overruled (formats.md §1)
		if [ "$name" != shrinking-register.xml ] && grep -q -- '--krimp-toestaan' "$reason"; then
			bad "the reason offers --krimp-toestaan for a file the shrink guard did not refuse"
		fi
		grep -q '^action: ' "$reason" || bad "the reason says no action"
	fi
	n=$(ls -A "$home/quarantine" | wc -l)
	[ "$n" = 2 ] || bad "quarantine/ holds $n entries, expected the file and its reason"

	# nothing of it in the store
	if ! diff <(dump "$db") "$ref_dump" >"$home.diff"; then
		bad "the store differs from baseline + $comp_name alone: $(head -n 4 "$home.diff" | tr '\n' ' ')"
	fi
	sha=$(sha_of "$src")
	n=$(q "$db" "SELECT count(*) FROM levering WHERE sha256 = '$sha'")
	[ "$n" = 0 ] || bad "its sha256 is in table levering"
	lid=$(text_of "$src" | grep -oE 'leveringId="[^"]*"|<MsgId>[^<]*</MsgId>' | head -n 1 |
		sed -E 's/^leveringId="//; s/"$//; s/<\/?MsgId>//g') || true
	if [ -n "$lid" ]; then
		n=$(q "$db" "SELECT count(*) FROM levering WHERE levering_id = '$lid'")
		m=$(q "$ref_db" "SELECT count(*) FROM levering WHERE levering_id = '$lid'")
		[ "$n" = "$m" ] || bad "its leveringId $lid is in table levering"
	fi
	n=$(q "$db" "SELECT (SELECT count(*) FROM levering WHERE levering_id LIKE '%BAD%')
		+ (SELECT count(*) FROM inkomen WHERE opgave_id LIKE '%BAD%')
		+ (SELECT count(*) FROM signaal WHERE signaal_id LIKE '%BAD%')
		+ (SELECT count(*) FROM dossier WHERE nummer LIKE '%BAD%')")
	[ "$n" = 0 ] || bad "$n of its ids are in the store"
	case "$name" in
	xxe*)
		if grep -q 'root:' "$reason" "$home.err" "$home.out" 2>/dev/null ||
		   dump "$db" | grep -q 'root:'; then
			bad "content of /etc/passwd leaked"
		fi ;;
	esac

	# the good file of the same drop went through
	sha=$(sha_of "$comp_src")
	arch=$(q "$db" "SELECT archief FROM levering WHERE sha256 = '$sha' AND gearchiveerd = 1")
	if [ -z "$arch" ]; then
		bad "the good file $comp_name of the same drop was not ingested"
	elif ! gzip -dc "$home/$arch" 2>/dev/null | cmp -s - "$comp_src"; then
		bad "the archive copy $arch of $comp_name is missing or differs"
	fi
	n=$(ls -A "$home/inbox" | wc -l)
	[ "$n" = 0 ] || bad "the inbox is not empty: $(ls -A "$home/inbox" | tr '\n' ' ')"

	no_bsn "$home.err" "$home.out" "$reason"
	verdict "$what quarantined"

	if [ "$name" = shrinking-register.xml ]; then
		accept_shrinking "$name"
	fi
}

# After the shrinking register was refused: the operator accepts it.
accept_shrinking() { # name
	local name=$1 snap n
	grep -qF -- "--krimp-toestaan quarantine/$name\`" "$home/quarantine/$name.reason" ||
		bad "the reason does not tell the operator: ingest --krimp-toestaan quarantine/$name"
	set +e
	(cd "$home" && "$BR" --home . ingest --krimp-toestaan "quarantine/$name") >"$home.out" 2>"$home.err"
	rc=$?
	set -e
	[ "$rc" = 0 ] || bad "ingest --krimp-toestaan exited $rc, expected 0: $(tr '\n' ' ' <"$home.err")"
	[ ! -e "$home/quarantine/$name" ] || bad "quarantine/$name is still there"
	[ ! -e "$home/quarantine/$name.reason" ] || bad "quarantine/$name.reason is still there"
	snap=$(q "$db" "SELECT s.id FROM snapshot s JOIN levering l ON s.levering = l.id
		WHERE l.levering_id = 'REG-KRIMP-2026-11-27' AND l.gearchiveerd = 1 AND s.krimp_toegestaan = 1")
	if [ -z "$snap" ]; then
		bad "REG-KRIMP-2026-11-27 is not ingested as an accepted shrinking snapshot"
	else
		n=$(q "$db" "SELECT count(*) FROM dossier WHERE einddatum = '2026-11-27' AND beeindigd_door = $snap
			AND nummer BETWEEN 'PW-0405-000051' AND 'PW-0405-000060'")
		[ "$n" = 10 ] || bad "$n dossiers ended by the snapshot, expected PW-0405-000051..60"
		n=$(q "$db" "SELECT count(*) FROM dossier WHERE einddatum IS NULL")
		[ "$n" = 50 ] || bad "$n dossiers still open, expected 50"
	fi
	n=$(ls -A "$home/inbox" | wc -l)
	[ "$n" = 0 ] || bad "the inbox is not empty"
	no_bsn "$home.err" "$home.out"
	verdict "shrinking register accepted with ingest --krimp-toestaan quarantine/$name"
}

# ---- the corpus ------------------------------------------------------------

while IFS=$'\t' read -r file base comp line pat what; do
	case "$file" in ''|'#'*) continue ;; esac
	check_broken "$file" "$base" "$comp" "$line" "$pat" "$what"
done <"$data/expect.tsv"

# ---- record problems (formats.md §5): accepted, dossiers marked -------------

new_home record-problems
cp "$data/record-problems.xml" "$home/inbox/"
ingest
[ "$rc" = 0 ] || bad "ingest exited $rc, expected 0: $(tr '\n' ' ' <"$home.err")"
n=$(q "$db" "SELECT count(*) FROM dossier")
[ "$n" = 5 ] || bad "$n dossiers stored, expected all 5"
n=$(q "$db" "SELECT dossiers || '/' || gemarkeerd FROM snapshot")
[ "$n" = 5/3 ] || bad "snapshot dossiers/gemarkeerd is '$n', expected 5/3"
marked=$(q "$db" "SELECT d.nummer FROM dossier d JOIN stand s ON s.dossier = d.id
	WHERE s.probleem IS NOT NULL ORDER BY d.nummer" | tr '\n' ' ')
[ "$marked" = "PW-0405-000002 PW-0405-000003 PW-0405-000004 " ] ||
	bad "marked dossiers are '$marked', expected PW-0405-000002..4"
for pair in 000002:mod-97 000003:overlap 000004:GEHUWD; do
	p=$(q "$db" "SELECT s.probleem FROM dossier d JOIN stand s ON s.dossier = d.id
		WHERE d.nummer = 'PW-0405-${pair%%:*}'")
	printf '%s\n' "$p" | grep -qi -- "${pair#*:}" ||
		bad "PW-0405-${pair%%:*}: probleem '$p' does not say ${pair#*:}"
	printf '%s\n' "$p" >>"$home.problems"
done
no_bsn "$home.err" "$home.out" "$home.problems"
[ -z "$(ls -A "$home/quarantine")" ] || bad "something was quarantined"
verdict "record problems (mod-97, overlapping vrijlatingen, Partner without GEHUWD): snapshot accepted, 3 dossiers marked"

# ---- the same bytes twice ----------------------------------------------------

new_home duplicate
ingest_ok "$good/inkomen.xml"
lev=$(q "$db" "SELECT id FROM levering")
dump "$db" >"$home.before"
cp "$good/inkomen.xml" "$home/inbox/"
ingest
[ "$rc" = 0 ] || bad "second ingest exited $rc, expected 0"
grep -q 'dubbel 1' "$home.out" || bad "stdout does not report 1 duplicate: $(cat "$home.out")"
n=$(q "$db" "SELECT count(*) FROM duplicaat WHERE levering = $lev AND bestandsnaam = 'inkomen.xml'")
[ "$n" = 1 ] || bad "the duplicate is not recorded in table duplicaat"
[ -z "$(ls -A "$home/inbox")" ] || bad "the duplicate was not removed from the inbox"
if ! diff <(dump "$db" | grep -v '^INSERT INTO duplicaat ') "$home.before" >/dev/null; then
	bad "the store changed beyond table duplicaat"
fi
n=$(find "$home/archive" -type f | wc -l)
[ "$n" = 1 ] || bad "$n files in archive/, expected 1"
verdict "the same good file dropped twice: second recorded as duplicate, removed, store unchanged"

new_home duplicate-one-drop
cp "$good/inkomen.xml" "$home/inbox/inkomen.xml"
cp "$good/inkomen.xml" "$home/inbox/inkomen-again.xml"
ingest
[ "$rc" = 0 ] || bad "ingest exited $rc, expected 0"
grep -q 'ingelezen 1, dubbel 1' "$home.out" || bad "stdout: $(cat "$home.out")"
n=$(q "$db" "SELECT count(*) FROM levering")/$(q "$db" "SELECT count(*) FROM duplicaat")
[ "$n" = 1/1 ] || bad "levering/duplicaat rows are $n, expected 1/1"
[ -z "$(ls -A "$home/inbox")" ] || bad "the inbox is not empty"
verdict "the same bytes twice in one drop: one ingested, one duplicate"

# ---- incomplete names are left alone ------------------------------------------

new_home ignored-names
for n in .inkomen.xml inkomen.xml.part inkomen.xml.tmp; do
	cp "$good/inkomen.xml" "$home/inbox/$n"
done
ingest_ok "$good/signalen.xml"
for n in .inkomen.xml inkomen.xml.part inkomen.xml.tmp; do
	cmp -s "$good/inkomen.xml" "$home/inbox/$n" || bad "inbox/$n was touched"
done
n=$(ls -A "$home/inbox" | wc -l)
[ "$n" = 3 ] || bad "the inbox holds $n files, expected the 3 incomplete ones"
n=$(q "$db" "SELECT group_concat(soort) FROM levering")
[ "$n" = signalen ] || bad "deliveries in the store: '$n', expected only signalen"
[ -z "$(ls -A "$home/quarantine")" ] || bad "something was quarantined"
verdict "files named .x, x.part and x.tmp left alone in the inbox"

# ---- the kind is decided by the content ---------------------------------------

new_home kind-by-content
ingest_ok "$good/signals.xml.gz"
n=$(q "$db" "SELECT soort || ' ' || levering_id || ' ' || records FROM levering")
[ "$n" = "register REG-KIND-2026-11-01 3" ] || bad "levering is '$n', expected a register of 3 dossiers"
n=$(q "$db" "SELECT count(*) FROM dossier WHERE nummer IN ('PW-0405-000061','PW-0405-000062','PW-0405-000063')")
[ "$n" = 3 ] || bad "$n of the 3 dossiers stored"
arch=$(q "$db" "SELECT archief FROM levering")
cmp -s "$good/signals.xml.gz" "$home/$arch" 2>/dev/null || bad "archive copy '$arch' missing or not the delivered bytes"
verdict "a gzip-compressed register named signals.xml.gz is ingested as a register"

# ---- files in one drop go in aanmaakdatum order -------------------------------

new_home order
cp "$good/order-a-newer.xml" "$good/order-z-older.xml" "$home/inbox/"
ingest
[ "$rc" = 0 ] || bad "ingest exited $rc, expected 0: $(tr '\n' ' ' <"$home.err")"
n=$(q "$db" "SELECT group_concat(peildatum, ' ') FROM (SELECT peildatum FROM snapshot ORDER BY id)")
[ "$n" = "2026-11-15 2026-11-30" ] || bad "snapshots in the order '$n', expected 2026-11-15 2026-11-30"
[ -z "$(ls -A "$home/quarantine")" ] || bad "quarantined: $(ls "$home/quarantine" | tr '\n' ' ')"
[ -z "$(ls -A "$home/inbox")" ] || bad "the inbox is not empty"
verdict "two registers in one drop, the older with the later name: both ingested, oldest first"

if [ "$failed" -ne 0 ]; then
	echo "FAIL: $failed case(s) of test_intake_corpus failed"
	exit 1
fi
echo "all intake corpus cases passed"
