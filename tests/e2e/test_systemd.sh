#!/usr/bin/env bash
# The systemd unit dist/betaalrun-watch.service (issue 14): passes
# `systemd-analyze verify` (with its ExecStart pointed at this build and its
# man pages found in man/), carries the settings the operator guide
# promises (user betaalrun, the state directory the only writable path,
# umask 0077, no new privileges, private /tmp), is rated well by
# `systemd-analyze security --offline`, and its command lines, run as
# written in a fresh state directory, initialise the home, ingest a
# delivery and stop cleanly on SIGTERM.  (Starting the unit itself needs a
# running systemd, which a build container does not have.)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
unit=dist/betaalrun-watch.service

for want in 'User=betaalrun' 'Group=betaalrun' 'StateDirectory=betaalrun' 'StateDirectoryMode=0700' 'UMask=0077' \
	'ProtectSystem=strict' 'ProtectHome=yes' 'NoNewPrivileges=yes' 'PrivateTmp=yes' \
	'ExecStart=/usr/bin/betaalrun --home /var/lib/betaalrun watch' 'StandardError=journal' 'WantedBy=multi-user.target'; do
	grep -qxF "$want" "$unit" || fail "$unit lacks $want"
done
# nothing writable but the state directory: no ReadWritePaths, no other *Directory=
grep -Eq '^(ReadWritePaths|ReadWriteDirectories|CacheDirectory|LogsDirectory|RuntimeDirectory|ConfigurationDirectory)=' "$unit" &&
	fail "$unit makes another path writable"
ok "$unit: user betaalrun, StateDirectory the only writable path, UMask 0077, strict, no new privileges"

mkdir -p "$tmp/unit" "$tmp/man/man1" "$tmp/man/man5"
sed "s|/usr/bin/betaalrun|$BR|g" "$unit" >"$tmp/unit/betaalrun-watch.service"
cp man/betaalrun.1 "$tmp/man/man1/"
cp man/betaalrun.conf.5 "$tmp/man/man5/"
MANPATH=$tmp/man systemd-analyze verify "$tmp/unit/betaalrun-watch.service" >"$tmp/verify" 2>&1 ||
	fail "systemd-analyze verify: $(cat "$tmp/verify")"
[ ! -s "$tmp/verify" ] || fail "systemd-analyze verify: $(cat "$tmp/verify")"
ok "systemd-analyze verify: no complaint"

systemd-analyze security --offline=yes "$tmp/unit/betaalrun-watch.service" >"$tmp/sec" 2>&1 || true
level=$(sed -n 's/.*Overall exposure level for betaalrun-watch.service: \([0-9.]*\).*/\1/p' "$tmp/sec")
[ -n "$level" ] || fail "systemd-analyze security gave no level: $(tail -3 "$tmp/sec")"
awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' || fail "exposure level $level above 2.0"
ok "systemd-analyze security --offline: exposure $level"

# The unit's own command lines, the paths moved into a temporary state directory.
state=$tmp/state
cmd() { sed -n "s/^$1=//p" "$unit" | sed -e "s|/usr/bin/betaalrun|$BR|g" -e "s|/var/lib/betaalrun|$state|g"; }
mkdir -m 700 "$state"
(umask 077; eval "$(cmd ExecStartPre)") >/dev/null || fail "ExecStartPre failed on an empty state directory"
[ -f "$state/betaalrun.conf" ] && [ -d "$state/inbox" ] && [ -f "$state/betaalrun.db" ] || fail "ExecStartPre did not make the home"
(umask 077; eval "$(cmd ExecStartPre)") >/dev/null || fail "ExecStartPre failed the second time"
(umask 077; eval "exec $(cmd ExecStart)") >"$tmp/out" 2>"$tmp/err" &
wpid=$!
cp samples/register-*.xml "$state/inbox/.r.part"
mv "$state/inbox/.r.part" "$state/inbox/register.xml"
for i in $(seq 1 100); do [ -e "$state/inbox/register.xml" ] || break; sleep 0.1; done
[ ! -e "$state/inbox/register.xml" ] || fail "the service's watch did not ingest: $(cat "$tmp/err")"
[ "$(count "$state" "SELECT count(*) FROM levering WHERE soort = 'register'")" = 1 ] || fail "register not in the store"
kill -TERM "$wpid"
rc=0; wait "$wpid" || rc=$?
[ "$rc" = 0 ] || fail "watch exited $rc on SIGTERM"
[ -z "$(find "$state" -newer "$state/betaalrun.conf" -perm /077 ! -type d)" ] || fail "a file in the state directory is readable by others"
ok "ExecStartPre makes a fresh home (twice: idempotent), ExecStart ingests and stops on SIGTERM with 0"
