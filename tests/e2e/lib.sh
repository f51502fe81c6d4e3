# Shared helpers for the end-to-end tests (sourced).
BR=${BR:-$PWD/betaalrun}
BRGEN=${BRGEN:-$PWD/build/brgen}
export BETAALRUN_NOW=${BETAALRUN_NOW:-2026-11-28T10:00:00}
export BETAALRUN_DATADIR=${BETAALRUN_DATADIR:-$PWD/data}

fail() { echo "FAIL - $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# The store's content as text, for comparing two stores.  The sqlite3
# shell waits for a lock like betaalrun does (a command that closes the
# store last checkpoints the WAL under a brief exclusive lock; without a
# timeout a reader beside it fails with "database is locked").
store_dump() { sqlite3 -cmd '.timeout 10000' "$1/betaalrun.db" .dump | grep -v '^PRAGMA' ; }

# Files under archive/ with their checksums.
archive_list() { (cd "$1" && find archive -type f -exec sha256sum {} + | sort -k2); }

count() { sqlite3 -cmd '.timeout 10000' "$1/betaalrun.db" "$2"; }

# A run folder's specifications (writers/specbundle.h): the text of the
# index key $2 in run folder $1, cut from its municipality's bundle by the
# index's offset and length, to standard output; fails when not indexed.
spec_text() {
	local line g off len
	line=$(awk -F'\t' -v k="$2" '$1 == k { print; exit }' "$1/specificaties.idx")
	[ -n "$line" ] || { echo "no specification $2 in $1/specificaties.idx" >&2; return 1; }
	IFS=$'\t' read -r _ g off len <<<"$line"
	# head stops reading early: the commands before it may die of SIGPIPE
	(set +o pipefail; zcat "$1/specificaties-$g.txt.gz" | tail -c +$((off + 1)) | head -c "$len")
}
# The index keys of a run folder, one a line, in index order.
spec_keys() { tail -n +2 "$1/specificaties.idx" | cut -f1; }

# calc_nl OUTDIR CSV...: each CSV as LibreOffice Calc opens it with Dutch
# settings (';' between fields, '"' around text, UTF-8, language Dutch
# (1043), so "1234,56" is a number), saved again as OUTDIR/NAME.tsv:
# tab-separated, every text cell quoted, a number cell unquoted ("1348,49",
# "-1", "405" for a text "0405" Calc took for a number), CR removed.  One
# soffice start for all files (it takes seconds).  Returns 77 with a
# message when soffice (Debian libreoffice-calc-nogui, installed by `make
# deps-tools`) is missing.
calc_nl() {
	local dest=$1 work f base
	shift
	if ! command -v soffice >/dev/null 2>&1; then
		echo "SKIP - soffice is not installed (Debian libreoffice-calc-nogui; make deps-tools): CSV not opened in Calc" >&2
		return 77
	fi
	work=$(mktemp -d)
	LANG=nl_NL.UTF-8 soffice --headless -env:UserInstallation="file://$work/profiel" \
		--infilter="Text - txt - csv (StarCalc):59,34,76,1,,1043" \
		--convert-to "csv:Text - txt - csv (StarCalc):9,34,76,1,,1033,true,true,false" \
		--outdir "$work/uit" "$@" >"$work/log" 2>&1
	for f in "$@"; do
		base=$(basename "$f" .csv)
		if [ ! -f "$work/uit/$base.csv" ]; then
			echo "soffice did not convert $f: $(cat "$work/log")" >&2
			rm -rf "$work"
			return 1
		fi
		tr -d '\r' <"$work/uit/$base.csv" >"$dest/$base.tsv"
	done
	rm -rf "$work"
}

# chromium_measure HTML OUT: HTML in headless Chromium at 1280×800 with
# SCRIPT (a file) appended before </body> in a test-only copy; OUT gets the
# DOM after the script ran.  Returns 77 with a message when chromium
# (Debian chromium, `make deps-tools`) is missing.
chromium_measure() {
	local html=$1 script=$2 out=$3 copy
	if ! command -v chromium >/dev/null 2>&1; then
		echo "SKIP - chromium is not installed (Debian chromium; make deps-tools): $html not rendered" >&2
		return 77
	fi
	copy=$(dirname "$out")/$(basename "$html" .html).meting.html
	awk -v f="$script" '/<\/body>/ { while ((getline l < f) > 0) print l } { print }' "$html" >"$copy"
	chromium --headless --no-sandbox --disable-gpu --window-size=1280,800 --dump-dom "file://$copy" \
		>"$out" 2>"$out.log" || { echo "chromium failed: $(tail -3 "$out.log")" >&2; return 1; }
}

# generated_home DIR SEED DOSSIERS: a home DIR/home with a throwaway CA
# (DIR/ca.pem, its trust) and a preparer's key (DIR/prep.pem), configured
# for startmaand 2026-10, holding the brgen drop of DOSSIERS dossiers
# (DIR/drop, seed SEED, peildatum 2026-10-27), ingested.
generated_home() {
	local d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 30 -subj "/CN=Test CA" >/dev/null 2>&1
	openssl req -newkey rsa:2048 -nodes -keyout "$d/p.key" -out "$d/p.csr" -subj "/CN=Preparer" >/dev/null 2>&1
	openssl x509 -req -in "$d/p.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -out "$d/p.pem" -days 30 >/dev/null 2>&1
	cat "$d/p.key" "$d/p.pem" >"$d/prep.pem"
	"$BRGEN" --seed "$2" --dossiers "$3" --peildatum 2026-10-27 --out "$d/drop" >/dev/null
	"$BR" --home "$d/home" init >/dev/null
	sed -i -e 's/^iban *=.*/iban = NL91ABNA0417164300/' -e 's/^bic *=.*/bic = ABNANL2A/' \
		-e 's/^startmaand *=.*/startmaand = 2026-10/' -e "s|^vertrouwen *=.*|vertrouwen = $d/ca.pem|" "$d/home/betaalrun.conf"
	cp "$d"/drop/* "$d/home/inbox/"
	"$BR" --home "$d/home" ingest >/dev/null 2>&1 || fail "ingest of the generated drop"
}
