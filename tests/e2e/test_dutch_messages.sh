#!/usr/bin/env bash
# One language for people (issue 12): each kind of error an operator meets
# is said in Dutch, word for word as written here, and nothing English
# comes back around it.  The cases: a settings file with an unknown key, a
# missing key file, an approver's certificate from another CA, a
# quarantined register, income file, bank statement and status report, a
# job closed without --door, the specification of an unknown dossier, a
# backup onto an existing file.  What may stay as it is: log keys
# (level=, msg=, error=, file=), the keys of a reason file, element names,
# file names, certificate subjects, and what libxml2 and OpenSSL say in
# their own words (quoted after the Dutch sentence).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
keys=$tmp/keys
mkdir -p "$keys"
unset BETAALRUN_KEY_PASS
export BETAALRUN_NOW=2026-11-20T09:00:00

ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca2.key" -out "$keys/ca2.pem" -days 3650 -subj "/CN=Ander CA"
person() { # stem CA CN
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$1.key" -out "$keys/$1.csr" -subj "/O=WerkSaam Westfriesland/CN=$3"
	ossl x509 -req -in "$keys/$1.csr" -CA "$keys/$2.pem" -CAkey "$keys/$2.key" -CAcreateserial -out "$keys/$1.pem" -days 365
}
person prep ca Voorbereider
person vreemd ca2 Buitenstaander
ossl pkcs12 -export -inkey "$keys/prep.key" -in "$keys/prep.pem" -out "$keys/prep.p12" -passout pass:geheim-1
ossl pkcs12 -export -inkey "$keys/vreemd.key" -in "$keys/vreemd.pem" -out "$keys/vreemd.p12" -passout pass:geheim-3

home=$tmp/home
"$BR" --home "$home" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
	"$home/betaalrun.conf"
cp samples/register-*.xml "$home/inbox/"
"$BR" --home "$home" ingest >/dev/null 2>"$tmp/err" || fail "setup: ingest: $(cat "$tmp/err")"
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$home" run --month 2026-11 --key "$keys/prep.p12" >"$tmp/run.out" 2>"$tmp/err" \
	|| fail "setup: run: $(cat "$tmp/err")"
run=$(head -n1 "$tmp/run.out")

# English that must not come back: words no Dutch sentence of ours holds,
# looked for after the technical parts are cut out (log and reason keys,
# what libxml2 or OpenSSL says in parentheses or after "Element '").
english='\b(the|cannot|must|missing|unknown|failed|exists|already|give|refused|does|not|and|with|for|only|should|has|have|which|from|than|before|after|empty|invalid|wrong|please|error|found|expected|allowed|file|line|store|key|certificate|signature|approver|preparer)\b'
no_english() { # LABEL TEXT
	local cut
	cut=$(printf '%s\n' "$2" | sed -E -e 's/\b(ts|level|file|line|stored_as|sha256|kind)=("[^"]*"|[^ ]*)//g' \
		-e 's/\b[a-z_]+=//g' -e "s/Element '.*//" -e 's/\([^()]*\)//g')
	if printf '%s\n' "$cut" | grep -Eiwo "$english" >"$tmp/en"; then
		fail "$1: English ($(sort -u "$tmp/en" | tr '\n' ' ')) in: $2"
	fi
}

# `says CODE LABEL TEXT COMMAND...`: exit CODE and TEXT (fixed string) on stderr
says() {
	local want=$1 label=$2 text=$3 rc
	shift 3
	set +e; "$BR" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
	[ "$rc" = "$want" ] || fail "$label: exit $rc, want $want: $(cat "$tmp/err")"
	grep -qF -- "$text" "$tmp/err" || fail "$label: stderr does not say '$text': $(cat "$tmp/err")"
	no_english "$label" "$(cat "$tmp/err")"
}

# ---- configuration, keys, certificates -------------------------------------------------
cfg=$tmp/cfg
"$BR" --home "$cfg" init >/dev/null
printf '[betaling]\nkleur = blauw\n' >>"$cfg/betaalrun.conf"
n=$(wc -l <"$cfg/betaalrun.conf")
says 78 "unknown key" "level=error msg=mislukt error=\"$cfg/betaalrun.conf:$n: onbekende sleutel 'kleur' in [betaling]\"" \
	--home "$cfg" status
BETAALRUN_KEY_PASS=x says 78 "missing key file" "error=\"sleutelbestand $tmp/geen.p12 bestaat niet\"" \
	--home "$home" run --month 2026-11 --key "$tmp/geen.p12"
BETAALRUN_KEY_PASS=geheim-3 says 65 "approver of another CA" \
	"het certificaat van goedkeurder CN=Buitenstaander,O=WerkSaam Westfriesland is niet uitgegeven door een vertrouwde CA" \
	--home "$home" approve "$run" --ja --key "$keys/vreemd.p12"
grep -qF "het moet herleiden tot een CA in het vertrouwensbestand $keys/ca.pem; er is niets getekend" "$tmp/err" \
	|| fail "approver of another CA: $(cat "$tmp/err")"
ok "settings file, key file, certificate: file:line and the problem in Dutch; exit 78, 78, 65"

