#!/usr/bin/env bash
# Keeps the layers' include arrows pointing down. The allowed arrows are the table between the "layers" markers in
# docs/design.md (Layout): one row per layer with its directory and the layers it may include. Every #include "…" in
# the product's sources (engine/, ui/, app/) is resolved the way the compiler resolves it — the including file's own
# directory first, then the include roots (engine/ names a header by layer, "sync/syncengine.h"; ui/ and app/ by
# bare name) — and an include of another layer's header that the table does not allow is reported with its line.
#   scripts/check-layers.sh [ROOT]     ROOT: a source tree (default: this repository). Exit 1 on a wrong include.
set -euo pipefail
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
table="$root/docs/design.md"

declare -A dir_of allowed
layers=()
while IFS='|' read -r _ layer dir _ may _; do
    layer=${layer//[\` ]/}
    dir=${dir//[\` ]/}
    may=${may//\`/}
    [[ -z $layer || $layer == Layer || $layer == -* ]] && continue
    layers+=("$layer")
    dir_of[$layer]=$dir
    allowed[$layer]=" $layer ${may//—/} "
done < <(sed -n '/<!-- layers -->/,/<!-- \/layers -->/p' "$table" | grep '^|')
if ((${#layers[@]} == 0)); then
    echo "check-layers: no layer table between <!-- layers --> and <!-- /layers --> in $table" >&2
    exit 2
fi

# The layer a path (relative to root) belongs to: the one with the longest directory that contains it.
layer_of() {
    local path=$1 best='' best_len=0 layer dir
    for layer in "${layers[@]}"; do
        dir=${dir_of[$layer]}
        if [[ $path == "$dir"/* && ${#dir} -gt $best_len ]]; then
            best=$layer
            best_len=${#dir}
        fi
    done
    printf '%s' "$best"
}

# Where an include resolves: next to the including file, else under engine/ (layer-qualified names), else ui/, app/.
resolve() {
    local from_dir=$1 name=$2 candidate
    for candidate in "$from_dir/$name" "engine/$name" "ui/$name" "app/$name"; do
        if [[ -f $root/$candidate ]]; then
            printf '%s' "$candidate"
            return
        fi
    done
}

status=0
checked=0
cd "$root"
while IFS= read -r -d '' file; do
    from=$(layer_of "$file")
    [[ -z $from ]] && continue
    while IFS=: read -r line name; do
        target=$(resolve "$(dirname "$file")" "$name")
        [[ -z $target ]] && continue # a generated header (moc, resources) or a system one in quotes
        to=$(layer_of "$target")
        checked=$((checked + 1))
        if [[ -n $to && ${allowed[$from]} != *" $to "* ]]; then
            echo "$file:$line: $from may not include $to (\"$name\"); allowed: ${allowed[$from]# $from }" >&2
            status=1
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" | sed -E 's/^([0-9]+):.*"([^"]+)".*/\1:\2/')
done < <(find engine ui app -type f \( -name '*.h' -o -name '*.cpp' \) -print0 | sort -z)

if ((status == 0)); then
    echo "check-layers: $checked includes across ${#layers[@]} layers point down (docs/design.md, Layout)"
fi
exit "$status"
