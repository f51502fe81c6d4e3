#!/usr/bin/env bash
# The documentation (issue 14): every relative link in README.md and docs/
# resolves; the operator guide (in Dutch, issue 12) names every command of
# `betaalrun --help`, every job kind of the shipped signal table, each kind
# of quarantine problem and, word for word, each action intake.c proposes;
# configuration.md names every key `init` writes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for d in operator-guide input-formats settlement-rules payment-files configuration store backup; do
	[ -s "docs/$d.md" ] || fail "docs/$d.md is missing"
	grep -qF "(docs/$d.md)" README.md || fail "README.md does not link docs/$d.md"
done
for f in README.md docs/*.md; do
	dir=$(dirname "$f")
	for link in $(grep -o '](\([^)#:]*\)\(#[^)]*\)\?)' "$f" | sed 's/^](\([^)#]*\).*/\1/' | grep -v '^$' || true); do
		[ -e "$dir/$link" ] || fail "$f links $link, which does not exist"
	done
done
ok "README.md links the seven documents; every relative link resolves"

guide=docs/operator-guide.md
"$BR" --help | grep '^  [a-z]' | sed 's/   .*//' | tr '|' '\n' | awk '$1 ~ /^[a-z]+$/ { print $1 }' | sort -u >"$tmp/cmds"
[ "$(wc -l <"$tmp/cmds")" -ge 14 ] || fail "could not read the commands from --help"
while read -r c; do grep -q "betaalrun $c\b\|\`$c\b" "$guide" || fail "the operator guide does not describe $c"; done <"$tmp/cmds"
for k in $(sed -n 's/.*taak="\([A-Z_]*\)".*/\1/p; s/.*<Taak naam="\([A-Z_]*\)".*/\1/p' data/rules/signaaltabel.xml | sort -u); do
	grep -q "| \`$k\` |" "$guide" || fail "the operator guide has no row for job kind $k"
done
for u in GEEN_GEVOLGEN AANGEPAST BEEINDIGD RECHT_VERVALLEN TOEKENNEN AFWIJZEN; do
	grep -q "$u" "$guide" || fail "the operator guide does not explain outcome $u"
done
grep -q -- "--krimp-toestaan" "$guide" || fail "the operator guide does not explain --krimp-toestaan"
for p in "symbolische link" "de bestandsnaam kan niet worden opgeslagen" "het bestand kan niet worden gelezen" \
	"geen goedgevormde XML" "verouderde registerstand" "Clientregister geweigerd" "bestand geweigerd"; do
	grep -qF "$p" "$guide" || fail "the operator guide does not explain quarantine for: $p"
done
# the actions as intake.c words them (the first line of each in the source)
n=0
while IFS= read -r a; do
	n=$((n + 1))
	grep -qF -- "$a" "$guide" || fail "the operator guide does not quote the quarantine action '$a'"
done < <(sed -n 's/.*snprintf(action, sizeof(action), "\([^"]*\)".*/\1/p' pipeline/intake.c)
[ "$n" -ge 5 ] || fail "found $n quarantine actions in pipeline/intake.c, expected at least 5"
ok "operator guide: all $(wc -l <"$tmp/cmds") commands, every job kind, every outcome, the quarantine reasons"

"$BR" --home "$tmp/h" init >/dev/null
for k in $(sed -n 's/^\([a-z_]*\) *=.*/\1/p' "$tmp/h/betaalrun.conf"); do
	grep -q "^| \`$k\` |" docs/configuration.md || fail "configuration.md does not describe $k"
done
for v in $(grep -ho 'getenv("BETAALRUN_[A-Z_]*")' core/*.c parsers/*.c writers/*.c pipeline/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	grep -q "^| \`$v\` |" docs/configuration.md || fail "configuration.md does not describe $v"
done
ok "configuration.md: every key init writes and every BETAALRUN_* variable"

# store.md names every table of the store
for t in $(sqlite3 "$tmp/h/betaalrun.db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"); do
	grep -q "\`$t\`" docs/store.md || fail "store.md does not describe table $t"
done
ok "store.md: every table of the store"
