#!/usr/bin/env bash
# brgen --open-ended (make bench's history of 60 monthly runs): every
# dossier runs on, and nothing else changes.  The register is the default
# one without its dossiers' <Einddatum> lines, byte for byte, and still
# valid against the shipped schema; the income and signal files are
# identical; the same arguments give the same files twice.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

args=(--seed 11 --dossiers 3000 --income-records 600 --signals 40 --peildatum 2026-10-27
	--months 2026-09,2026-10)
"$BRGEN" "${args[@]}" --out "$tmp/plain" >/dev/null
"$BRGEN" "${args[@]}" --out "$tmp/again" >/dev/null
"$BRGEN" "${args[@]}" --open-ended --out "$tmp/open" >/dev/null
diff -r "$tmp/plain" "$tmp/again" >/dev/null || fail "the same arguments gave different files"

ended=$(grep -c '<Einddatum>' "$tmp/plain/register.xml" || true)
[ "$ended" -gt 0 ] || fail "the default register has no ended dossier, nothing to compare"
if grep -q '<Einddatum>' "$tmp/open/register.xml"; then
	fail "--open-ended left an Einddatum in the register"
fi
grep -v '<Einddatum>' "$tmp/plain/register.xml" | cmp -s - "$tmp/open/register.xml" \
	|| fail "--open-ended changed more of the register than its $ended Einddatum lines"
for f in inkomen-2026-09.xml inkomen-2026-10.xml signalen.xml; do
	cmp -s "$tmp/plain/$f" "$tmp/open/$f" || fail "--open-ended changed $f"
done
xmllint --noout --schema data/schemas/clientregister.xsd "$tmp/open/register.xml" 2>"$tmp/xsd" \
	|| fail "the open-ended register fails its schema: $(head -3 "$tmp/xsd")"
ok "--open-ended: the register without its $ended Einddatum lines, valid; income and signals unchanged"

# --open-ended and a peildatum years later (make bench's history ingests a
# register each month for five years): the same world, so the same
# dossiers with the same people and dates; only the header and the
# suspensions differ (they come and go, below), and with --accounts-changed
# the client accounts too.
late=(--seed 11 --dossiers 3000 --income-records 0 --signals 0 --open-ended --peildatum 2031-10-27)
"$BRGEN" "${late[@]}" --out "$tmp/late" >/dev/null
"$BRGEN" "${late[@]}" --accounts-changed 10 --out "$tmp/late-acc" >/dev/null
diff <(grep -v -e '<Clientregister ' -e '<Opschorting ' "$tmp/open/register.xml") \
	<(grep -v -e '<Clientregister ' -e '<Opschorting ' "$tmp/late/register.xml") \
	>/dev/null || fail "--open-ended: a register for 2031 is not the world of 2026"
diff <(grep -v '<IBAN>' "$tmp/late/register.xml") <(grep -v '<IBAN>' "$tmp/late-acc/register.xml") >/dev/null \
	|| fail "--open-ended --accounts-changed: a register for 2031 changed more than accounts"
moved=$(diff <(grep '<IBAN>' "$tmp/late/register.xml") <(grep '<IBAN>' "$tmp/late-acc/register.xml") | grep -c '^>' || true)
# 1% a month for 60 months: 1 - 0.99^60 = 45% of 3,000 have moved at least once
[ "$moved" -ge 1200 ] && [ "$moved" -le 1500 ] || fail "--accounts-changed 10 over 60 months moved $moved accounts"
ok "--open-ended: a register for 2031 is the same world, $moved client accounts moved in 60 months"

# --open-ended suspensions come and go (brgen suspension_over_time): each
# lasts 31 to 92 days, and about 2 of every 1,000 dossiers are newly
# suspended each month, so a register holds about as many as the
# reference one (5 per 1,000: 15 of 3,000), none older than 92 days.
# opschortingen FILE: "DOSSIERNUMMER VANAF" per suspension
opschortingen() {
	awk '/<Dossiernummer>/ { gsub(/.*<Dossiernummer>|<\/Dossiernummer>.*/, ""); d = $0 }
	     /<Opschorting / { match($0, /vanaf="[0-9-]*"/); print d, substr($0, RSTART + 7, 10) }' "$1"
}
ref=$(opschortingen "$tmp/open/register.xml" | wc -l)
[ "$ref" -ge 5 ] && [ "$ref" -le 30 ] || fail "the reference register has $ref suspensions, not about 15"
for p in 2026-12-27 2028-06-27 2031-10-27; do
	[ -f "$tmp/s-$p/register.xml" ] || "$BRGEN" --seed 11 --dossiers 3000 --income-records 0 --signals 0 \
		--open-ended --peildatum "$p" --out "$tmp/s-$p" >/dev/null
	n=$(opschortingen "$tmp/s-$p/register.xml" | wc -l)
	[ "$n" -ge 3 ] && [ "$n" -le 30 ] || fail "--open-ended: $n suspensions on $p, not about 12"
	peil=$(date -d "$p" +%s)
	while read -r d v; do
		age=$(( (peil - $(date -d "$v" +%s)) / 86400 ))
		[ "$age" -ge 0 ] && [ "$age" -lt 92 ] || fail "--open-ended: $d suspended since $v, $age days on $p"
	done < <(opschortingen "$tmp/s-$p/register.xml")
