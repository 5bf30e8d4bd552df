#!/usr/bin/env bash
# Refreshes translations/keystone_*.ts from the sources (app/, engine/, ui/): new tr() texts are added as unfinished,
# texts no longer in the sources are dropped (-no-obsolete), translations of unchanged texts are kept. Source
# locations are left out (-locations none) so a diff shows only texts that changed. Run it after adding or changing a
# user-visible text, translate every entry it marks unfinished (Qt Linguist, or by hand in the .ts), and commit.
#   scripts/update-translations.sh           update the .ts files in place
#   scripts/update-translations.sh --check   change nothing; fail when an update would change a .ts file (a text
#                                            added, changed or removed in the sources) or an entry is unfinished
#                                            (ctest runs this as translations_complete)
#   LUPDATE=/path/to/lupdate                 the lupdate to use (default: Qt 6's, found by qtpaths6)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

lupdate=${LUPDATE:-}
if [[ -z $lupdate ]]; then
    host_bins=$(qtpaths6 --query QT_HOST_BINS 2>/dev/null || true)
    lupdate=${host_bins:-/usr/lib/qt6/bin}/lupdate
fi
[[ -x $lupdate ]] || { echo "update-translations: no lupdate at $lupdate (apt-get install qt6-l10n-tools)" >&2; exit 1; }

# update TS_FILE...: the one lupdate command, shared by both modes so --check checks exactly what an update writes.
# Its warning about a definition of an undeclared qualified class (lupdate misreads one in curltransport.cpp) is
# filtered out. "tr() cannot be called without context" is not: that text is missing from the .ts (a class without
# Q_OBJECT declares its context with Q_DECLARE_TR_FUNCTIONS, and free functions call Class::tr()), and --check fails
# on it.
update()
{
    local status=0
    "$lupdate" -silent -no-obsolete -locations none -extensions cpp,h -source-language en app engine ui -ts "$@" \
        2>"$lost.all" || status=$?
    grep -v -e "Ignoring definition of undeclared qualified class" "$lost.all" >"$lost" || true
    cat "$lost" >&2
    rm -f "$lost.all"
    return $status
}
lost=$(mktemp "${TMPDIR:-/tmp}/keystone-lupdate.XXXXXX")

ts_files=(translations/keystone_*.ts)
if [[ ${1:-} != --check ]]; then
    trap 'rm -f "$lost"' EXIT
    update "${ts_files[@]}"
    for ts in "${ts_files[@]}"; do
        echo "$ts: $(grep -c '<source>' "$ts") texts, $(grep -c 'type="unfinished"' "$ts" || true) unfinished"
    done
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/keystone-ts.XXXXXX")
trap 'rm -rf "$work" "$lost"' EXIT
failures=0
for ts in "${ts_files[@]}"; do
    copy=$work/$(basename "$ts")
    cp "$ts" "$copy"
    update "$copy"
    if ! diff -u "$ts" "$copy" >"$work/diff"; then
        echo "FAIL: $ts is not up to date with the sources: run scripts/update-translations.sh and translate" >&2
        grep -E '^[-+] *<source>' "$work/diff" | head -40 >&2
        failures=$((failures + 1))
    fi
    if grep -q "cannot be called without context" "$lost"; then
        echo "FAIL: lupdate cannot place some tr() calls in a context: their texts are never translated" >&2
        failures=$((failures + 1))
    fi
    if unfinished=$(grep -c 'type="unfinished"' "$ts"); then
        echo "FAIL: $ts has $unfinished unfinished translation(s)" >&2
        failures=$((failures + 1))
    fi
    if grep -q 'type="vanished"\|type="obsolete"' "$ts"; then
        echo "FAIL: $ts keeps texts no longer in the sources" >&2
        failures=$((failures + 1))
    fi
done
((failures == 0)) || exit 1
echo "update-translations: ${ts_files[*]} complete and up to date"
