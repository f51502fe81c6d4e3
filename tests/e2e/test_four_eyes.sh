#!/usr/bin/env bash
# Four-eyes (issue 10): one check for approve, release and verify.  Two
# valid signatures, both chained to `vertrouwen`, by two different people
# (compared as certificates and X.509 names, never as printed text), and
# exactly the preparer's and approver's certificates the run recorded.
#   - a case-variant subject (CN=PREPARER after CN=Preparer): refused, 77
#   - the preparer's own certificate: refused, 77; twice in a file: 77
#   - an approver from a CA outside `vertrouwen`: refused, 65, nothing recorded
#   - a signature file replaced after approval by two other trusted people:
#     release and verify refuse, 65, naming the mismatch
#   - approve killed at random moments: the real approver's approve then
#     succeeds, and release works; the states a kill can leave, made by hand
#   - verify of a good file passes
# Keys and certificates are generated here with openssl; none is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
KILLS=${KILLS:-8}
keys=$tmp/keys
mkdir -p "$keys"

# a trusted CA and its people; a second CA that is not in vertrouwen
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca.key" -out "$keys/ca.pem" -days 3650 -subj "/CN=Test CA betaalrun"
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/ca2.key" -out "$keys/ca2.pem" -days 3650 -subj "/CN=Ander CA"
person() { # stem CA subject
	ossl req -newkey rsa:2048 -nodes -keyout "$keys/$1.key" -out "$keys/$1.csr" -subj "$3"
	ossl x509 -req -in "$keys/$1.csr" -CA "$keys/$2.pem" -CAkey "$keys/$2.key" -CAcreateserial -out "$keys/$1.pem" -days 365
	cat "$keys/$1.key" "$keys/$1.pem" >"$keys/$1.bundle"
}
person Preparer ca "/O=WerkSaam Westfriesland/CN=Preparer"
person PREPARER ca "/O=WerkSaam Westfriesland/CN=PREPARER"
person Approver ca "/O=WerkSaam Westfriesland/CN=Approver"
person Approver2 ca "/O=WerkSaam Westfriesland/CN=Tweede Fiatteur"
person Derde ca "/O=WerkSaam Westfriesland/CN=Derde"
person Outsider ca2 "/O=WerkSaam Westfriesland/CN=Buitenstaander"
ossl pkcs12 -export -inkey "$keys/Preparer.key" -in "$keys/Preparer.pem" -out "$keys/prep.p12" -passout pass:geheim-1
fp() { openssl x509 -noout -fingerprint -sha256 -in "$keys/$1.pem" | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'; }

# the samples, ingested once; the November run prepared once
base=$tmp/base
"$BR" --home "$base" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $keys/ca.pem|" \
	"$base/betaalrun.conf"
cp samples/register-*.xml "$base/inbox/"; "$BR" --home "$base" ingest >/dev/null 2>&1
cp samples/inkomen-*.xml* samples/signalen-*.xml "$base/inbox/"; "$BR" --home "$base" ingest >/dev/null 2>&1
export BETAALRUN_NOW=2026-11-20T09:00:00
BETAALRUN_KEY_PASS=geheim-1 "$BR" --home "$base" run --month 2026-11 --key "$keys/prep.p12" >"$tmp/run.out" 2>"$tmp/err" \
	|| fail "run: $(cat "$tmp/err")"
run=$(head -n1 "$tmp/run.out")
rel=out/2026-11/$run/pain.001.xml
prep_sig=$(sha256sum "$base/$rel.p7s" | cut -c1-64)

# `expect CODE LABEL HOME COMMAND...`: betaalrun's exit status, stderr in $tmp/err
expect() {
	local want=$1 label=$2 home=$3 got
	shift 3
	set +e
	"$BR" --home "$home" "$@" >"$tmp/out" 2>"$tmp/err" 3</dev/null
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "$label: exit $got, expected $want: $(cat "$tmp/err")"
}
approve() { expect "$1" "$2" "$3" approve "$run" --ja --key "$keys/$4.bundle" --pass-fd 3; }
# a copy of the prepared home (the run records its folder as an absolute path)
fresh() {
	rm -rf "$tmp/$1"; cp -a "$base" "$tmp/$1"
	sqlite3 "$tmp/$1/betaalrun.db" "UPDATE run SET map = '$tmp/$1' || substr(map, length('$base') + 1)"
	echo "$tmp/$1"
}
col() { count "$1" "SELECT coalesce($2, 'NULL') FROM run WHERE msg_id = '$run'"; }
# nothing recorded, the preparer's signature file as prepare left it
untouched() {
	[ "$(col "$1" status) $(col "$1" goedkeurder) $(col "$1" goedkeurder_sha256)" = "PREPARED NULL NULL" ] \
		|| fail "$2: the run changed: $(col "$1" status) $(col "$1" goedkeurder)"
	[ "$(sha256sum "$1/$rel.p7s" | cut -c1-64)" = "$prep_sig" ] || fail "$2: the preparer's signature file changed"
	[ ! -e "$1/$rel.p7s.goedkeuring" ] || fail "$2: an approval was left beside the signature file"
}

# ---- the same person -----------------------------------------------------------
h=$(fresh same)
approve 77 "approval by CN=PREPARER after CN=Preparer" "$h" PREPARER
grep -q "vier-ogenregel: goedkeurder CN=PREPARER.* is dezelfde persoon als voorbereider CN=Preparer" "$tmp/err" \
	&& grep -q "(dezelfde naam (subject))" "$tmp/err" \
	|| fail "the case-variant refusal does not say why: $(cat "$tmp/err")"
untouched "$h" "CN=PREPARER"
BETAALRUN_KEY_PASS=geheim-1 expect 77 "approval with the preparer's own certificate" "$h" approve "$run" --ja --key "$keys/prep.p12"
grep -q "(hetzelfde certificaat)" "$tmp/err" || fail "no reason: $(cat "$tmp/err")"
untouched "$h" "the preparer's certificate"
# recorded: the preparer and the real approver; then files the four-eyes
# check must refuse whatever the record says
approve 0 "the real approver" "$h" Approver
f=$h/$rel
ossl cms -sign -binary -md sha256 -outform DER -in "$f" -signer "$keys/Preparer.pem" -inkey "$keys/Preparer.key" \
	-signer "$keys/PREPARER.pem" -inkey "$keys/PREPARER.key" -out "$f.p7s"
openssl cms -verify -binary -inform DER -in "$f.p7s" -content "$f" -CAfile "$keys/ca.pem" -purpose any \
	-out /dev/null 2>/dev/null || fail "openssl rejects the case-variant pair (the test is wrong)"
expect 77 "verify of CN=Preparer + CN=PREPARER" "$h" verify "$f"
grep -q "vier-ogenregel geschonden: beide handtekeningen in .* zijn van dezelfde persoon" "$tmp/err" \
	&& grep -q "dezelfde naam (subject)" "$tmp/err" || fail "verify: $(cat "$tmp/err")"
expect 77 "release of CN=Preparer + CN=PREPARER" "$h" release "$run"
# the preparer's certificate twice (two SignerInfos, one certificate)
ossl cms -sign -binary -md sha256 -outform DER -in "$f" -signer "$keys/Preparer.pem" -inkey "$keys/Preparer.key" -out "$tmp/p1.p7s"
ossl cms -resign -binary -inform DER -outform DER -in "$tmp/p1.p7s" -signer "$keys/Preparer.pem" -inkey "$keys/Preparer.key" \
	-md sha256 -nocerts -out "$f.p7s"
n=$(openssl cms -cmsout -print -inform DER -in "$f.p7s" 2>/dev/null | grep -c 'signatureAlgorithm' || true)
[ "$n" -ge 2 ] || fail "openssl made no file with the preparer's certificate twice ($n signers)"
expect 77 "release of a file signed twice by the preparer's certificate" "$h" release "$run"
expect 77 "verify of a file signed twice by the preparer's certificate" "$h" verify "$f"
grep -q "hetzelfde certificaat" "$tmp/err" || fail "verify: $(cat "$tmp/err")"
[ "$(col "$h" status)" = APPROVED ] && [ ! -e "$h/outbox/$run.xml" ] || fail "a refused release changed something"
ok "the same person: CN=PREPARER and the preparer's own certificate refused by approve (77), nothing recorded; CN=Preparer + CN=PREPARER, or one certificate twice, in a file: verify and release 77"

# ---- an approver the trust file does not know ----------------------------------
h=$(fresh outsider)
approve 65 "approval by a certificate of another CA" "$h" Outsider
grep -q "het certificaat van goedkeurder CN=Buitenstaander.* is niet uitgegeven door een vertrouwde CA" "$tmp/err" \
	|| fail "the untrusted approver's refusal does not say why: $(cat "$tmp/err")"
untouched "$h" "untrusted approver"
approve 0 "the real approver after the outsider" "$h" Approver
ok "an approver outside vertrouwen is refused (65) before signing: nothing recorded, the file untouched"

# ---- replaced after approval ------------------------------------------------------
h=$(fresh replaced)
f=$h/$rel
approve 0 "approve" "$h" Approver
[ "$(col "$h" voorbereider_sha256)" = "$(fp Preparer)" ] && [ "$(col "$h" goedkeurder_sha256)" = "$(fp Approver)" ] \
	|| fail "the certificates recorded are not the signers': $(col "$h" voorbereider_sha256) $(col "$h" goedkeurder_sha256)"
[ ! -e "$f.p7s.goedkeuring" ] || fail "the approval was not put in place"
expect 0 "verify of the approved file" "$h" verify "$f"
ossl cms -sign -binary -md sha256 -outform DER -in "$f" -signer "$keys/Approver2.pem" -inkey "$keys/Approver2.key" \
	-signer "$keys/Derde.pem" -inkey "$keys/Derde.key" -out "$f.p7s"
openssl cms -verify -binary -inform DER -in "$f.p7s" -content "$f" -CAfile "$keys/ca.pem" -purpose any -out /dev/null \
	2>/dev/null || fail "openssl rejects the replacement (the test is wrong)"
expect 65 "verify of a signature file replaced by two other trusted people" "$h" verify "$f"
grep -q "de voorbereider die de run vastlegde, CN=Preparer.*, heeft .* niet ondertekend" "$tmp/err" && grep -q "CN=Tweede Fiatteur" "$tmp/err" \
	&& grep -q "CN=Derde" "$tmp/err" || fail "verify does not name the mismatch: $(cat "$tmp/err")"
expect 65 "release of a signature file replaced by two other trusted people" "$h" release "$run"
grep -q "de voorbereider die de run vastlegde, CN=Preparer.*, heeft .* niet ondertekend" "$tmp/err" || fail "release: $(cat "$tmp/err")"
[ "$(col "$h" status)" = APPROVED ] && [ ! -e "$h/outbox/$run.xml" ] || fail "a refused release changed something"
# the approver's signature replaced, the preparer's kept
ossl cms -sign -binary -md sha256 -outform DER -in "$f" -signer "$keys/Preparer.pem" -inkey "$keys/Preparer.key" \
	-signer "$keys/Derde.pem" -inkey "$keys/Derde.key" -out "$f.p7s"
expect 65 "release with the approver's signature replaced" "$h" release "$run"
grep -q "de goedkeurder die de run vastlegde, CN=Approver.*, heeft .* niet ondertekend" "$tmp/err" || fail "release: $(cat "$tmp/err")"
expect 65 "verify with the approver's signature replaced" "$h" verify "$f"
ok "a signature file replaced after approval (two other trusted people, or another approver): release and verify refuse (65) and name it"

# ---- approve interrupted --------------------------------------------------------
# the states a kill can leave, made by hand:
# (a) before the commit: the run PREPARED, an approval beside the file;
#     anyone may approve, the stale one is overwritten
h=$(fresh stale); f=$h/$rel
approve 0 "approve" "$h" Approver
cp "$f.p7s" "$tmp/approved.p7s"
cp -a "$base/$rel.p7s" "$f.p7s"; cp "$tmp/approved.p7s" "$f.p7s.goedkeuring"
sqlite3 "$h/betaalrun.db" "UPDATE run SET status = 'PREPARED', goedkeurder = NULL, goedkeurder_sha256 = NULL,
	voorbereider_sha256 = NULL, goedgekeurd = NULL WHERE msg_id = '$run'"
approve 0 "another approver after a kill before the commit" "$h" Approver2
[ "$(col "$h" goedkeurder_sha256)" = "$(fp Approver2)" ] && [ ! -e "$f.p7s.goedkeuring" ] || fail "(a): not Approver2's approval"
expect 0 "release after (a)" "$h" release "$run"
expect 0 "verify after (a)" "$h" verify "$f"
grep -q "CN=Tweede Fiatteur" "$tmp/out" || fail "(a): verify does not name the approver"
# (b) after the commit: APPROVED, the approval not yet in place; the
#     recorded approver's approve, or release, puts it in place
for finish in approve release; do
	h=$(fresh "committed-$finish"); f=$h/$rel
	approve 0 "approve" "$h" Approver
	mv "$f.p7s" "$f.p7s.goedkeuring"; cp -a "$base/$rel.p7s" "$f.p7s"
	expect 65 "verify with the approval not in place" "$h" verify "$f"
	grep -q "de goedkeurder heeft niet getekend (vier ogen)" "$tmp/err" || fail "(b) verify: $(cat "$tmp/err")"
	if [ "$finish" = approve ]; then
		approve 65 "another approver of an approved run" "$h" Approver2
		grep -q "is APPROVED" "$tmp/err" || fail "(b): $(cat "$tmp/err")"
		approve 0 "the recorded approver after a kill after the commit" "$h" Approver
	fi
	expect 0 "release after (b, $finish)" "$h" release "$run"
	[ ! -e "$f.p7s.goedkeuring" ] || fail "(b, $finish): the approval was not put in place"
	cmp -s "$f.p7s" "$h/outbox/$run.xml.p7s" || fail "(b, $finish): outbox signature"
	openssl cms -verify -binary -inform DER -in "$h/outbox/$run.xml.p7s" -content "$h/outbox/$run.xml" \
		-CAfile "$keys/ca.pem" -purpose any -out /dev/null 2>/dev/null || fail "(b, $finish): openssl rejects the outbox"
done
# (c) the state of issue 10 (6): the approval written into the .p7s, not
#     recorded (as a killed approve of an earlier version left it)
h=$(fresh legacy); f=$h/$rel
ossl cms -resign -binary -inform DER -outform DER -in "$f.p7s" -signer "$keys/Approver.pem" -inkey "$keys/Approver.key" \
	-md sha256 -out "$tmp/legacy.p7s"
cp "$tmp/legacy.p7s" "$f.p7s"
expect 65 "verify of an approval the run did not record" "$h" verify "$f"
grep -q "geen goedkeuring vastgelegd (status PREPARED)" "$tmp/err" || fail "(c) verify: $(cat "$tmp/err")"
approve 65 "someone else over an unrecorded approval" "$h" Approver2
grep -q "er staat al een handtekening van CN=Approver.* die geen door de run vastgelegde goedkeuring is" "$tmp/err" \
	|| fail "(c): $(cat "$tmp/err")"
approve 0 "the real approver over its own unrecorded approval" "$h" Approver
grep -q "stond al in het bestand" "$tmp/err" || fail "(c): resuming is not said: $(cat "$tmp/err")"
expect 0 "release after (c)" "$h" release "$run"
ok "approve interrupted, by hand: before the commit anyone approves; after it the recorded approver or release finishes; the old unrecorded approval is resumed by its approver only"

# kill -9 at random moments, then the real approver's approve succeeds
h=$(fresh timing)
t0=$(date +%s%N); approve 0 "approve (timing)" "$h" Approver; t1=$(date +%s%N)
appr_ms=$(( (t1 - t0) / 1000000 ))
RANDOM=1010; kills=0; rounds=0; seen=""
while [ "$kills" -lt "$KILLS" ]; do
	rounds=$((rounds + 1))
	[ "$rounds" -le $((KILLS * 20)) ] || fail "only $kills of $rounds approvals could be killed"
	h=$(fresh k); f=$h/$rel
	"$BR" --home "$h" approve "$run" --ja --key "$keys/Approver.bundle" --pass-fd 3 3</dev/null >/dev/null 2>&1 &
	# within the first three quarters of what approve took: most tries hit
	pid=$!; d=$(( RANDOM % (appr_ms * 3 / 4 + 1) ))
	sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null || true
	st=$(col "$h" status); [ -e "$f.p7s.goedkeuring" ] && st="$st+pending"
	case " $seen " in *" $st "*) ;; *) seen="$seen $st" ;; esac
	# never an approval in place that is not recorded, nor one recorded that is lost
	case $st in
	PREPARED*) [ "$(sha256sum "$f.p7s" | cut -c1-64)" = "$prep_sig" ] || fail "kill: PREPARED, but the .p7s changed" ;;
	APPROVED) [ "$(openssl cms -cmsout -print -inform DER -in "$f.p7s" | grep -c signatureAlgorithm)" -ge 2 ] \
		|| fail "kill: APPROVED without the approval in place or beside it" ;;
	esac
	approve 0 "the real approver after a kill ($st)" "$h" Approver
	[ "$(col "$h" goedkeurder_sha256)" = "$(fp Approver)" ] || fail "kill ($st): approver not recorded"
	expect 0 "release after a kill ($st)" "$h" release "$run"
	openssl cms -verify -binary -inform DER -in "$h/outbox/$run.xml.p7s" -content "$h/outbox/$run.xml" \
		-CAfile "$keys/ca.pem" -purpose any -out /dev/null 2>/dev/null || fail "kill ($st): openssl rejects the outbox"
done
ok "$kills kills -9 during approve ($rounds tries, approve takes ${appr_ms} ms; states seen:$seen): the real approver's approve then succeeds, release works"

# ---- a good file --------------------------------------------------------------
h=$(fresh good); f=$h/$rel
approve 0 "approve" "$h" Approver
approve 0 "approve again by the same certificate" "$h" Approver
expect 0 "verify of a good file" "$h" verify "$f"
grep -q "^geverifieerd: " "$tmp/out" && grep -q "^voorbereider  CN=Preparer" "$tmp/out" && grep -q "^goedkeurder   CN=Approver" "$tmp/out" \
	|| fail "verify output: $(cat "$tmp/out")"
grep -q "certificaat sha256 $(fp Approver)" "$tmp/out" || fail "verify does not show the approver's certificate"
expect 0 "release" "$h" release "$run"
expect 0 "verify of the released file in the outbox" "$h" verify "$h/outbox/$run.xml"
ok "a good file: verify passes and names preparer and approver; approving again with the same certificate is a no-op; release"
