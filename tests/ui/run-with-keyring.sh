#!/bin/sh
# Runs a program in its own D-Bus session with an unlocked gnome-keyring (Secret Service), in an isolated HOME.
# Usage: run-with-keyring.sh SCRATCH_DIR PROGRAM [ARGS...]   (SCRATCH_DIR is emptied first)
set -eu
scratch=$1
shift
rm -rf "$scratch"
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache"
mkdir -p -m 700 "$scratch/run"
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
    XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/run"
unset DBUS_SESSION_BUS_ADDRESS
exec dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
