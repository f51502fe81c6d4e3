#!/usr/bin/env bash
# The project stands alone: no tracked file may point at the workspace's
# shared folder (the contract and reference data it was built from), in
# any spelling a path can take.  The specification is cited by document
# name ("formats.md section 2"), never by a path outside the project.
set -uo pipefail
cd "$(dirname "$0")/../.."
pattern='\.\./shared|/work/shared|\$\(CURDIR\)/\.\./'
if hits=$(git grep -nE "$pattern" -- . ':!tests/lint/standalone.sh' 2>/dev/null) && [ -n "$hits" ]; then
	echo "these lines refer to a folder outside the project:"
	echo "$hits"
	exit 1
fi
echo "standalone: nothing refers to a folder outside the project"
