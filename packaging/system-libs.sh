#!/usr/bin/env bash
# Installs the Debian libraries Qt needs when any is missing (used by ./run and .ci/run).
# Usage: packaging/system-libs.sh [--x11] [--xvfb] [--build]
#   --x11   adds what a real X window needs
#   --xvfb  adds a virtual X server and xdotool, for the end-to-end keyboard test
#   --build adds the desktop-metadata validators and binutils, for packaging/build
set -euo pipefail
libs="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libdbus-1-3 libfontconfig1 fonts-dejavu-core"
for flag in "$@"; do
    case "$flag" in
        --x11) libs="$libs libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-render-util0"
               libs="$libs libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0" ;;
        --xvfb) libs="$libs xvfb xauth xdotool" ;;
        --build) libs="$libs desktop-file-utils appstream shared-mime-info binutils" ;;
        *) echo "usage: $0 [--x11] [--xvfb] [--build]" >&2; exit 2 ;;
    esac
done
missing=""
for pkg in $libs; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "negodrill: please install:$missing" >&2; exit 0; }
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "negodrill: please install:$missing" >&2; exit 0; }
    sudo_cmd="sudo"
fi
echo "negodrill: installing Qt's system libraries:$missing" >&2
$sudo_cmd apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $missing >/dev/null