done
# the 2028 ones are gone by 2031 (and by the age check, every one of 2026)
comm -12 <(opschortingen "$tmp/s-2028-06-27/register.xml" | sort) \
	<(opschortingen "$tmp/s-2031-10-27/register.xml" | sort) | grep -q . \
	&& fail "--open-ended: a suspension of 2028 is still there in 2031"
ok "--open-ended: $ref suspensions in the reference register; later ones last under 92 days, $n on 2031-10-27"

# brgen --accounts-changed N (make bench's next month): registers before
# 2026-11 are the default ones; from 2026-11 on, only client accounts
# differ from the default register of the same peildatum, about N of every
# 1,000 dossiers a month, each still a valid account.  Ingested month by
# month, betaalrun writes a new stand for exactly the dossiers whose
# account changed (snapshot.h: an unchanged dossier is not written) and
# finds no record problem.
acc=(--seed 11 --dossiers 3000 --signals 0 --income-records 0 --accounts-changed 30)
"$BRGEN" "${acc[@]}" --peildatum 2026-10-27 --out "$tmp/a10" >/dev/null
cmp -s "$tmp/plain/register.xml" "$tmp/a10/register.xml" \
	|| fail "--accounts-changed changed a register from before 2026-11"
ibans() { grep -A1 '<Betaalrekening>' "$1" | grep '<IBAN>'; }
prev=$tmp/a10/register.xml
"$BR" --home "$tmp/h" init >/dev/null
cp "$prev" "$tmp/h/inbox/"
"$BR" --home "$tmp/h" ingest >/dev/null 2>&1 || fail "ingest of the October register"
for m in 11 12; do
	"$BRGEN" "${acc[@]}" --peildatum 2026-$m-27 --out "$tmp/a$m" >/dev/null
	"$BRGEN" --seed 11 --dossiers 3000 --signals 0 --income-records 0 --peildatum 2026-$m-27 --out "$tmp/p$m" >/dev/null
	# nothing but client IBAN lines differs from the default register
	diff <(grep -v '<IBAN>' "$tmp/p$m/register.xml") <(grep -v '<IBAN>' "$tmp/a$m/register.xml") >/dev/null \
		|| fail "--accounts-changed changed more than accounts in 2026-$m"
	diff <(grep -B1 '<IBAN>' "$tmp/p$m/register.xml" | grep -v '<Betaalrekening>\|<IBAN>\|^--') \
		<(grep -B1 '<IBAN>' "$tmp/a$m/register.xml" | grep -v '<Betaalrekening>\|<IBAN>\|^--') >/dev/null \
		|| fail "--accounts-changed changed a third party's account in 2026-$m"
	moved=$(diff <(ibans "$prev") <(ibans "$tmp/a$m/register.xml") | grep -c '^>' || true)
	# 3% of 3,000 is 90; five standard deviations either way
	[ "$moved" -ge 45 ] && [ "$moved" -le 135 ] || fail "2026-$m: $moved accounts changed, expected about 90"
	cp "$tmp/a$m/register.xml" "$tmp/h/inbox/register-$m.xml"
	"$BR" --home "$tmp/h" ingest >/dev/null 2>&1 || fail "ingest of the 2026-$m register"
	got=$(count "$tmp/h" "SELECT count(*) FROM stand WHERE vanaf = '2026-$m-01'")
	[ "$got" = "$moved" ] || fail "2026-$m: $got new stands for $moved changed accounts"
	prev=$tmp/a$m/register.xml
done
[ "$(count "$tmp/h" "SELECT sum(gemarkeerd) FROM snapshot")" = 0 ] \
	|| fail "a changed account has a record problem (not a valid IBAN?)"
[ "$(count "$tmp/h" "SELECT count(*) FROM dossier WHERE laatste_snapshot <> 1")" = 0 ] \
	|| fail "a snapshot rewrote a dossier row whose values did not change"
ok "--accounts-changed: only client accounts move, ~3% a month, valid; one new stand for each"
