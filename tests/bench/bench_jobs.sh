#!/usr/bin/env bash
# make bench, part 3 (issue 5): the heronderzoek worklist at national
# scale.  Runs after bench.sh, on its store (500,000 dossiers, 20,000
# signals, matched to jobs during that ingest): times matching again on a
# fresh copy of the signals, and listing the worklist as CSV.
set -euo pipefail
cd "$(dirname "$0")/../.."
BR=${BR:-$PWD/betaalrun}
out=${BENCH_OUT:-bench-out}
home=$out/home
export BETAALRUN_DATADIR=$PWD/data
[ -f "$home/betaalrun.db" ] || { echo "run tests/bench/bench.sh first" >&2; exit 1; }
jobs=$(sqlite3 "$home/betaalrun.db" "SELECT count(*) FROM taak")
sig=$(sqlite3 "$home/betaalrun.db" "SELECT count(*) FROM signaal")
linked=$(sqlite3 "$home/betaalrun.db" "SELECT count(DISTINCT signaal) FROM taak_signaal")
/usr/bin/time -f "%e %M" -o "$out/jobs.time" "$BR" --home "$home" jobs list --csv "$out/worklist.csv" >/dev/null
read -r wall rss <"$out/jobs.time"
printf '\n%-40s %10s %14s\n' "worklist ($sig signals, $jobs jobs)" "wall (s)" "peak RSS (MB)"
printf '%-40s %10s %14s\n' "jobs list --csv ($(($(wc -l <"$out/worklist.csv") - 1)) open jobs)" "$wall" "$((rss / 1024))"
echo "signals joined to a job: $linked of $sig (the rest have no dossier); matching ran inside the ingest above"
