#!/usr/bin/env bash
# The man pages (issue 14): man/betaalrun.1 and man/betaalrun.conf.5 pass
# `mandoc -T lint` and `groff -ww` without a warning and render with
# `man -l`; betaalrun.1 names every command and option the binary's own
# --help lists and every BETAALRUN_* variable the sources read;
# betaalrun.conf.5 names every section and key that `init` writes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for page in man/betaalrun.1 man/betaalrun.conf.5; do
	mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1 || fail "mandoc -T lint $page: $(cat "$tmp/lint")"
	[ ! -s "$tmp/lint" ] || fail "mandoc -T lint $page: $(cat "$tmp/lint")"
	groff -mandoc -ww -z "$page" >"$tmp/groff" 2>&1 || fail "groff $page: $(cat "$tmp/groff")"
	[ ! -s "$tmp/groff" ] || fail "groff -ww $page: $(cat "$tmp/groff")"
	MANWIDTH=80 man -l "$page" >"$tmp/out" 2>"$tmp/err" || fail "man -l $page: $(cat "$tmp/err")"
	[ ! -s "$tmp/err" ] || fail "man -l $page: $(cat "$tmp/err")"
	[ "$(wc -l <"$tmp/out")" -gt 50 ] || fail "man -l $page rendered almost nothing"
done
ok "mandoc -T lint, groff -ww, man -l: no warnings on betaalrun.1 and betaalrun.conf.5"

# The rendered text, words joined across line breaks.
render() { MANWIDTH=200 man -l "$1" 2>/dev/null | col -b | tr -s ' \n' ' '; }
render man/betaalrun.1 >"$tmp/br1"
render man/betaalrun.conf.5 >"$tmp/conf5"

# every command of the top-level usage, and every option of each command's --help
# (a usage line is "  cmd ARGS | cmd2 ARGS ...   description"; one command
# begins each |-separated part)
"$BR" --help | grep '^  [a-z]' | sed 's/   .*//' | tr '|' '\n' | awk '$1 ~ /^[a-z]+$/ { print $1 }' | sort -u >"$tmp/cmds"
[ "$(wc -l <"$tmp/cmds")" -ge 14 ] || fail "could not read the commands from --help: $(cat "$tmp/cmds")"
missing=""
while read -r c; do
	for sub in $(if [ "$c" = jobs ]; then echo "list show assign close"; else echo "-"; fi); do
		full=$c; [ "$sub" = - ] || full="$c $sub"
		grep -qF " $full " "$tmp/br1" || missing="$missing [$full]"
		# shellcheck disable=SC2086
		for o in $("$BR" $full --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			grep -qF -- "$o" "$tmp/br1" || missing="$missing [$full $o]"
		done
	done
done <"$tmp/cmds"
for o in --home --version --help; do grep -qF -- "$o" "$tmp/br1" || missing="$missing [$o]"; done
[ -z "$missing" ] || fail "betaalrun.1 lacks:$missing"
ok "betaalrun.1 names all $(wc -l <"$tmp/cmds") commands of --help and every option of each"

# every BETAALRUN_* variable read by the program, in ENVIRONMENT
vars=$(grep -ho 'getenv("BETAALRUN_[A-Z_]*")' core/*.c parsers/*.c writers/*.c pipeline/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u)
[ -n "$vars" ] || fail "no getenv found"
env_section=$(MANWIDTH=200 man -l man/betaalrun.1 2>/dev/null | col -b | sed -n '/^ENVIRONMENT/,/^FILES/p')
for v in $vars; do
	grep -Eq "^ +$v([[:space:]]|\$)" <<<"$env_section" || fail "ENVIRONMENT does not describe $v"
done
ok "ENVIRONMENT describes $(echo $vars)"

# exit codes: each one br_error_exit_status can return
for code in $(grep -o 'return [0-9][0-9]*;' core/error.c | grep -o '[0-9]*' | sort -u); do
	MANWIDTH=200 man -l man/betaalrun.1 2>/dev/null | col -b | sed -n '/^EXIT STATUS/,/^EXAMPLES/p' |
		grep -Eq "^ +$code[[:space:]]+[a-z]" || fail "EXIT STATUS lacks $code"
done
ok "EXIT STATUS lists every status the program returns"

# every section and key of the configuration init writes
"$BR" --home "$tmp/h" init >/dev/null
sed -n 's/^\[\([a-z]*\)\].*/\1/p' "$tmp/h/betaalrun.conf" >"$tmp/sections"
sed -n 's/^\([a-z_]*\) *=.*/\1/p' "$tmp/h/betaalrun.conf" >"$tmp/keys"
[ "$(wc -l <"$tmp/keys")" -ge 20 ] || fail "could not read the keys of betaalrun.conf"
while read -r s; do grep -qF "[$s]" "$tmp/conf5" || fail "betaalrun.conf.5 lacks [$s]"; done <"$tmp/sections"
while read -r k; do grep -qE " $k = " "$tmp/conf5" || fail "betaalrun.conf.5 does not describe $k"; done <"$tmp/keys"
ok "betaalrun.conf.5 describes all $(wc -l <"$tmp/sections") sections and $(wc -l <"$tmp/keys") keys init writes"
