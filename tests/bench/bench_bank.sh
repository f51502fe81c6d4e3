#!/usr/bin/env bash
# make bench, bank files: "a status report and a statement with 500,000
# entries each, processed in at most 2x `xmllint --stream --schema` of the
# same file, measured in the same run".
#
# Builds a store with one released run of DOSSIERS (500,000) client
# payments without a real payment run (a register ingested, then the run
# and its payments written with sqlite3), generates the bank's answer with
# tests/bench/gen_bank.awk:
#   pain.002.001.10  one TxInfAndSts per payment, ACSC, 1% RJCT (AC04/AM04)
#   camt.053.001.08  DOSSIERS entries: the batch debits, 1,000 returns (MD07),
#                    the rest other entries of the account
# (a sample of each, N=50, is validated with `xmllint --schema` first), and
# measures, alternately over BENCH_ROUNDS (2) rounds, on the same files:
#   baseline  xmllint --stream --noout --schema <official xsd> FILE
#   betaalrun ingest of FILE into a fresh copy of the prepared store
# The status report goes into the store with the released run; the
# statement into the store as the first status report left it (status
# report first, statement later, as at a bank), so its returns of payments
# already rejected are booked back once, not twice.
# Prints wall, CPU, peak RSS per round, the best round of each, the ratio
# (goal <= 2.0) and a check of what the store booked.
#
#   DOSSIERS=20000 BATCH_SIZE=4000 BENCH_ROUNDS=1 bash tests/bench/bench_bank.sh   # quick
# Without DOSSIERS, the largest of BENCH_SIZES (as for the rest of make
# bench), else 500,000.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
DOSSIERS=${DOSSIERS:-$(printf '%s\n' ${BENCH_SIZES:-500000} | sort -n | tail -n 1)}
BATCH_SIZE=${BATCH_SIZE:-100000}   # max_per_batch: 5 batches of 100,000
RETURNS=${RETURNS:-1000}
ROUNDS=${BENCH_ROUNDS:-2}
out=${BENCH_OUT:-bench-out}/bank
MSGID="BR-202611-0001"
EXEC=2026-11-24
IBAN=NL91ABNA0417164300
XSD_PAIN=data/schemas/iso20022/pain.002.001.10.xsd
XSD_CAMT=data/schemas/iso20022/camt.053.001.08.xsd
GEN=tests/bench/gen_bank.awk
BENCH_LOG=$out
rm -rf "$out"; mkdir -p "$out/drop"

# label command...: prints "wall_s peak_kb cpu_s others_cpu_s" (lib.sh's
# bench_run; the command's stderr in $out/LABEL.err); a failure prints "FAIL rc".
measure() {
	if bench_run "$@"; then echo "$B_WALL $B_RSS_KB $B_CPU $B_OTHERS"; else echo "FAIL $B_RC"; fi
}

q() { sqlite3 -batch -noheader "$1" "$2"; }

# ---- 1. the store: a register and one released run --------------------------------
echo "preparing a store with a released run of $DOSSIERS payments..."
t_prep=$(date +%s)
"$BRGEN" --seed 7 --dossiers "$DOSSIERS" --income-records 0 --signals 0 --peildatum 2026-11-27 \
	--out "$out/drop" >/dev/null
base=$out/base
"$BR" --home "$base" init >/dev/null
sed -i "s/^iban *=.*/iban = $IBAN/" "$base/betaalrun.conf"
grep -q "^iban = $IBAN" "$base/betaalrun.conf" || { echo "could not set [debiteur] iban" >&2; exit 1; }
cp "$out/drop/register.xml" "$base/inbox/"
"$BR" --home "$base" ingest >"$out/register.out" 2>"$out/register.err" || {
	echo "ingest of the register failed:" >&2; cat "$out/register.err" >&2; exit 1; }
db=$base/betaalrun.db
q "$db" "
BEGIN;
INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum, startmaand, regels_sha256,
                 pain_versie, map, sha256, sha1, voorbereider, goedkeurder, goedgekeurd, vrijgegeven)
VALUES (1, '$MSGID', '2026-11', 0, 'RELEASED', '2026-11-20T10:00:00', '$EXEC', '2026-11',
        '$(printf '%064d' 0 | tr 0 a)', '001.001.09', 'out/$MSGID', '$(printf '%064d' 0 | tr 0 b)',
        '$(printf '%040d' 0 | tr 0 c)', 'bench', 'bench-goedkeurder', '2026-11-20T11:00:00', '2026-11-20T12:00:00');
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k
                        WHERE n * $BATCH_SIZE < (SELECT count(*) FROM dossier))
