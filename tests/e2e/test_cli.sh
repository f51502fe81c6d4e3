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
	grep -q '^gebruik:$' "$tmp/err" || fail "'$*': no usage after the message"
	[ ! -s "$tmp/out" ] || fail "'$*': printed on stdout: $(cat "$tmp/out")"
}
refused "betaalrun run: welke maand? geef --month JJJJ-MM" run --key k.p12
refused "het betaalbestand wordt getekend: geef --key BESTAND" run --month 2026-11
refused "--month 31-10-2026 is geen maand; schrijf JJJJ-MM" run --month 31-10-2026 --key k.p12
refused "een proefrun tekent en boekt niets: laat --key weg" run --month 2026-11 --dry-run --key k.p12
refused "onbekende optie --maand" run --maand 2026-11
refused "--month heeft een waarde nodig" run --key k --month
refused "--key is twee keer gegeven" run --month 2026-11 --key a --key b
refused "--pass-fd x3 is geen bestandsdescriptor" run --month 2026-11 --key k --pass-fd x3
refused "welke run? geef het run-id" approve --key k.p12
refused "goedkeuren is een tweede handtekening: geef --key BESTAND" approve BR-202611-0001
refused "onverwacht argument 'extra'" cancel BR-202611-0001 extra
refused "welk bestand?" verify
refused "--datum 31-10-2026 is geen datum; schrijf JJJJ-MM-DD" jobs close 1 --uitkomst BEEINDIGD --datum 31-10-2026 --door a --toelichting b
refused "'x1' is geen taaknummer" jobs show x1
refused "betaalrun jobs close: --door ontbreekt: geef de medewerker die de taak afrondt" jobs close 1 --uitkomst GEEN_GEVOLGEN --toelichting b
refused "betaalrun jobs close: onbekende uitkomst 'KLAAR': kies GEEN_GEVOLGEN" jobs close 1 --uitkomst KLAAR --door a --toelichting b
refused "--bedrag 12,5 is geen bedrag boven 0" jobs close 1 --uitkomst TOEKENNEN --bedrag 12,5 --door a --toelichting b
refused "welk dossier?" dossier
refused "onbekend subcommando lijst" jobs lijst
refused "onverwacht argument 'x'" status x
[ -z "$(find "$home/out" "$home/outbox" "$home/quarantine" -mindepth 1)" ] || fail "a refused command line left files"
refused "--soort XYZ is geen soort taak; kies uit: INKOMEN, DETENTIE" jobs list --soort XYZ
refused "--gemeente Atlantis is geen bekende gemeente" jobs list --gemeente Atlantis
refused "--gemeente 0999 is geen bekende gemeente" jobs list --gemeente 0999
grep -q "0405 Hoorn" "$tmp/err" || fail "an unknown --gemeente does not list the valid ones: $(cat "$tmp/err")"
ok "usage errors: 23 command lines refused with the problem first, the command's usage, exit 64"

for c in init ingest watch status run approve cancel release verify runs dossier "jobs list" "jobs show" \
	 "jobs assign" "jobs close"; do
	# shellcheck disable=SC2086
	"$BR" --home "$home" $c --help >"$tmp/out" 2>&1 || fail "$c --help: exit $?"
	head -1 "$tmp/out" | grep -qF "betaalrun [--home MAP] $c" || fail "$c --help: $(head -1 "$tmp/out")"
done
"$BR" jobs --help >"$tmp/out" || fail "jobs --help: exit $?"
[ "$(grep -c '^betaalrun \[--home MAP\] jobs ' "$tmp/out")" = 4 ] || fail "jobs --help: $(cat "$tmp/out")"
ok "--help: every command and jobs subcommand prints its own usage, exit 0"

# `help CMD` is `CMD --help`; option help lists the values an option takes
for c in run approve status "jobs list" "jobs close"; do
	# shellcheck disable=SC2086
	"$BR" --home "$home" help $c >"$tmp/help" || fail "help $c: exit $?"
	# shellcheck disable=SC2086
	"$BR" --home "$home" $c --help >"$tmp/out"
	cmp -s "$tmp/help" "$tmp/out" || fail "help $c differs from $c --help"
done
"$BR" --home "$home" help jobs list >"$tmp/help"
# every job kind of the shipped signal table, each named once
for k in $(grep -o 'taak="[A-Z_]*"\|Taak naam="[A-Z_]*"' data/rules/signaaltabel.xml | sed 's/.*="//; s/"//' | sort -u); do
	grep "^  --soort" "$tmp/help" | grep -qw "$k" || fail "help jobs list does not list job kind $k"
done
grep "^  --gemeente" "$tmp/help" | grep -q "0405 Hoorn" || fail "help jobs list does not list the municipalities"
"$BR" help jobs close | grep "^  --uitkomst" >"$tmp/u"
for u in GEEN_GEVOLGEN AANGEPAST BEEINDIGD RECHT_VERVALLEN TOEKENNEN AFWIJZEN; do
	grep -qw "$u" "$tmp/u" || fail "help jobs close does not list --uitkomst $u"
done
"$BR" help >"$tmp/help" && grep -q "^Omgeving:" "$tmp/help" || fail "help has no Omgeving section"
for v in $(grep -rho 'getenv("[A-Z_]*")' core parsers writers pipeline | sed 's/.*("//; s/")//' | sort -u); do
	grep -q "^  $v " "$tmp/help" || fail "help does not document $v"
done
set +e; "$BR" help nonsense >/dev/null 2>&1; rc=$?; set -e
[ $rc = 64 ] || fail "help nonsense: exit $rc"
ok "help CMD = CMD --help; job kinds, municipalities, outcomes and the environment are listed"
