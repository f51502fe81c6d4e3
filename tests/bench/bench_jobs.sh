#!/usr/bin/env bash
# make bench, the worklist (issue 5): the heronderzoek worklist at national
# scale.  Runs after bench_month.sh, on the home of its largest size (by
# default 500,000 dossiers and 20,000 signals, matched to jobs during that
# ingest, the month released since): times listing the worklist as CSV.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
root=$BENCH_ROOT
largest=$(printf '%s\n' ${BENCH_SIZES:-100000 500000} | sort -n | tail -n 1)
home=$root/month-$largest/home
BENCH_LOG=$root/jobs
[ -f "$home/betaalrun.db" ] || bench_die "no $home: run tests/bench/bench_month.sh first"
q() { sqlite3 -cmd '.timeout 30000' "$home/betaalrun.db" "$1"; }
jobs=$(q "SELECT count(*) FROM taak")
sig=$(q "SELECT count(*) FROM signaal")
linked=$(q "SELECT count(DISTINCT signaal) FROM taak_signaal")
rm -rf "$BENCH_LOG"
bench_run jobs-list "$BR" --home "$home" jobs list --csv "$BENCH_LOG/worklist.csv" || bench_fail jobs-list
echo
echo "== the worklist, on the home of the month at $largest dossiers"
printf '%-40s %10s %10s %14s\n' "worklist ($sig signals, $jobs jobs)" "wall (s)" "CPU (s)" "peak RSS (MB)"
printf '%-40s %10s %10s %14s\n' "jobs list --csv ($(($(wc -l <"$BENCH_LOG/worklist.csv") - 1)) open jobs)" \
	"$B_WALL" "$B_CPU" "$((B_RSS_KB / 1024))"
echo "signals joined to a job: $linked of $sig (the rest have no dossier); matching ran inside the ingest of the month"