INSERT INTO batch (id, run, soort, pmtinf_id) SELECT n, 1, 'CLIENT', printf('$MSGID-K%d', n) FROM k;
INSERT INTO betaling (id, run, dossier, soort, end_to_end_id, batch, bedrag_cents, iban, bic, naam, omschrijving)
SELECT seq, 1, id, 'CLIENT', printf('BR1-%06d', seq), (seq - 1) / $BATCH_SIZE + 1,
       50000 + seq % 99991, iban, bic, naam, printf('Uitkering %s 2026-11 dossier %s', regeling, nummer)
FROM (SELECT row_number() OVER (ORDER BY d.id) AS seq, d.id, d.regeling, d.nummer, s.iban, s.bic,
             s.tenaamstelling AS naam
      FROM dossier d JOIN stand s ON s.dossier = d.id
      WHERE s.vanaf = (SELECT max(vanaf) FROM stand WHERE dossier = d.id));
UPDATE run SET aantal = (SELECT count(*) FROM betaling WHERE run = 1),
               totaal_cents = (SELECT sum(bedrag_cents) FROM betaling WHERE run = 1) WHERE id = 1;
COMMIT;"
n_pay=$(q "$db" "SELECT count(*) FROM betaling")
n_batch=$(q "$db" "SELECT count(*) FROM batch")
[ "$n_pay" = "$DOSSIERS" ] || echo "note: $n_pay payments for $DOSSIERS dossiers"
# what the generator needs, from the store: the batches' sums and the payments
q "$db" "SELECT p.pmtinf_id, count(*), sum(b.bedrag_cents) FROM betaling b JOIN batch p ON p.id = b.batch
         GROUP BY p.id ORDER BY min(b.id)" | tr '|' '\t' >"$out/batches.tsv"
sqlite3 -batch -noheader -separator $'\t' "$db" "SELECT b.id, b.end_to_end_id, p.pmtinf_id, b.bedrag_cents, b.iban,
         replace(replace(b.naam, char(9), ' '), char(10), ' '), b.omschrijving FROM betaling b
         JOIN batch p ON p.id = b.batch ORDER BY b.id" \
	>"$out/payments.tsv"
echo "  $n_pay payments in $n_batch batches, store ready in $(( $(date +%s) - t_prep )) s"

# ---- 2. the bank's files ---------------------------------------------------------------
gen() { # kind n out summary [awk -v ...]: the first n payments' files
	local kind=$1 n=$2 o=$3 s=$4; shift 4
	local bt=$out/batches-$n.tsv pt=$out/payments-$n.tsv
	if [ "$n" = "$n_pay" ]; then bt=$out/batches.tsv pt=$out/payments.tsv
	else
		head -n "$n" "$out/payments.tsv" >"$pt"
		awk -F '\t' -v OFS='\t' '{ c[$3]++; s[$3] += $4; if (!($3 in o)) { o[$3] = ++k; id[k] = $3 } }
			END { for (i = 1; i <= k; i++) printf "%s\t%d\t%.0f\n", id[i], c[id[i]], s[id[i]] }' \
			"$pt" >"$bt"
	fi
	if [ "$kind" = pain002 ]; then
		awk -f "$GEN" -v kind=pain002 -v msgid="$MSGID" -v exec="$EXEC" -v summary="$s" "$@" \
			"$bt" "$pt" "$pt" >"$o"
	else
		awk -f "$GEN" -v kind=camt053 -v msgid="$MSGID" -v exec="$EXEC" -v iban="$IBAN" \
			-v returns="$RETURNS" -v summary="$s" "$@" "$bt" "$pt" >"$o"
	fi
}
echo "validating a sample of each generated file with xmllint --schema..."
gen pain002 50 "$out/sample-pain002.xml" "$out/sample-pain002.sum" -v rjct_every=10
gen camt053 50 "$out/sample-camt053.xml" "$out/sample-camt053.sum"
xmllint --noout --schema "$XSD_PAIN" "$out/sample-pain002.xml"
xmllint --noout --schema "$XSD_CAMT" "$out/sample-camt053.xml"

