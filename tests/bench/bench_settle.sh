#!/usr/bin/env bash
# make bench, part 2 (issue 3): a month's settlement at national scale.
# For N in 100k, 500k, 1M dossiers: generate a register and a year of
# income (100,000 records per 500,000 dossiers), ingest it, settle and book
# the eleven monthly runs 2025-12 .. 2026-10 as released (the ledger a year
# of runs leaves), then time settle_bench for 2026-11 with startmaand 2025-12:
# reading the input from the store and the engine, separately, and the
# peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
BR=${BR:-$PWD/betaalrun}
BRGEN=${BRGEN:-$PWD/build/brgen}
BENCH=${SETTLE_BENCH:-$PWD/build/settle_bench}
SIZES=${SETTLE_SIZES:-100000 500000 1000000}
out=${BENCH_OUT:-bench-out}/settle
export BETAALRUN_DATADIR=$PWD/data
months=2025-12,2026-01,2026-02,2026-03,2026-04,2026-05,2026-06,2026-07,2026-08,2026-09,2026-10

printf '%-10s %12s %12s %12s %14s\n' dossiers "read (ms)" "engine (ms)" "total (s)" "peak RSS (MB)"
for n in $SIZES; do
	rm -rf "$out"; mkdir -p "$out/drop"
	"$BRGEN" --seed 3 --dossiers "$n" --income-records $((n / 5)) --signals 0 --months "$months" \
		--peildatum 2026-11-27 --out "$out/drop" >/dev/null
	home=$out/home
	"$BR" --home "$home" init >/dev/null
	cp "$out"/drop/* "$home/inbox/"
	"$BR" --home "$home" ingest >/dev/null 2>&1
	# a year of monthly runs, settled and booked as released
	"$BENCH" "$home/betaalrun.db" data/rules/regels.xml data/schemas/regels.xsd 2026-11 2025-12 \
		--history >"$out/history.txt"
	/usr/bin/time -f "%e %M" -o "$out/time.txt" "$BENCH" "$home/betaalrun.db" data/rules/regels.xml \
		data/schemas/regels.xsd 2026-11 2025-12 >"$out/result.txt"
	read -r wall rss <"$out/time.txt"
	read_ms=$(sed -n 's/.*read \([0-9]*\) ms.*/\1/p' "$out/result.txt")
	engine_ms=$(sed -n 's/.*engine \([0-9]*\) ms.*/\1/p' "$out/result.txt")
	printf '%-10s %12s %12s %12s %14s\n' "$n" "$read_ms" "$engine_ms" "$wall" "$((rss / 1024))"
	sed -n 2p "$out/result.txt" | sed 's/^/           /'
	sed 's/^/           /' "$out/history.txt"
done
echo "goal: a month's settlement of 500,000 dossiers under 5 s on this 2-core machine, linear growth"
