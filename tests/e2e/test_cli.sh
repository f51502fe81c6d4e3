#!/usr/bin/env bash
# The command line as an operator meets it (cli.md): a usage error names
# the problem on its first line, then prints that command's usage, exit 64;
# --help on every command and jobs subcommand prints its own usage, exit 0;
# nothing is created or touched by a refused command line.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
home=$tmp/home
"$BR" --home "$home" init >/dev/null

# refused: ARGS | the first line must contain TEXT
refused() {
	local want=$1; shift
	set +e; "$BR" --home "$home" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?; set -e
	[ $rc = 64 ] || fail "'$*': exit $rc, want 64: $(cat "$tmp/err")"
	head -1 "$tmp/err" | grep -qF -- "$want" || fail "'$*': first line '$(head -1 "$tmp/err")' does not say '$want'"
	grep -q '^usage:$' "$tmp/err" || fail "'$*': no usage after the message"
	[ ! -s "$tmp/out" ] || fail "'$*': printed on stdout: $(cat "$tmp/out")"
}
refused "betaalrun run: which month? give --month YYYY-MM" run --key k.p12
refused "the payment file is signed: give --key FILE" run --month 2026-11
refused "--month 31-10-2026 is not a month; write it as YYYY-MM" run --month 31-10-2026 --key k.p12
refused "a dry run signs and books nothing: leave out --key" run --month 2026-11 --dry-run --key k.p12
refused "unknown option --maand" run --maand 2026-11
refused "--month needs a value" run --key k --month
refused "--key is given twice" run --month 2026-11 --key a --key b
refused "--pass-fd x3 is not a file descriptor number" run --month 2026-11 --key k --pass-fd x3
refused "welke run? geef het run-id" approve --key k.p12
refused "goedkeuren is een tweede handtekening: geef --key BESTAND" approve BR-202611-0001
refused "unexpected argument 'extra'" cancel BR-202611-0001 extra
refused "which file?" verify
refused "--datum 31-10-2026 is not a date; write it as YYYY-MM-DD" jobs close 1 --uitkomst BEEINDIGD --datum 31-10-2026 --door a --toelichting b
refused "'x1' is not a job number" jobs show x1
refused "--bedrag 12,5 is not an amount above 0" jobs close 1 --uitkomst TOEKENNEN --bedrag 12,5 --door a --toelichting b
refused "which dossier?" dossier
refused "unknown subcommand lijst" jobs lijst
refused "unexpected argument 'x'" status x
[ -z "$(find "$home/out" "$home/outbox" "$home/quarantine" -mindepth 1)" ] || fail "a refused command line left files"
ok "usage errors: 18 command lines refused with the problem first, the command's usage, exit 64"

for c in init ingest watch status run approve cancel release verify runs dossier "jobs list" "jobs show" \
	 "jobs assign" "jobs close"; do
	# shellcheck disable=SC2086
	"$BR" --home "$home" $c --help >"$tmp/out" 2>&1 || fail "$c --help: exit $?"
	head -1 "$tmp/out" | grep -qF "betaalrun [--home DIR] $c" || fail "$c --help: $(head -1 "$tmp/out")"
done
"$BR" jobs --help >"$tmp/out" || fail "jobs --help: exit $?"
[ "$(grep -c '^betaalrun \[--home DIR\] jobs ' "$tmp/out")" = 4 ] || fail "jobs --help: $(cat "$tmp/out")"
ok "--help: every command and jobs subcommand prints its own usage, exit 0"
