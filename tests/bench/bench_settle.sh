#!/usr/bin/env bash
# make bench, part 2 (issue 3): a month's settlement at national scale.
# For N in 100k, 500k, 1M dossiers: generate a register and a year of
# income (100,000 records per 500,000 dossiers), ingest it, settle and book
# the eleven monthly runs 2025-12 .. 2026-10 as released (the ledger a year
# of runs leaves), then time settle_bench for 2026-11 with startmaand 2025-12:
# reading the input from the store and the engine, separately, and the
# peak RSS.  SETTLE_SIZES overrides the sizes; without it BENCH_SIZES does
# (as for the rest of make bench), with 1,000,000 added when that is unset.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
BENCH=${SETTLE_BENCH:-$PWD/build/settle_bench}
SIZES=${SETTLE_SIZES:-${BENCH_SIZES:-100000 500000 1000000}}
out=${BENCH_OUT:-bench-out}/settle
BENCH_LOG=$out/log
months=2025-12,2026-01,2026-02,2026-03,2026-04,2026-05,2026-06,2026-07,2026-08,2026-09,2026-10

echo
echo "== the settlement engine alone (settle_bench), a year of history"
printf '%-10s %12s %12s %12s %14s\n' dossiers "read (ms)" "engine (ms)" "total (s)" "peak RSS (MB)"
for n in $SIZES; do
	rm -rf "$out"; mkdir -p "$out/drop" "$BENCH_LOG"
	"$BRGEN" --seed 3 --dossiers "$n" --income-records $((n / 5)) --signals 0 --months "$months" \
		--peildatum 2026-11-27 --out "$out/drop" >/dev/null
	home=$out/home
	"$BR" --home "$home" init >/dev/null
	cp "$out"/drop/* "$home/inbox/"
	bench_run ingest "$BR" --home "$home" ingest || bench_fail ingest
	# a year of monthly runs, settled and booked as released
	bench_run history "$BENCH" "$home/betaalrun.db" data/rules/regels.xml data/schemas/regels.xsd \
		2026-11 2025-12 --history || bench_fail history
	bench_run settle "$BENCH" "$home/betaalrun.db" data/rules/regels.xml data/schemas/regels.xsd \
		2026-11 2025-12 || bench_fail settle
	read_ms=$(sed -n 's/.*read \([0-9]*\) ms.*/\1/p' "$BENCH_LOG/settle.out")
	engine_ms=$(sed -n 's/.*engine \([0-9]*\) ms.*/\1/p' "$BENCH_LOG/settle.out")
	printf '%-10s %12s %12s %12s %14s\n' "$n" "$read_ms" "$engine_ms" "$B_WALL" "$((B_RSS_KB / 1024))"
	sed -n 2p "$BENCH_LOG/settle.out" | sed 's/^/           /'
	sed 's/^/           /' "$BENCH_LOG/history.out"
done
echo "goal: a month's settlement of 500,000 dossiers under 5 s on this 2-core machine, linear growth"
