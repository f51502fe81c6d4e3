# Shared measuring for the bench scripts (sourced by tests/bench/*.sh from
# the top of the tree).  What each figure is, and how it is taken:
#
#   wall      seconds on the clock (GNU time %e)
#   CPU       user + system seconds of the command and its children (%U + %S)
#   RSS       peak resident set size, the largest of the command and its
#             children (%M, KiB)
#   written   bytes the command caused to be written to storage: GNU time's
#             %O (file system outputs) times 512.  On Linux getrusage's
#             ru_oublock is the task's write_bytes of /proc/PID/io divided
#             by 512: bytes dirtied in the page cache for a file, counted
#             when dirtied (a file deleted before writeback still counts;
#             reads and pipes do not)
#   busy      CPU seconds the rest of the machine used during the command
#             (/proc/stat over all CPUs, minus the command's own): above a
#             few percent of wall, the wall figures are skewed by others
#   store     page_count * page_size of betaalrun.db after a WAL checkpoint
#             (the WAL truncated), taken with the sqlite3 shell between steps
#   files     the number of regular files under the home, after minus before
#
# Only the command line of betaalrun is used (and the sqlite3 shell for the
# store's size): the bench does not know how a stage stores its work.
#
# Tools: GNU time (Debian `time`), sqlite3, openssl, xmllint, awk.

BR=${BR:-$PWD/betaalrun}
BRGEN=${BRGEN:-$PWD/build/brgen}
# where the bench writes: BENCH_OUT (default bench-out), made absolute
BENCH_ROOT=$(realpath -m -- "${BENCH_OUT:-bench-out}")
export BETAALRUN_DATADIR=${BETAALRUN_DATADIR:-$PWD/data}
unset BETAALRUN_KEY_PASS BETAALRUN_HOME
# Keys are PEM files without a passphrase, read through --pass-fd 3.
exec 3</dev/null

bench_die() { echo "bench: $*" >&2; exit 1; }
command -v /usr/bin/time >/dev/null 2>&1 && /usr/bin/time -f %e true 2>/dev/null \
	|| bench_die "GNU time (/usr/bin/time, Debian package time) is needed"
for tool in sqlite3 openssl xmllint awk; do
	command -v "$tool" >/dev/null 2>&1 || bench_die "$tool is needed"
done

BENCH_TICK=$(getconf CLK_TCK 2>/dev/null || echo 100)
# CPU ticks the whole machine has spent so far, or 0 without /proc/stat.
bench_busy_ticks() {
	if [ -r /proc/stat ]; then awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
	else echo 0; fi
}

# bench_run LABEL COMMAND...: runs COMMAND with its stdout and stderr in
# $BENCH_LOG/LABEL.out and LABEL.err and sets B_WALL, B_CPU (seconds),
# B_RSS_KB, B_WRITTEN (bytes), B_OTHERS (seconds) and B_RC; returns B_RC.
# Called directly, not in $(...), so that the caller sees the figures.
bench_run() {
	local label=$1 t0 t1 user sys blocks
	shift
	: "${BENCH_LOG:?BENCH_LOG is not set}"
	mkdir -p "$BENCH_LOG"
	sync # the writeback of what came before is not this command's wall
	t0=$(bench_busy_ticks)
	B_RC=0
	/usr/bin/time -f "%e %U %S %M %O" -o "$BENCH_LOG/$label.time" "$@" \
		>"$BENCH_LOG/$label.out" 2>"$BENCH_LOG/$label.err" || B_RC=$?
	t1=$(bench_busy_ticks)
	# the figures are the last line (after "Command exited with non-zero status N")
	read -r B_WALL user sys B_RSS_KB blocks < <(tail -n 1 "$BENCH_LOG/$label.time")
	B_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	B_WRITTEN=$((blocks * 512))
	B_OTHERS=$(awk -v a="$t0" -v b="$t1" -v t="$BENCH_TICK" -v c="$B_CPU" \
		'BEGIN { x = (b - a) / t - c; if (a == 0 || x < 0) x = 0; printf "%.2f", x }')
	return "$B_RC"
}

# bench_fail LABEL: what the failed command said, then exit 1.
bench_fail() {
	echo "bench: $1 failed (exit ${B_RC:-?}); its stderr:" >&2
	head -c 3000 "$BENCH_LOG/$1.err" | sed 's/^/    /' >&2
	exit 1
}

