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