# ---- quarantine -----------------------------------------------------------------------
# A home of its own, with the same settings and no register yet (a register
# not newer than the one in force would be refused as stale first).
qh=$tmp/quarantaine
"$BR" --home "$qh" init >/dev/null
cp "$home/betaalrun.conf" "$qh/betaalrun.conf"
# `quarantined FILE PROBLEM`: ingest exits 65, FILE's reason has exactly
# PROBLEM (a fixed prefix when it ends in '...') and the Dutch action.
quarantined() {
	local name=$1 want=$2 reason problem action rc
	set +e; "$BR" --home "$qh" ingest >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
	[ "$rc" = 65 ] || fail "$name: ingest exit $rc, want 65: $(cat "$tmp/err")"
	reason=$qh/quarantine/$name.reason
	[ -f "$reason" ] || fail "$name: not quarantined: $(ls "$qh/quarantine")"
	problem=$(sed -n 's/^problem: //p' "$reason")
	action=$(sed -n 's/^action: //p' "$reason")
	case "$want" in
	*...) [ "${problem#"${want%...}"}" != "$problem" ] || fail "$name: problem '$problem', want '$want'" ;;
	*) [ "$problem" = "$want" ] || fail "$name: problem '$problem', want '$want'" ;;
	esac
	[ "$action" = "verbeter het bestand (of vraag de leverancier om een verbeterde levering) en zet het weer in de inbox" ] \
		|| fail "$name: action '$action'"
	grep -q "^kind: gewoon bestand$" "$reason" || fail "$name: $(grep '^kind' "$reason")"
	grep -qF "msg=\"bestand in quarantaine\" file=$name " "$tmp/err" || fail "$name: no log line: $(cat "$tmp/err")"
	grep -qF "ingelezen 0, dubbel 0, quarantaine 1" "$tmp/out" || fail "$name: summary: $(cat "$tmp/out")"
	no_english "$name (problem)" "$problem"
	no_english "$name (action)" "$action"
	no_english "$name (stderr)" "$(cat "$tmp/err")"
}

# 111200208: 9+8+7+12+0+0+6+0-8 = 34, not a multiple of 11
cp tests/data/broken/register-bad-bsn.xml "$qh/inbox/"
quarantined register-bad-bsn.xml "Clientregister geweigerd: BSN *****0208 voldoet niet aan de elfproef (<BSN>, Dossier PW-0405-BAD002)"
cp tests/data/broken/income-bad-bsn.xml "$qh/inbox/"
quarantined income-bad-bsn.xml "Inkomstenlevering geweigerd: BSN *****0107 voldoet niet aan de elfproef (<BSN>, Inkomstenopgave P-BAD-BSN-2)"
cp tests/data/camt/refused-053-08-not-exact.xml "$qh/inbox/"
quarantined refused-053-08-not-exact.xml "afschrift (camt.053) geweigerd: <Amt> '10.005' is niet exact: cijfers na de tweede decimaal moeten nullen zijn (betaalrun boekt hele centen) (TxDtls op regel 45 van de boeking op regel 28)"
sed 's/NL91ABNA0417164300/NL20INGB0001234567/g' tests/data/camt/good-053-08-rabobank.xml >"$qh/inbox/ander-afschrift.xml"
quarantined ander-afschrift.xml "afschrift RABO-C053-20261201-091512-01 is van rekening ****4567, niet van de rekening waarvan betaalrun betaalt (betaalrun.conf [debiteur] iban): het is niet voor betaalrun; geef het aan wie die rekening beheert"
# libxml2 says what the schema refuses, in its words, after ours
cp tests/data/pain002/bad-10-credttm-offset.xml "$qh/inbox/"
quarantined bad-10-credttm-offset.xml "statusrapport (pain.002) geweigerd: Element 'CreDtTm': ..."
ok "quarantine: register, income, camt.053 (twice), pain.002 refused with a Dutch problem and action"

# ---- the commands -------------------------------------------------------------------
says 64 "jobs close without --door" "betaalrun jobs close: --door ontbreekt: geef de medewerker die de taak afrondt" \
	--home "$home" jobs close 1 --uitkomst GEEN_GEVOLGEN --toelichting "klaar"
head -n1 "$tmp/err" | grep -qx "betaalrun jobs close: --door ontbreekt: geef de medewerker die de taak afrondt" \
	&& grep -qx 'gebruik:' "$tmp/err" || fail "jobs close without --door: $(cat "$tmp/err")"
says 66 "specificatie of an unknown dossier" \
	"error=\"geen specificatie voor dossier PW-0405-999999 in 2026-11: de maand heeft geen voorbereide, goedgekeurde of vrijgegeven reguliere run met dat dossier\"" \
	--home "$home" specificatie PW-0405-999999 --month 2026-11
: >"$tmp/bestaat.db"
says 65 "backup onto an existing file" "error=\"backup: $tmp/bestaat.db bestaat al; geef --force om het te vervangen\"" \
	--home "$home" backup "$tmp/bestaat.db"
[ ! -s "$tmp/bestaat.db" ] || fail "the refused backup wrote the file"
ok "jobs close, specificatie, backup: refused in Dutch (64, 66, 65)"

# the detector itself: the English of before is caught
set +e
(no_english probe 'level=error msg=failed error="backup: /x exists; give --force to replace it"') 2>/dev/null
rc=$?
set -e
[ "$rc" != 0 ] || fail "no_english does not catch an English message"
ok "an English message would be caught"