# bench_store_bytes HOME: the store's size in bytes after a checkpoint.
bench_store_bytes() {
	local db=$1/betaalrun.db
	sqlite3 -cmd '.timeout 30000' "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
	sqlite3 -cmd '.timeout 30000' "$db" 'SELECT page_count * page_size FROM pragma_page_count, pragma_page_size;'
}

# bench_files DIR: the number of regular files under DIR.
bench_files() { find "$1" -type f | wc -l; }

# bench_keys DIR: a throwaway CA (DIR/ca.pem) and two people chained to it,
# each a PEM file with key and certificate: DIR/preparer.pem and
# DIR/approver.pem (four-eyes: two subjects).  Made once, reused if there.
bench_keys() {
	local d=$1 who
	[ -f "$d/approver.pem" ] && return 0
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 30 \
		-subj "/CN=Bench CA" >/dev/null 2>&1 || bench_die "openssl: no CA"
	for who in preparer approver; do
		openssl req -newkey rsa:2048 -nodes -keyout "$d/$who.key" -out "$d/$who.csr" \
			-subj "/O=Bench/CN=Bench $who" >/dev/null 2>&1 &&
		openssl x509 -req -in "$d/$who.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
			-out "$d/$who.crt" -days 30 >/dev/null 2>&1 || bench_die "openssl: no key for $who"
		cat "$d/$who.key" "$d/$who.crt" >"$d/$who.pem"
	done
}

# bench_home HOME STARTMAAND CA: a fresh home with the bench's debtor
# account, startmaand and trust anchor.
bench_home() {
	local home=$1 start=$2 ca=$3
	rm -rf "$home"
	"$BR" --home "$home" init >/dev/null || bench_die "init of $home failed"
	sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
		-e "s/^startmaand *=.*/startmaand = $start/" -e "s|^vertrouwen *=.*|vertrouwen = $ca|" \
		"$home/betaalrun.conf"
	grep -q "^startmaand = $start" "$home/betaalrun.conf" && grep -q "^vertrouwen = $ca" "$home/betaalrun.conf" \
		|| bench_die "could not configure $home/betaalrun.conf"
}

# bench_schema_of FILE: the shipped schema of a drop file, by its root.
bench_schema_of() {
	case "$(head -c 400 "$1")" in
	*Clientregister*) echo "$BETAALRUN_DATADIR/schemas/clientregister.xsd" ;;
	*Inkomstenlevering*) echo "$BETAALRUN_DATADIR/schemas/polis.xsd" ;;
	*Signaallevering*) echo "$BETAALRUN_DATADIR/schemas/signalen.xsd" ;;
	*) bench_die "no schema known for $1" ;;
	esac
}

# bench_baseline LABEL FILE...: `xmllint --stream --noout --schema` over
# every file, one after the other, measured as one command (bench_run).
bench_baseline() {
	local label=$1 f args=()
	shift
	for f in "$@"; do args+=("$(bench_schema_of "$f")" "$f"); done
	bench_run "$label" bash -c 'set -e; while [ $# -gt 0 ]; do
		xmllint --stream --noout --schema "$1" "$2"; shift 2; done' xmllint "${args[@]}"
}

# bench_gzip LABEL FILE...: `gzip -1` of every file to /dev/null, measured
# as one command: what the archive alone costs (formats.md §4: an accepted
# file is kept gzip-compressed; betaalrun uses zlib's level 1, which costs
# about what gzip -1 does).
bench_gzip() {
	local label=$1
	shift
	bench_run "$label" bash -c 'set -e; for f; do gzip -1 -c "$f" >/dev/null; done' gzip "$@"
}

# Arithmetic and formatting (awk: bash has no fractions).
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
bench_mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# bench_goal WHAT FIGURE VALUE LIMIT: one line, the goal met when
# VALUE <= LIMIT ("-" for VALUE: not measured).  Never fails.
bench_goal() {
	local verdict
	if [ "$3" = - ]; then verdict="not measured"
	elif awk -v v="$3" -v l="$4" 'BEGIN { exit !(v <= l) }'; then verdict=met
	else verdict="NOT MET"; fi
	printf '  %-52s %16s   %s\n' "$1" "$2" "$verdict"
}
