#!/usr/bin/env bash
# Build the Debian package (issue 14) in a copy of the tree, so that the
# repository stays clean: dpkg-buildpackage -us -uc -b, lintian (no
# errors; every warning must be one debian/README.source explains),
# dpkg -i, `betaalrun --version` and a month on the shipped samples with
# the installed binary as the system user betaalrun, then dpkg -r.
# Needs root (dpkg -i) and the packages of `make deps-package`.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "FAIL - $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
[ "$(id -u)" = 0 ] || fail "run as root (dpkg -i)"
root=$PWD
version=$(tr -d ' \n' <VERSION)
tmp=${KEEP_TMP:-$(mktemp -d)}
installed=0
cleanup() {
	[ "$installed" = 0 ] || dpkg -r betaalrun >/dev/null 2>&1 || true
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

dpkg-parsechangelog -l debian/changelog -S Version | grep -qx "$version" ||
	fail "debian/changelog is at $(dpkg-parsechangelog -l debian/changelog -S Version), VERSION says $version"

status_before=$(git status --porcelain)

# --- build in a copy -------------------------------------------------------------
src=$tmp/betaalrun-$version
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 cp --parents -t "$src"
(cd "$src" && dpkg-checkbuilddeps) || fail "build dependencies missing: make deps-package"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 || fail "dpkg-buildpackage: $(tail -30 "$tmp/build.log")"
arch=$(dpkg --print-architecture)
deb=$tmp/betaalrun_${version}_$arch.deb
[ -f "$deb" ] || fail "no $deb: $(ls "$tmp")"
[ "$(git status --porcelain)" = "$status_before" ] || fail "the build changed the repository: $(git status --porcelain)"
ok "dpkg-buildpackage -us -uc -b: $(basename "$deb")"

# --- what is in it ----------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$tmp/contents"
for f in /usr/bin/betaalrun /usr/share/betaalrun/rules/regels.xml /usr/share/betaalrun/rules/signaaltabel.xml \
	/usr/share/betaalrun/schemas/clientregister.xsd /usr/share/betaalrun/schemas/iso20022/pain.001.001.09.xsd \
	/usr/share/man/man1/betaalrun.1.gz /usr/share/man/man5/betaalrun.conf.5.gz \
	/usr/share/doc/betaalrun/copyright /usr/share/doc/betaalrun/docs/operator-guide.md \
	/usr/share/doc/betaalrun/examples/betaalrun.conf /lib/systemd/system/betaalrun-watch.service \
	/usr/lib/sysusers.d/betaalrun.conf /usr/lib/tmpfiles.d/betaalrun.conf; do
	grep -qxF "$f" "$tmp/contents" || grep -qxF "$f.gz" "$tmp/contents" || fail "$f is not in the package"
done
dpkg-deb -I "$deb" postinst >"$tmp/postinst" || fail "no postinst"
grep -q 'systemd-sysusers' "$tmp/postinst" || fail "postinst does not create the user"
grep -q 'deb-systemd-helper' "$tmp/postinst" || fail "postinst does not register the unit"
grep -q 'deb-systemd-invoke.*start' "$tmp/postinst" && fail "postinst starts the unit"
# --no-enable: the unit is enabled again on upgrade only if it was enabled
grep -q 'deb-systemd-helper enable' "$tmp/postinst" && ! grep -q 'was-enabled' "$tmp/postinst" && fail "postinst enables the unit"
ok "contents: binary, data, man pages, docs, example config, unit (not enabled or started), sysusers, tmpfiles"

# --- lintian ---------------------------------------------------------------------------------
lintian --tag-display-limit 0 "$tmp"/betaalrun_"${version}"_"$arch".changes >"$tmp/lintian" 2>&1 || true
cat "$tmp/lintian"
grep -q '^E: ' "$tmp/lintian" && fail "lintian reports errors"
for tag in $(sed -n 's/^W: [^:]*: \([a-z0-9-]*\).*/\1/p' "$tmp/lintian" | sort -u); do
	grep -q "^- $tag:" debian/README.source || fail "lintian warning $tag is not explained in debian/README.source"
done
ok "lintian: no errors; $(grep -c '^W: ' "$tmp/lintian" || true) warning(s), each explained in debian/README.source"

# --- install, use, remove --------------------------------------------------------------------
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$tmp/dpkg.log")"
installed=1
getent passwd betaalrun >/dev/null || fail "no user betaalrun after dpkg -i"
[ "$(stat -c '%U %a' /var/lib/betaalrun)" = "betaalrun 700" ] || fail "/var/lib/betaalrun is $(stat -c '%U %a' /var/lib/betaalrun)"
/usr/bin/betaalrun --version >"$tmp/version" || fail "betaalrun --version"
head -1 "$tmp/version" | grep -qx "betaalrun $version" || fail "betaalrun --version: $(head -1 "$tmp/version")"
man -w betaalrun >/dev/null 2>&1 || fail "man betaalrun: not found"
[ ! -e /etc/systemd/system/multi-user.target.wants/betaalrun-watch.service ] || fail "dpkg -i enabled betaalrun-watch.service"
ok "dpkg -i: user betaalrun, /var/lib/betaalrun 0700, unit not enabled, $(head -1 "$tmp/version"), man page found"

# A month with the installed binary, as betaalrun, away from the source tree.
work=$tmp/month
mkdir -p "$work/input"
cp "$root"/samples/register-*.xml "$root"/samples/inkomen-* "$root"/samples/signalen-*.xml "$work/input/"
cd "$work"
keys=$work/keys
mkdir -p "$keys"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Package test CA"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
	cat "$keys/$who.key" "$keys/$who.pem" >"$keys/$who.bundle.pem"
done
chown -R betaalrun: "$work"
chmod 755 "$tmp"
as() { runuser -u betaalrun -- env -u BETAALRUN_DATADIR BETAALRUN_NOW=2026-11-20T09:00:00 /usr/bin/betaalrun --home "$work/home" "$@"; }
as init >/dev/null || fail "init"
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-11/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" "$work/home/betaalrun.conf"
cp "$work"/input/register-*.xml "$work/home/inbox/"; chown betaalrun: "$work/home/inbox/"*
as ingest >/dev/null 2>"$work/err" || fail "ingest: $(cat "$work/err")"
cp "$work"/input/inkomen-* "$work"/input/signalen-*.xml "$work/home/inbox/"; chown betaalrun: "$work/home/inbox/"*
as ingest >/dev/null 2>"$work/err" || fail "ingest: $(cat "$work/err")"
run=$(as run --month 2026-11 --key "$keys/Preparer.bundle.pem" --pass-fd 3 3</dev/null 2>"$work/err" | head -1)
[[ "$run" =~ ^BR-202611-[0-9]{4}$ ]] || fail "run: $(cat "$work/err")"
as approve "$run" --key "$keys/Approver.bundle.pem" --ja --pass-fd 3 3</dev/null >/dev/null 2>"$work/err" || fail "approve: $(cat "$work/err")"
as release "$run" >/dev/null 2>"$work/err" || fail "release: $(cat "$work/err")"
as verify "$work/home/outbox/$run.xml" >/dev/null 2>"$work/err" || fail "verify: $(cat "$work/err")"
[ "$(stat -c %U "$work/home/betaalrun.db")" = betaalrun ] || fail "the store is not betaalrun's"
cd "$root"
ok "the installed binary, as betaalrun: November ingested, $run prepared, approved, released, verified"

dpkg -r betaalrun >"$tmp/dpkg.log" 2>&1 || fail "dpkg -r: $(cat "$tmp/dpkg.log")"
installed=0
[ ! -e /usr/bin/betaalrun ] || fail "/usr/bin/betaalrun is left after dpkg -r"
[ ! -e /usr/share/betaalrun ] || fail "/usr/share/betaalrun is left after dpkg -r"
ok "dpkg -r removes it"
