#!/usr/bin/env bash
# Operator ergonomics (issue 12): the passphrase asked on a terminal with
# echo off, "no passphrase given" apart from a wrong one; approve shows
# what it signs and asks, or needs --ja without a terminal.  The terminal
# is a real pseudo-terminal (tests/e2e/pty_dialog.py, python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
home=$tmp/home
keys=$tmp/keys
mkdir -p "$keys"
unset BETAALRUN_KEY_PASS
dialog() { python3 tests/e2e/pty_dialog.py "$@"; }

ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
for who in Preparer Approver; do
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$who.key" -out "$keys/$who.csr" -subj "/O=WerkSaam Westfriesland/CN=$who"
	ossl x509 -req -in "$keys/$who.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial -out "$keys/$who.pem" -days 365
done
ossl pkcs12 -export -inkey "$keys/Preparer.key" -in "$keys/Preparer.pem" -out "$keys/prep.p12" -passout pass:geheim-1
ossl pkcs12 -export -inkey "$keys/Approver.key" -in "$keys/Approver.pem" -out "$keys/appr.p12" -passout pass:geheim-2

"$BR" --home "$home" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
	"$home/betaalrun.conf"
cp samples/register-*.xml "$home/inbox/"; "$BR" --home "$home" ingest >/dev/null 2>&1
export BETAALRUN_NOW=2026-11-20T09:00:00
appr_of() { count "$home" "SELECT coalesce(goedkeurder, '') || '|' || status FROM run WHERE msg_id = '$1'"; }

# ---- the passphrase -------------------------------------------------------------
# no terminal, none given: said as such (78), not "wrong passphrase"
set +e; "$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc = 78 ] || fail "run without a passphrase: exit $rc, want 78: $(cat "$tmp/err")"
grep -q "geen wachtwoordzin opgegeven" "$tmp/err" || fail "run without a passphrase: $(cat "$tmp/err")"
grep -q "verkeerde wachtwoordzin" "$tmp/err" && fail "no passphrase reported as a wrong one"
set +e; BETAALRUN_KEY_PASS=fout "$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc = 78 ] || fail "run with a wrong passphrase: exit $rc"
grep -q "verkeerde wachtwoordzin" "$tmp/err" || fail "wrong passphrase: $(cat "$tmp/err")"
[ "$(count "$home" 'SELECT count(*) FROM run')" = 0 ] || fail "a run was recorded without a usable key"
ok "no terminal: no passphrase says 'geen wachtwoordzin opgegeven', a wrong one 'verkeerde wachtwoordzin' (78), no run"

# on a terminal the passphrase is asked, and not echoed
dialog "$tmp/run.tty" "Wachtwoordzin" "geheim-1" -- "$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" \
	|| fail "run on a terminal: exit $?: $(cat "$tmp/run.tty")"
grep -q "geheim-1" "$tmp/run.tty" && fail "the passphrase was echoed: $(cat "$tmp/run.tty")"
run=$(grep -o 'BR-202611-[0-9]\{4\}' "$tmp/run.tty" | head -1)
[ -n "$run" ] && [ "$(appr_of "$run")" = "|PREPARED" ] || fail "run on a terminal: no prepared run: $(cat "$tmp/run.tty")"
ok "on a terminal the passphrase is asked with echo off; $run prepared"

# ---- approve ------------------------------------------------------------------------
f=$home/out/2026-11/$run/pain.001.xml
total=$(count "$home" "SELECT totaal_cents FROM run WHERE msg_id = '$run'")
n=$(count "$home" "SELECT aantal FROM run WHERE msg_id = '$run'")
# the total as a person writes it: € 1.234,56 (derived here, not by the program)
euro=$(printf '%d' $((total / 100)) | rev | sed 's/\([0-9]\{3\}\)/\1./g' | rev | sed 's/^\.//')
euro="€ $euro,$(printf '%02d' $((total % 100)))"

set +e; "$BR" --home "$home" approve "$run" --key "$keys/appr.p12" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc = 64 ] || fail "approve without a terminal and without --ja: exit $rc"
grep -q "geef --ja" "$tmp/err" || fail "approve without --ja: $(cat "$tmp/err")"
[ "$(appr_of "$run")" = "|PREPARED" ] || fail "approve without --ja recorded something"
ok "approve without a terminal needs --ja (64), nothing recorded"

