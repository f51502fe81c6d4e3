#!/usr/bin/env bash
# make bench: national-scale intake benchmark (issue 2).  Generates 500,000
# dossiers, 100,000 income records and 20,000 signals, then measures, on the
# same files in the same run:
#   baseline  xmllint --stream --noout --schema (validation only)
#   betaalrun ingest into a fresh store (validation + storage + archive)
# and prints wall time, throughput and peak RSS of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
BR=${BR:-$PWD/betaalrun}
BRGEN=${BRGEN:-$PWD/build/brgen}
DOSSIERS=${DOSSIERS:-500000}
INCOME=${INCOME:-100000}
SIGNALS=${SIGNALS:-20000}
out=${BENCH_OUT:-bench-out}
rm -rf "$out"; mkdir -p "$out/drop"
export BETAALRUN_DATADIR=$PWD

measure() { # label, command...: prints "label wall_s peak_kb"
	local label=$1; shift
	/usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || {
		echo "command failed: $*" >&2; cat "$out/stderr.txt" >&2; exit 1; }
	read -r wall rss <"$out/time.txt"
	echo "$label $wall $rss"
}

echo "generating $DOSSIERS dossiers, $INCOME income records, $SIGNALS signals..."
measure gen "$BRGEN" --seed 1 --dossiers "$DOSSIERS" --income-records "$INCOME" --signals "$SIGNALS" \
	--peildatum 2026-11-27 --out "$out/drop" >"$out/gen.txt"
bytes=$(cat "$out"/drop/* | wc -c)
mb=$((bytes / 1048576))

schema_of() {
	case "$(head -c 400 "$1")" in
	*Clientregister*) echo parsers/schemas/clientregister.xsd ;;
	*Inkomstenlevering*) echo parsers/schemas/polis.xsd ;;
	*Signaallevering*) echo parsers/schemas/signalen.xsd ;;
	esac
}
base_wall=0 base_rss=0
for f in "$out"/drop/*; do
	read -r _ w r < <(measure xmllint xmllint --stream --noout --schema "$(schema_of "$f")" "$f")
	base_wall=$(echo "$base_wall + $w" | bc)
	[ "$r" -gt "$base_rss" ] && base_rss=$r
done

home=$out/home
"$BR" --home "$home" init >/dev/null
cp "$out"/drop/* "$home/inbox/"
read -r _ ing_wall ing_rss < <(measure ingest "$BR" --home "$home" ingest)
n=$(sqlite3 "$home/betaalrun.db" 'SELECT count(*) FROM dossier')

printf '\n%-34s %10s %10s %12s\n' "intake, $mb MB of XML" "wall (s)" "MB/s" "peak RSS (MB)"
printf '%-34s %10s %10s %12s\n' "xmllint --stream --schema (base)" "$base_wall" \
	"$(echo "scale=1; $mb / $base_wall" | bc)" "$((base_rss / 1024))"
printf '%-34s %10s %10s %12s\n' "betaalrun ingest" "$ing_wall" \
	"$(echo "scale=1; $mb / $ing_wall" | bc)" "$((ing_rss / 1024))"
printf 'ratio ingest / baseline: %s (goal <= 2.0); dossiers stored: %s\n' \
	"$(echo "scale=2; $ing_wall / $base_wall" | bc)" "$n"
