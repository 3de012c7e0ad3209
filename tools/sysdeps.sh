#!/usr/bin/env bash
# System packages netbook needs beyond PyPI: fonts that cover every script a name may be
# written in (the printed call list embeds them), and — for a real window — Qt's xcb
# libraries. Installs what is missing when run as root (CI, a fresh container);
# otherwise says what to install. Usage: tools/sysdeps.sh [--window]
set -u
need=()
have_font() { fc-list "$1" 2>/dev/null | grep -q .; }
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
have_font ':lang=el' && have_font ':lang=ru' || need+=(fonts-dejavu-core)
have_font ':lang=ja' || need+=(fonts-droid-fallback)
if [[ ${1:-} == --window ]]; then
  for lib in libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 \
             libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-shape.so.0:libxcb-shape0 \
             libxkbcommon-x11.so.0:libxkbcommon-x11-0 libxcb-render-util.so.0:libxcb-render-util0 \
             libxcb-image.so.0:libxcb-image0 libxcb-xkb.so.1:libxcb-xkb1; do
    ldconfig -p 2>/dev/null | grep -q "${lib%%:*}" || need+=("${lib##*:}")
  done
fi
((${#need[@]})) || exit 0
if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "Could not install: ${need[*]}" >&2; exit 1; }
else
  echo "netbook needs these system packages: ${need[*]}" >&2
  echo "  sudo apt-get install ${need[*]}" >&2
  exit 1
fi