echo "generating the status report and the statement ($n_pay entries each)..."
t_gen=$(date +%s)
pain=$out/drop/pain002-$MSGID.xml
camt=$out/drop/camt053-$IBAN-$EXEC.xml
gen pain002 "$n_pay" "$pain" "$out/pain002.sum"
gen camt053 "$n_pay" "$camt" "$out/camt053.sum"
echo "  done in $(( $(date +%s) - t_gen )) s"
val() { tr " " "\n" <"$2" | sed -n "s/^$1=//p"; }
rjct=$(val rjct "$out/pain002.sum")
returns=$(val returns "$out/camt053.sum")
returns_rjct=$(val returns_of_rjct "$out/camt053.sum")
entries=$(val entries "$out/camt053.sum")
batches=$(val batches "$out/camt053.sum")
echo "  status report: $(val txs "$out/pain002.sum") transactions, $rjct RJCT (grep: $(grep -c '<TxSts>RJCT' "$pain"))"
echo "  statement: $entries entries: $batches batch debits, $returns returns ($returns_rjct of them rejected" \
	"in the status report), $((entries - batches - returns)) other entries of the account"

# ---- 3. the rounds ---------------------------------------------------------------------
fresh() { # from to: a copy of a prepared home
	rm -rf "$2"; cp -a "$1" "$2"
}
ingest() { # label prepared file: ingest FILE into a fresh copy; prints measure's line
	local label=$1 prep=$2 f=$3 home=$out/home-$1
	fresh "$prep" "$home"
	ln "$f" "$home/inbox/" 2>/dev/null || cp "$f" "$home/inbox/"
	measure "$label" "$BR" --home "$home" ingest
}
mismatch=0
check_pain() { # home: prints the check; 1 when it does not add up
	local db=$1/betaalrun.db tb acsc st
	tb=$(q "$db" "SELECT count(*) FROM terugboeking WHERE bron = 'pain002'")
	acsc=$(q "$db" "SELECT count(*) FROM betaling WHERE status = 'ACSC'")
	st=$(q "$db" "SELECT count(*) FROM bankstatus")
	if [ "$tb" = "$rjct" ] && [ "$acsc" = $((n_pay - rjct)) ]; then
		echo "check pain.002: $tb payments booked back (= $rjct RJCT), $acsc settled (ACSC), $st status lines stored: ok"
	else
		echo "MISMATCH pain.002: $tb payments booked back, expected $rjct (RJCT lines); $acsc settled," \
			"expected $((n_pay - rjct)); $st status lines stored   <<<<<<<<<< MISMATCH"
		return 1
	fi
}
check_camt() { # home expected_returns_booked
	local db=$1/betaalrun.db want=$2 deb ret posts unk
	deb=$(q "$db" "SELECT count(*) FROM afschrijving")
	ret=$(q "$db" "SELECT count(*) FROM terugboeking WHERE bron = 'camt'")
	posts=$(q "$db" "SELECT count(*) FROM bankpost")
	unk=$(q "$db" "SELECT count(*) FROM bankpost WHERE onbekend = 1")
	if [ "$deb" = "$batches" ] && [ "$ret" = "$want" ] && [ "$posts" = $((batches + returns)) ] && [ "$unk" = 0 ]; then
		echo "check camt.053: $deb batches debited (= $batches), $ret returns booked back (= $returns returns" \
			"- $((returns - want)) already rejected), $posts entries stored as betaalrun's: ok"
	else
		echo "MISMATCH camt.053: $deb batches debited, expected $batches; $ret returns booked back, expected $want;" \
			"$posts entries stored, expected $((batches + returns)); $unk unmatched   <<<<<<<<<< MISMATCH"
		return 1
	fi
}

declare -A best
better() { # key line: keep the line with the lowest wall time under key
	local key=$1 line=$2
	case "$line" in FAIL*) return 0 ;; esac
	if [ -z "${best[$key]:-}" ] || [ "$(echo "${line%% *} < ${best[$key]%% *}" | bc)" = 1 ]; then best[$key]=$line; fi
}
row() { # round label line
	local r=$1 l=$2 w rss c o
	case "$3" in
	FAIL*) printf '%-6s %-36s %10s\n' "$r" "$l" "${3}" ;;
	*) read -r w rss c o <<<"$3"
	   printf '%-6s %-36s %10s %12s %8s %14s\n' "$r" "$l" "$w" "$((rss / 1024))" "$c" "$o" ;;
	esac
}
failed() { # label: the first lines of what the command said
	echo "  $1 failed; its stderr:"; head -c 2000 "$out/$1.err" | sed 's/^/    /'
}

