# Shared helpers for the end-to-end tests (sourced).
BR=${BR:-$PWD/betaalrun}
BRGEN=${BRGEN:-$PWD/build/brgen}
export BETAALRUN_NOW=${BETAALRUN_NOW:-2026-11-28T10:00:00}
export BETAALRUN_DATADIR=${BETAALRUN_DATADIR:-$PWD/data}

fail() { echo "FAIL - $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# The store's content as text, for comparing two stores.
store_dump() { sqlite3 "$1/betaalrun.db" .dump | grep -v '^PRAGMA' ; }

# Files under archive/ with their checksums.
archive_list() { (cd "$1" && find archive -type f -exec sha256sum {} + | sort -k2); }

count() { sqlite3 "$1/betaalrun.db" "$2"; }

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
