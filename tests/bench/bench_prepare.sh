#!/usr/bin/env bash
# The payment run at scale (issue 13): generates DOSSIERS (100,000)
# dossiers with brgen, ingests them into a fresh store, and prepares the
# month PREPARES (2) times (each one supersedes the one before), printing
# per step: wall, CPU, peak RSS, the store's size (page_count * page_size)
# and its growth per dossier, the run folder's files and bytes.
#
#   DOSSIERS=20000 bash tests/bench/bench_prepare.sh        # quick
set -euo pipefail
cd "$(dirname "$0")/../.."
BR=${BR:-$PWD/betaalrun}
BRGEN=${BRGEN:-$PWD/build/brgen}
DOSSIERS=${DOSSIERS:-100000}
PREPARES=${PREPARES:-2}
out=${BENCH_OUT:-bench-out}/prepare
home=$out/home
export BETAALRUN_DATADIR=$PWD/data
export BETAALRUN_NOW=2026-11-20T09:00:00
rm -rf "$out"; mkdir -p "$out/drop" "$out/keys"

# a throwaway CA and a preparer's key, made now
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$out/keys/ca.key" -out "$out/keys/ca.pem" -days 30 -subj "/CN=Bench CA"
ossl req -newkey rsa:2048 -nodes -keyout "$out/keys/p.key" -out "$out/keys/p.csr" -subj "/CN=Bench Preparer"
ossl x509 -req -in "$out/keys/p.csr" -CA "$out/keys/ca.pem" -CAkey "$out/keys/ca.key" -CAcreateserial \
	-out "$out/keys/p.pem" -days 30
cat "$out/keys/p.key" "$out/keys/p.pem" >"$out/keys/prep.pem"

"$BRGEN" --seed 1 --dossiers "$DOSSIERS" --income-records $((DOSSIERS / 5)) --signals $((DOSSIERS / 25)) \
	--peildatum 2026-10-27 --out "$out/drop" >/dev/null
"$BR" --home "$home" init >/dev/null
sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
	-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $PWD/$out/keys/ca.pem|" \
	"$home/betaalrun.conf"
cp "$out"/drop/* "$home/inbox/"

store_bytes() { sqlite3 "$home/betaalrun.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	echo $(( $(sqlite3 "$home/betaalrun.db" 'PRAGMA page_count') * $(sqlite3 "$home/betaalrun.db" 'PRAGMA page_size') )); }

# label command...: "wall cpu peak_kb"
measure() {
	local label=$1 wall rss user sys; shift
	sync
	/usr/bin/time -f "%e %M %U %S" -o "$out/time.txt" "$@" >"$out/$label.out" 2>"$out/$label.err" || {
		echo "$label failed:" >&2; cat "$out/$label.err" >&2; exit 1; }
	read -r wall rss user sys <"$out/time.txt"
	echo "$wall $(echo "$user + $sys" | bc) $rss"
}

printf '%-22s %9s %8s %9s %12s %10s %7s %10s\n' "$DOSSIERS dossiers" "wall (s)" "CPU (s)" "RSS (MB)" \
	"store (MB)" "B/dossier" "files" "out (MB)"
before=0
read -r w c r < <(measure ingest "$BR" --home "$home" ingest)
after=$(store_bytes)
printf '%-22s %9s %8s %9s %12s %10s %7s %10s\n' ingest "$w" "$c" $((r / 1024)) $((after / 1048576)) - - -
for i in $(seq 1 "$PREPARES"); do
	before=$(store_bytes)
	read -r w c r < <(measure "prepare$i" env BETAALRUN_KEY_PASS= "$BR" --home "$home" run --month 2026-11 \
		--key "$out/keys/prep.pem" --pass-fd 3 3</dev/null)
	after=$(store_bytes)
	run=$(head -n1 "$out/prepare$i.out")
	dir=$home/out/2026-11/$run
	files=$(find "$dir" -type f | wc -l)
	bytes=$(du -sb "$dir" | cut -f1)
	printf '%-22s %9s %8s %9s %12s %10s %7s %10s\n' "prepare $i ($run)" "$w" "$c" $((r / 1024)) \
		$((after / 1048576)) $(((after - before) / DOSSIERS)) "$files" $((bytes / 1048576))
done
