#!/usr/bin/env bash
# Builds the Debian package with CPack from a configured and built build directory, into a temporary
# directory, and checks what a user would get: the files inside, the declared dependencies, that the desktop
# file, AppStream metainfo, man page and systemd units pass their validators, and that the man page names
# every option the binary offers. Reports every failed check, then exits non-zero if there was one.
#   check-deb.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build_dir=$(realpath "$1")
source_dir=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/keystone-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
fail()
{
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass()
{
    echo "ok: $*"
}
need()
{
    command -v "$1" >/dev/null 2>&1 || { echo "FAIL: $1 not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
}
for tool in cpack dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli groff; do
    need "$tool"
done

# --- build the package (never into the source or build tree) ---
if ! cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    echo "FAIL: cpack did not build the package" >&2
    exit 1
fi
debs=("$work"/out/keystone-console_*.deb)
if [[ ${#debs[@]} -ne 1 || ! -f ${debs[0]} ]]; then
    echo "FAIL: expected one keystone-console_*.deb, got: ${debs[*]}" >&2
    exit 1
fi
deb=${debs[0]}
pass "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# --- contents ---
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
for path in \
    /usr/bin/keystone-console \
    /usr/share/applications/io.keystone.Console.desktop \
    /usr/share/icons/hicolor/scalable/apps/io.keystone.Console.svg \
    /usr/share/metainfo/io.keystone.Console.metainfo.xml \
    /usr/share/man/man1/keystone-console.1 \
    /usr/lib/systemd/system/keystone-console.service \
    /usr/lib/systemd/user/keystone-console.service \
    /etc/keystone-console/keystone-console.conf \
    /usr/share/doc/keystone-console/examples/credentials.env \
    /usr/share/doc/keystone-console/examples/prometheus/keystone-alerts.yml \
    /usr/share/doc/keystone-console/examples/prometheus/grafana-dashboard.json \
    /usr/share/keystone-console/translations/keystone_zh_CN.qm; do
    if grep -qxF "$path" "$work/contents"; then pass "contains $path"; else fail "missing $path"; fi
done
# Test programs, test servers and build leftovers stay out.
if unwanted=$(grep -E '/(tst_[^/]*|strict-s3-server|sync-runner|ui-screenshot|mdwe-exec|syscall-deny-exec)$|\.(a|o|h|cpp)$|/include/' \
    "$work/contents"); then
    fail "unexpected files in the package: $unwanted"
else
    pass "no test binaries, test servers or development files"
fi

# --- control data ---
field()
{
    dpkg-deb -f "$deb" "$1"
}
[[ $(field Package) == keystone-console ]] || fail "Package is '$(field Package)'"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
[[ $(field Section) == net ]] || fail "Section is '$(field Section)'"
depends=$(field Depends)
echo "Depends: $depends"
# shlibdeps (the linked libraries) and the explicit plugin packages.
for package in libc6 libcurl4 libssl3 libqt6core6 libqt6network6 libqt6sql6 libqt6httpserver6 libqt6widgets6 \
    libqt6keychain1 libqt6sql6-sqlite libqt6svg6; do
    if grep -qE "(^|, )$package( \(|,|$)" <<<"$depends"; then pass "depends on $package"; else fail "Depends lacks $package"; fi
done
# Qt's own translations (qtbase_*.qm) go with ours: recommended, so a minimal install may leave them out.
if grep -qE "(^|, )qt6-translations-l10n( \(|,|$)" <<<"$(field Recommends)"; then
    pass "recommends qt6-translations-l10n"
else
    fail "Recommends lacks qt6-translations-l10n: '$(field Recommends)'"
fi
version=$(field Version)
project_version=$(sed -n 's/^project([^)]*VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
[[ -n $version && $version == "$project_version" ]] || fail "Version '$version' is not the project's '$project_version'"
if dpkg-deb -I "$deb" conffiles 2>/dev/null | grep -qxF /etc/keystone-console/keystone-console.conf; then
    pass "the settings file is a conffile"
else
    fail "/etc/keystone-console/keystone-console.conf is not listed in conffiles"
fi

# --- the packaged files ---
root=$work/root
dpkg-deb -x "$deb" "$root"
binary=$root/usr/bin/keystone-console
if file "$binary" | grep -q 'ELF.*stripped' && ! file "$binary" | grep -q 'not stripped'; then
    pass "binary is a stripped ELF executable"
else
    fail "binary: $(file -b "$binary")"
fi
if env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$binary" --version 2>&1 | grep -qF "$version"; then
    pass "packaged binary runs and reports $version"
else
    fail "packaged binary --version does not print $version"
fi

# The packaged binary finds its translations (../share/keystone-console/translations from /usr/bin) under LANG.
if LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 env -u LANGUAGE -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM \
    "$binary" upload --help 2>&1 | grep -qF '上传到 S3 兼容存储'; then
    pass "packaged binary speaks Chinese under LANG=zh_CN.UTF-8"
else
    fail "packaged binary does not load share/keystone-console/translations/keystone_zh_CN.qm"
fi

# Validators: a non-zero exit or any warning is a failure.
desktop=$root/usr/share/applications/io.keystone.Console.desktop
if out=$(desktop-file-validate "$desktop" 2>&1) && [[ -z $out ]]; then
    pass "desktop-file-validate"
else
    fail "desktop-file-validate: $out"
fi
grep -qx 'Icon=io.keystone.Console' "$desktop" || fail "desktop file does not name the installed icon"
metainfo=$root/usr/share/metainfo/io.keystone.Console.metainfo.xml
# --pedantic notes are printed with a 'P:' prefix and do not fail; errors (E:) and warnings (W:) do.
if out=$(appstreamcli validate --no-net --pedantic "$metainfo" 2>&1) && ! grep -qE '^[EW]:' <<<"$out"; then
    pass "appstreamcli validate --no-net --pedantic"
else
    fail "appstreamcli validate: $out"
fi
grep -q "<release version=\"$version\"" "$metainfo" || fail "metainfo has no release entry for $version"
grep -q '<launchable type="desktop-id">io.keystone.Console.desktop</launchable>' "$metainfo" ||
    fail "metainfo does not launch the desktop file"
grep -q '<binary>keystone-console</binary>' "$metainfo" || fail "metainfo does not provide the binary"
if grep -q 'viewBox' "$root/usr/share/icons/hicolor/scalable/apps/io.keystone.Console.svg"; then
    pass "icon is a scalable SVG"
else
    fail "icon is not a scalable SVG"
fi

# Man page: renders without warnings, and names every long option of every mode's --help.
man_page=$root/usr/share/man/man1/keystone-console.1
if out=$(groff -man -Tutf8 -ww -z "$man_page" 2>&1) && [[ -z $out ]]; then
    pass "man page renders without warnings"
else
    fail "man page: $out"
fi
man_text=$(sed 's/\\-/-/g' "$man_page")
for mode in "" --server upload credentials add sync status cancel retry list watch; do
    # shellcheck disable=SC2086 # an empty mode is no argument
    help=$(QT_QPA_PLATFORM=offscreen "$build_dir/bin/keystone-console" $mode --help 2>/dev/null) || continue
    for option in $(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$help" | sort -u); do
        grep -qE -- "$option([^a-z0-9-]|$)" <<<"$man_text" || fail "man page lacks $option (keystone-console $mode --help)"
    done
done
# The options and verbs of the command-line contract (issue #6), also those not implemented yet.
for word in --config --log-level --version --credentials-file --watch --watch-stable-seconds --watch-marker \
    --token-file --json --name --status --access-key-id --shutdown-grace --data-dir --listen \
    'credentials set' 'credentials clear' '\.B add' 'EXIT STATUS' AWS_ACCESS_KEY_ID OSS_ACCESS_KEY_SECRET; do
    grep -qE -- "$word" <<<"$man_text" || fail "man page lacks '$word'"
done
pass "man page options checked against --help of every mode"

# The example settings are a QSettings INI file: there '#' does not start a comment.
if grep -n '^#' "$root/etc/keystone-console/keystone-console.conf"; then
    fail "keystone-console.conf has '#' lines (QSettings reads them as keys; use ';')"
fi

# --- systemd units ---
system_unit=$root/usr/lib/systemd/system/keystone-console.service
user_unit=$root/usr/lib/systemd/user/keystone-console.service
grep -qx 'ExecStart=/usr/bin/keystone-console --server --config /etc/keystone-console/keystone-console.conf --data-dir /var/lib/keystone-console' \
    "$system_unit" || fail "system unit ExecStart is not the contract's command"
grep -qE '^ExecStart=/usr/bin/keystone-console --server( |$)' "$user_unit" || fail "user unit does not run --server"
for key in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=read-only PrivateTmp=yes ProtectKernelTunables=yes \
    ProtectKernelModules=yes ProtectControlGroups=yes 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' \
    LockPersonality=yes MemoryDenyWriteExecute=yes SystemCallFilter=@system-service \
    ReadWritePaths=/var/lib/keystone-console StateDirectory=keystone-console DynamicUser=yes Restart=on-failure \
    KillSignal=SIGTERM EnvironmentFile=-/etc/keystone-console/credentials.env LimitNOFILE=65536 ProcSubset=pid \
    'SystemCallFilter=~@privileged @resources' PrivateUsers=yes UMask=0077 \
    LoadCredential=keystone-credentials:/etc/keystone-console/credentials; do
    grep -qxF "$key" "$system_unit" || fail "system unit lacks $key"
done
for key in '^MemoryMax=[0-9]' '^TasksMax=[0-9]' '^SetCredential=keystone-credentials:#'; do
    grep -qE "$key" "$system_unit" || fail "system unit lacks $key"
done
for key in UMask=0077 LimitNOFILE=65536 'SystemCallFilter=~@privileged @resources'; do
    grep -qxF "$key" "$user_unit" || fail "user unit lacks $key"
done
# Longer than the default 10 s shutdown grace, or systemd kills parts that were allowed to finish.
stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s\?$/\1/p' "$system_unit")
[[ -n $stop && $stop -gt 10 ]] || fail "TimeoutStopSec '$stop' is not above the 10 s shutdown grace"
[[ $(grep -c '^ReadWritePaths=' "$system_unit") -eq 1 ]] || fail "system unit has more than one ReadWritePaths"

if command -v systemd-analyze >/dev/null 2>&1; then
    # systemd-analyze checks that ExecStart's program exists: point it at the packaged binary (the only change),
    # and the man page of Documentation= at the packaged one. Unknown keys are only warnings: any output fails.
    mkdir -p "$work/units/system" "$work/units/user" && install -d -m 700 "$work/runtime"
    sed "s|/usr/bin/keystone-console|$binary|" "$system_unit" >"$work/units/system/keystone-console.service"
    sed "s|/usr/bin/keystone-console|$binary|" "$user_unit" >"$work/units/user/keystone-console.service"
    export MANPATH=$root/usr/share/man XDG_RUNTIME_DIR=$work/runtime
    if out=$(systemd-analyze verify "$work/units/system/keystone-console.service" 2>&1) && [[ -z $out ]]; then
        pass "systemd-analyze verify (system unit)"
    else
        fail "systemd-analyze verify (system unit): $out"
    fi
    if out=$(systemd-analyze --user verify "$work/units/user/keystone-console.service" 2>&1) && [[ -z $out ]]; then
        pass "systemd-analyze --user verify (user unit)"
    else
        fail "systemd-analyze --user verify (user unit): $out"
    fi
    # The exposure systemd-analyze security gives the system unit (0 = locked down, 10 = unprotected): at most 1.3.
    # --threshold takes tenths; --offline (systemd 250+) rates the file without loading it into a running manager.
    if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
        rating=$(systemd-analyze security --offline=yes --no-pager "$work/units/system/keystone-console.service" 2>&1 |
            grep -F 'Overall exposure level')
        if systemd-analyze security --offline=yes --no-pager --threshold=13 \
            "$work/units/system/keystone-console.service" >/dev/null 2>&1; then
            pass "systemd-analyze security (system unit): ${rating##*: }"
        else
            fail "systemd-analyze security (system unit) above 1.3: ${rating:-no rating}"
        fi
    else
        echo "note: this systemd-analyze cannot rate a unit offline: exposure not checked"
    fi
else
    echo "note: systemd-analyze not installed: units checked by their keys only"
fi

if ((failures > 0)); then
    echo "check-deb: $failures check(s) failed" >&2
    exit 1
fi
echo "check-deb: all checks passed"