set +e; dialog "$tmp/no.tty" "Goedkeuren? [j/N]" "n" -- "$BR" --home "$home" approve "$run" --key "$keys/appr.p12"; rc=$?; set -e
[ $rc = 1 ] || fail "approve answered no: exit $rc: $(cat "$tmp/no.tty")"
grep -q "Wachtwoordzin" "$tmp/no.tty" && fail "the passphrase was asked before the question"
for want in "$run ter goedkeuring" "transacties *$n" "totaal *$euro" "uitvoerdatum *2026-1" \
	    "sha256 *$(sha256sum "$f" | cut -c1-64)" "rapport *$home/out/2026-11/$run/rapport.html" "niet goedgekeurd"; do
	grep -q -- "$want" "$tmp/no.tty" || fail "approve did not show '$want': $(cat "$tmp/no.tty")"
done
[ "$(appr_of "$run")" = "|PREPARED" ] || fail "an approval answered no was recorded"
[ ! -e "$f.p7s.goedkeuring" ] || fail "an approval answered no left a signature"
ok "approve on a terminal shows count $n, $euro, execution date, file hash, report and asks; 'n' signs nothing (exit 1)"

dialog "$tmp/yes.tty" "Goedkeuren? [j/N]" "j" "Wachtwoordzin" "geheim-2" -- \
	"$BR" --home "$home" approve "$run" --key "$keys/appr.p12" || fail "approve answered yes: $(cat "$tmp/yes.tty")"
grep -q "geheim-2" "$tmp/yes.tty" && fail "the approver's passphrase was echoed"
grep -q "^$run goedgekeurd" "$tmp/yes.tty" || fail "approve yes: $(cat "$tmp/yes.tty")"
case $(appr_of "$run") in *CN=Approver*"|APPROVED") ;; *) fail "approve yes: $(appr_of "$run")" ;; esac
ok "approve 'j' then the passphrase (echo off): approved"

# ---- the lock names its holder ---------------------------------------------------------
"$BR" --home "$home" release "$run" >"$tmp/out" 2>"$tmp/err" & pid=$!
wait $pid || fail "release: $(cat "$tmp/err")"
# BETAALRUN_NOW 2026-11-20T09:00:00 is CET (UTC+1): 08:00 UTC
want="betaalrun release (pid $pid) sinds 2026-11-20T08:00:00Z"
[ "$(cat "$home/betaalrun.lock")" = "$want" ] || fail "lock file: '$(cat "$home/betaalrun.lock")', want '$want'"
# while that line's holder (here flock(1)) has the lock, a writer gives up naming it
flock "$home/betaalrun.lock" sleep 8 & holder=$!
sleep 0.3
set +e; "$BR" --home "$home" cancel "$run" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
[ $rc = 75 ] || fail "cancel while the store is locked: exit $rc"
grep -qF "de opslag is bezet: $want" "$tmp/err" || fail "busy message: $(cat "$tmp/err")"
ok "the lock holder writes command, pid and start (UTC); a waiter that gives up names them (75)"

# ---- status: Dutch, amounts as € 1.234,56, the command's clock -------------------------
"$BR" --home "$home" status >"$tmp/status" 2>"$tmp/err" || fail "status: $(cat "$tmp/err")"
grep -q "^laatste run *$run  2026-11  RELEASED  $n betalingen  $euro$" "$tmp/status" \
	|| fail "status, last run: $(grep 'laatste run' "$tmp/status")"
for day in 2026-11-20 2026-12-31 2030-01-01; do
	want=$(count "$home" "SELECT count(*) FROM dossier WHERE einddatum IS NULL OR einddatum >= '$day'")
	BETAALRUN_NOW=${day}T12:00:00 "$BR" --home "$home" status >"$tmp/status" 2>/dev/null
	grep -q "^lopende dossiers *$want$" "$tmp/status" || fail "status on $day: $(grep lopende "$tmp/status"), want $want"
done
grep -q "EUR\|file(s)\|matching nothing" "$tmp/status" && fail "status still speaks English: $(cat "$tmp/status")"
ok "status: the last run's total as $euro, dossiers in force on BETAALRUN_NOW's day"
