#!/usr/bin/env bash
# Dependencies run one way (style.md "layout"): core/ at the bottom knows
# only itself; parsers/ and writers/ know core/ and their own folder, not
# each other, not the store; pipeline/ may use all of them.  Every
# `#include "x.h"` is looked up in the folders a file may use; an include
# from a folder above it is an error naming the file and line.
set -u
cd "$(dirname "$0")/../.."
allowed() {
	case $1 in
	core) echo core ;;
	parsers) echo "core parsers" ;;
	writers) echo "core writers" ;;
	pipeline) echo "core parsers writers pipeline" ;;
	esac
}
bad=0
for f in core/*.[ch] parsers/*.[ch] writers/*.[ch] pipeline/*.[ch]; do
	dir=${f%%/*}
	while IFS=: read -r line inc; do
		inc=${inc#*\"}; inc=${inc%%\"*}
		found=""
		for d in core parsers writers pipeline; do
			[ -e "$d/$inc" ] && found=$d
		done
		[ -z "$found" ] && continue   # generated (core/sepa_landen.h before a build)
		case " $(allowed "$dir") " in
		*" $found "*) ;;
		*) echo "$f:$line: includes $found/$inc; $dir/ may use only: $(allowed "$dir")"; bad=1 ;;
		esac
	done < <(grep -n '^#include "' "$f")
done
if [ "$bad" = 0 ]; then echo "layers: dependencies run one way"; fi
exit $bad
