#!/usr/bin/env bash
# `make install` (issue 14): from a throwaway copy of this tree (the files
# git knows, as they are now), install into a temporary PREFIX, delete the
# copy, and run a whole month on the shipped samples with the installed
# binary alone, from a directory outside any source tree, without
# $BETAALRUN_DATADIR: it must find its schemas and rules under
# PREFIX/share/betaalrun.  The month's payment file and report must equal
# those the in-tree binary makes from the same input with the same keys.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
src_root=$PWD
tmp=${KEEP_TMP:-$(mktemp -d)}
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
prefix=$tmp/usr

# --- the copy, the install, the copy gone ---------------------------------------
mkdir "$tmp/src"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		xargs -0 cp --parents -t "$tmp/src"
else
	tar -C . --exclude=./build --exclude='./build-*' --exclude=./betaalrun -cf - . | tar -C "$tmp/src" -xf -
fi
make -C "$tmp/src" -j2 install PREFIX="$prefix" DESTDIR= >"$tmp/make.out" 2>&1 ||
	fail "make install: $(tail -20 "$tmp/make.out")"
mkdir "$tmp/input"
cp "$tmp"/src/samples/register-*.xml "$tmp"/src/samples/inkomen-*.xml* "$tmp"/src/samples/signalen-*.xml "$tmp/input/"
rm -rf "$tmp/src"
ok "make install PREFIX=$prefix from a copy of the tree, copy deleted"

# --- what was installed -----------------------------------------------------------
exp=$tmp/expected.txt
{
	echo bin/betaalrun
	(cd data && find schemas rules -type f) | sed 's|^|share/betaalrun/|'
	echo share/man/man1/betaalrun.1
	echo share/man/man5/betaalrun.conf.5
	echo share/doc/betaalrun/README.md
	ls docs/*.md 2>/dev/null | sed 's|^|share/doc/betaalrun/|' || true
	echo share/doc/betaalrun/examples/betaalrun.conf
	echo lib/systemd/system/betaalrun-watch.service
} | LC_ALL=C sort >"$exp"
(cd "$prefix" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$tmp/got.txt"
diff "$exp" "$tmp/got.txt" >"$tmp/diff" || fail "installed files differ from the expected list: $(cat "$tmp/diff")"
(cd data && find schemas rules -type f) | while read -r f; do
	cmp -s "data/$f" "$prefix/share/betaalrun/$f" || fail "share/betaalrun/$f is not data/$f"
done
[ "$(stat -c %a "$prefix/bin/betaalrun")" = 755 ] || fail "bin/betaalrun is not 0755"
[ -z "$(find "$prefix" -type f ! -perm 644 ! -path '*/bin/*')" ] || fail "a data or doc file is not 0644"
ok "installed: bin/betaalrun, share/betaalrun/{schemas,rules} (= data/), share/man, share/doc/betaalrun"

# the unit, its ExecStart pointing at the installed binary
sed "s|/usr/bin/betaalrun|$prefix/bin/betaalrun|g" dist/betaalrun-watch.service |
	cmp -s - "$prefix/lib/systemd/system/betaalrun-watch.service" || fail "the installed unit is not dist/'s with ExecStart under PREFIX"
for page in man1/betaalrun.1 man5/betaalrun.conf.5; do
	cmp -s "man/$(basename "$page")" "$prefix/share/man/$page" || fail "share/man/$page is not man/$(basename "$page")"
done
MANPATH=$prefix/share/man man -w betaalrun.conf >/dev/null 2>&1 || fail "man does not find betaalrun.conf(5) under $prefix/share/man"
MANPATH=$prefix/share/man MANWIDTH=80 man 1 betaalrun 2>/dev/null | grep -q "betaalrun backup\|backup file" || fail "man 1 betaalrun does not show the installed page"
bin=$prefix/bin/betaalrun
unset BETAALRUN_DATADIR BETAALRUN_HOME
# the shipped-data path compiled in is PREFIX's, and no source tree is named
readelf -p .rodata "$bin" >"$tmp/rodata"
grep -qF "$prefix/share/betaalrun" "$tmp/rodata" || fail "the binary does not name $prefix/share/betaalrun"
grep -qF "$tmp/src" "$tmp/rodata" && fail "the binary names the source copy $tmp/src"
grep -qF "$src_root" "$tmp/rodata" && fail "the binary names the source tree $src_root"
ok "BR_DATADIR compiled in: $prefix/share/betaalrun; no source path in the binary's data"

# --- a month with the installed binary, elsewhere -------------------------------------
keys=$tmp/keys
mkdir -p "$keys" "$tmp/run"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Install test CA"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
	cat "$keys/$who.key" "$keys/$who.pem" >"$keys/$who.bundle.pem"
done
export BETAALRUN_NOW=2026-11-20T09:00:00

# month BR HOME: init, configure, ingest, run, approve, release, verify; prints the run id
month() {
	local br=$1 home=$2 run
	"$br" --home "$home" init >/dev/null || fail "init with $br"
	sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
		-e 's/^startmaand *=.*/startmaand = 2026-11/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
		"$home/betaalrun.conf"
	cp "$tmp"/input/register-*.xml "$home/inbox/"
	"$br" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "ingest register with $br: $(cat "$tmp/err")"
	cp "$tmp"/input/inkomen-* "$tmp"/input/signalen-* "$home/inbox/"
	"$br" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "ingest income, signals with $br: $(cat "$tmp/err")"
	run=$("$br" --home "$home" run --month 2026-11 --key "$keys/Preparer.bundle.pem" --pass-fd 3 3</dev/null 2>"$tmp/err" | head -1)
	[[ "$run" =~ ^BR-202611-[0-9]{4}$ ]] || fail "run with $br: $(cat "$tmp/err")"
	"$br" --home "$home" approve "$run" --key "$keys/Approver.bundle.pem" --ja --pass-fd 3 3</dev/null >/dev/null 2>"$tmp/err" ||
		fail "approve with $br: $(cat "$tmp/err")"
	"$br" --home "$home" release "$run" >/dev/null 2>"$tmp/err" || fail "release with $br: $(cat "$tmp/err")"
	"$br" --home "$home" verify "$home/outbox/$run.xml" >/dev/null 2>"$tmp/err" || fail "verify with $br: $(cat "$tmp/err")"
	echo "$run"
}
cd "$tmp/run"
run=$(month "$bin" ./home)
cd "$src_root"
[ -s "$tmp/run/home/outbox/$run.xml" ] && [ -s "$tmp/run/home/outbox/$run.xml.p7s" ] || fail "no signed payment file"
[ "$(count "$tmp/run/home" "SELECT status FROM run WHERE msg_id = '$run'")" = RELEASED ] ||
	fail "run $run is $(count "$tmp/run/home" "SELECT status FROM run WHERE msg_id = '$run'")"
