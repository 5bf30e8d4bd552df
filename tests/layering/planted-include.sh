#!/usr/bin/env bash
# Proves scripts/check-layers.sh catches what it is for: in a copy of the sources it must pass, then fail once
# for each planted wrong include (up: storage → sync; sideways: catalog → config, ui → api; a bare name: the engine
# reaching into ui/) and name the file and line of each, and pass again once they are gone.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
check="$repo/scripts/check-layers.sh"
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
mkdir -p "$copy/docs"
cp -r "$repo/engine" "$repo/ui" "$repo/app" "$copy/"
cp "$repo/docs/design.md" "$copy/docs/"

fail() {
    echo "planted-include: $*" >&2
    exit 1
}

"$check" "$copy" > /dev/null || fail "the unchanged copy does not pass"

plant() { # FILE INCLUDE: appends the include as the file's last line; prints that line's number
    printf '#include "%s"\n' "$2" >> "$copy/$1"
    wc -l < "$copy/$1"
}
declare -A planted
planted[engine/storage/partplan.h]=$(plant engine/storage/partplan.h sync/syncengine.h)
planted[engine/catalog/episodestate.h]=$(plant engine/catalog/episodestate.h config/credentialresolver.h)
planted[ui/windowtitle.cpp]=$(plant ui/windowtitle.cpp api/apiserver.h)
planted[engine/sync/syncjournal.cpp]=$(plant engine/sync/syncjournal.cpp mainwindow.h)

if "$check" "$copy" > /dev/null 2> "$copy/report"; then
    fail "passed with four wrong includes"
fi
for file in "${!planted[@]}"; do
    grep -q "^$file:${planted[$file]}: " "$copy/report" || fail "did not report $file:${planted[$file]}: $(cat "$copy/report")"
done
reported=$(wc -l < "$copy/report")
((reported == 4)) || fail "reported $reported lines, not the 4 planted: $(cat "$copy/report")"

for file in "${!planted[@]}"; do
    sed -i '$d' "$copy/$file"
done
"$check" "$copy" > /dev/null || fail "still fails once the planted includes are gone"
echo "planted-include: 4 wrong includes reported, none once removed"
