#!/usr/bin/env bash
# `betaalrun --version` and `betaalrun version` (issue 14): the program's
# version from the VERSION file, and each library's run-time version equal
# to what the system's own tools say about the installed library
# (pkg-config, sqlite3, openssl, xmllint), not to anything betaalrun says.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$BR" --version >"$tmp/v1" 2>"$tmp/err" || fail "--version exited $?: $(cat "$tmp/err")"
"$BR" version >"$tmp/v2" 2>>"$tmp/err" || fail "version exited $?: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "version wrote to stderr: $(cat "$tmp/err")"
cmp -s "$tmp/v1" "$tmp/v2" || fail "--version and version differ"
# --version needs no data directory and ignores --home
"$BR" --home "$tmp/nowhere" --version | cmp -s - "$tmp/v1" || fail "--home changed --version"
[ ! -e "$tmp/nowhere" ] || fail "--version created the data directory"
ok "--version and version print the same, need no data directory"

# format: exactly five lines `name version`, in this order
[ "$(cut -d' ' -f1 "$tmp/v1" | tr '\n' ' ')" = "betaalrun libxml2 OpenSSL SQLite zlib " ] ||
	fail "unexpected names: $(cat "$tmp/v1")"
grep -Eqvx '[A-Za-z0-9]+ [0-9]+\.[0-9]+\.[0-9]+[a-z]*' "$tmp/v1" && fail "a line is not 'name x.y.z': $(cat "$tmp/v1")"
ok "five lines, name and x.y.z"

v() { awk -v n="$1" '$1 == n { print $2 }' "$tmp/v1"; }
want=$(tr -d ' \n' <VERSION)
[ "$(v betaalrun)" = "$want" ] || fail "program version $(v betaalrun), VERSION file says $want"
[ "$(v libxml2)" = "$(pkg-config --modversion libxml-2.0)" ] || fail "libxml2 $(v libxml2) vs pkg-config $(pkg-config --modversion libxml-2.0)"
# xmllint reports the encoded form: "using libxml version 20914" = 2.9.14
enc=$(xmllint --version 2>&1 | sed -n 's/.*using libxml version \([0-9]*\).*/\1/p' | head -1)
[ "$(v libxml2)" = "$((enc / 10000)).$((enc / 100 % 100)).$((enc % 100))" ] || fail "libxml2 $(v libxml2) vs xmllint $enc"
[ "$(v OpenSSL)" = "$(pkg-config --modversion openssl)" ] || fail "OpenSSL $(v OpenSSL) vs pkg-config"
[ "$(v OpenSSL)" = "$(openssl version | awk '{ print $2 }')" ] || fail "OpenSSL $(v OpenSSL) vs openssl version"
[ "$(v SQLite)" = "$(sqlite3 --version | awk '{ print $1 }')" ] || fail "SQLite $(v SQLite) vs sqlite3 --version"
[ "$(v SQLite)" = "$(pkg-config --modversion sqlite3)" ] || fail "SQLite $(v SQLite) vs pkg-config"
[ "$(v zlib)" = "$(pkg-config --modversion zlib)" ] || fail "zlib $(v zlib) vs pkg-config"
ok "versions: betaalrun from VERSION; libxml2, OpenSSL, SQLite, zlib as the system's tools report"

"$BR" version extra >/dev/null 2>&1 && fail "version with an argument succeeded"
[ "$("$BR" version extra >/dev/null 2>&1; echo $?)" = 64 ] || fail "version with an argument: not exit 64"
ok "version with an argument: usage, exit 64"