[ -z "$(ls "$tmp/run/home/quarantine")" ] || fail "the installed binary quarantined $(ls "$tmp/run/home/quarantine")"
ok "installed binary, run from $tmp/run: November ingested, $run prepared, approved, released, verified"

# the same month with the in-tree binary (this tree's data/)
BETAALRUN_DATADIR=$src_root/data
export BETAALRUN_DATADIR
ref=$(month "$BR" "$tmp/ref")
unset BETAALRUN_DATADIR
[ "$ref" = "$run" ] || fail "run ids differ: $ref in-tree, $run installed"
cmp -s "$tmp/ref/outbox/$ref.xml" "$tmp/run/home/outbox/$run.xml" || fail "the payment files differ"
# the manifest holds the SHA-256 of every report file and specification
# bundle; compare the files themselves too
for f in manifest.xml rapport-totalen.csv specificaties.idx $(cd "$tmp/ref/out/2026-11/$ref" && ls specificaties-*.txt.gz); do
	cmp -s "$tmp/ref/out/2026-11/$ref/$f" "$tmp/run/home/out/2026-11/$run/$f" || fail "$f differs"
done
ok "payment file, report, manifest and specifications equal the in-tree binary's"

# the example configuration is the one init writes
cmp -s "$prefix/share/doc/betaalrun/examples/betaalrun.conf" <("$BR" --home "$tmp/fresh" init >/dev/null && cat "$tmp/fresh/betaalrun.conf") ||
	fail "examples/betaalrun.conf is not what init writes"
ok "examples/betaalrun.conf is init's commented configuration"

# --- shipped data missing: the error names the path and BETAALRUN_DATADIR -----------------
cp "$tmp"/input/register-*.xml "$tmp/run/home/inbox/"
mv "$prefix/share/betaalrun" "$prefix/share/moved"
rc=0; "$bin" --home "$tmp/run/home" ingest >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" = 78 ] || fail "missing shipped data: exit $rc, not 78"
grep -qF "$prefix/share/betaalrun/rules/signaaltabel.xml" "$tmp/err" || fail "the error does not name the path: $(cat "$tmp/err")"
grep -qF BETAALRUN_DATADIR "$tmp/err" || fail "the error does not name BETAALRUN_DATADIR: $(cat "$tmp/err")"
# only the schemas missing: the ingest stops (78) and quarantines nothing
h2=$tmp/second
"$bin" --home "$h2" init >/dev/null
cp "$tmp"/input/register-*.xml "$h2/inbox/"
mkdir -p "$tmp/partial/schemas"
cp -r "$prefix/share/moved/rules" "$tmp/partial/"
cp "$prefix/share/moved/schemas/signaaltabel.xsd" "$tmp/partial/schemas/"
rc=0; BETAALRUN_DATADIR=$tmp/partial "$bin" --home "$h2" ingest >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" = 78 ] || fail "missing schema: exit $rc, not 78"
grep -qF "$tmp/partial/schemas/clientregister.xsd" "$tmp/err" && grep -qF BETAALRUN_DATADIR "$tmp/err" ||
	fail "missing schema: $(cat "$tmp/err")"
[ -z "$(ls "$h2/quarantine")" ] || fail "a missing schema quarantined a delivery"
ls "$h2/inbox/" | grep -q '^register-' || fail "a missing schema moved the delivery out of the inbox"
# $BETAALRUN_DATADIR pointing at the moved data works (rules, signal table, schemas)
BETAALRUN_DATADIR=$prefix/share/moved "$bin" --home "$tmp/run/home" run --month 2026-12 --dry-run >/dev/null 2>"$tmp/err" ||
	fail "BETAALRUN_DATADIR to the moved data, run --dry-run: $(cat "$tmp/err")"
BETAALRUN_DATADIR=$prefix/share/moved "$bin" --home "$h2" ingest >/dev/null 2>"$tmp/err" ||
	fail "BETAALRUN_DATADIR to the moved data, ingest: $(cat "$tmp/err")"
[ "$(count "$h2" "SELECT count(*) FROM levering WHERE soort = 'register'")" = 1 ] || fail "the register was not ingested"
ok "shipped data missing: exit 78 naming the path tried and BETAALRUN_DATADIR, nothing quarantined"