after_pain=$base          # the store the statement goes into: the status report's, once there is one
want_ret=$returns
printf '\n%-6s %-36s %10s %12s %8s %14s\n' round "" "wall (s)" "peak RSS (MB)" "CPU (s)" "others' CPU (s)"
for round in $(seq 1 "$ROUNDS"); do
	l=$(measure xmllint-pain xmllint --stream --noout --schema "$XSD_PAIN" "$pain")
	row "$round" "pain.002 xmllint --stream --schema" "$l"; better xp "$l"
	l=$(ingest ingest-pain "$base" "$pain")
	row "$round" "pain.002 betaalrun ingest" "$l"; better ip "$l"
	case "$l" in
	FAIL*) failed ingest-pain; mismatch=1 ;;
	*) check_pain "$out/home-ingest-pain" || mismatch=1
	   if [ "$round" = 1 ]; then
		   fresh "$out/home-ingest-pain" "$out/after-pain"
		   after_pain=$out/after-pain want_ret=$((returns - returns_rjct))
	   fi ;;
	esac
	l=$(measure xmllint-camt xmllint --stream --noout --schema "$XSD_CAMT" "$camt")
	row "$round" "camt.053 xmllint --stream --schema" "$l"; better xc "$l"
	l=$(ingest ingest-camt "$after_pain" "$camt")
	row "$round" "camt.053 betaalrun ingest" "$l"; better ic "$l"
	case "$l" in
	FAIL*) failed ingest-camt; mismatch=1 ;;
	*) check_camt "$out/home-ingest-camt" "$want_ret" || mismatch=1 ;;
	esac
done

# ---- 4. the result ---------------------------------------------------------------------
summary() { # name file xmllint_key ingest_key
	local name=$1 f=$2 bytes mb bw br bc bo iw ir ic io
	bytes=$(stat -c %s "$f"); mb=$(echo "scale=1; $bytes / 1048576" | bc)
	if [ -z "${best[$3]:-}" ] || [ -z "${best[$4]:-}" ]; then
		printf '%-10s %s bytes (%s MB): no successful round of both, no ratio   <<<<<<<<<< FAILED\n' "$name" "$bytes" "$mb"
		return 1
	fi
	read -r bw br bc bo <<<"${best[$3]}"
	read -r iw ir ic io <<<"${best[$4]}"
	printf "%-9s %11s %7s | %8s %7s %6s | %8s %7s %6s | %6s\n" "$name" "$bytes" "$mb" \
		"$bw" "$bc" "$((br / 1024))" "$iw" "$ic" "$((ir / 1024))" \
		"$(echo "scale=2; $iw / $bw" | bc)"
	echo "scale=4; $iw / $bw <= 2.0" | bc >"$out/$name.ok"
	if [ "$(echo "($io + $bo) > 0.05 * ($iw + $bw)" | bc)" = 1 ]; then
		echo "           (other processes used $bo s of CPU during that baseline, $io s during that ingest: the machine was not quiet)"
	fi
}
printf '\nbank files, %s payments, best of %s rounds; wall (s), CPU (s), peak RSS (MB)\n' "$n_pay" "$ROUNDS"
printf "%-9s %11s %7s | %8s %7s %6s | %8s %7s %6s | %6s\n" file bytes MB "xmllint" CPU RSS \
	"ingest" CPU RSS "ratio"
summary pain.002 "$pain" xp ip || true
summary camt.053 "$camt" xc ic || true
for f in pain.002 camt.053; do
	if [ ! -f "$out/$f.ok" ]; then echo "$f: NOT MEASURED (no successful ingest)"
	elif [ "$(cat "$out/$f.ok")" = 1 ]; then echo "$f: ratio within the goal (<= 2.0)"
	else echo "$f: ratio ABOVE the goal (<= 2.0)"; fi
done
for f in ingest-pain ingest-camt; do
	[ -s "$out/$f.err" ] && grep -h 'msg="bank\|bank file\|file=' "$out/$f.err" 2>/dev/null | tail -2 | sed "s/^/$f: /"
done
if [ "$mismatch" = 1 ]; then
	echo; echo "!!!!!!!!!! MISMATCH: an ingest failed or what the store booked is not what the bank's files say (see above) !!!!!!!!!!"
	exit 1
fi
exit 0
