#!/usr/bin/env bash
# Debian/Ubuntu packages fx-desktop needs: Qt's xcb platform plugin, CJK fonts, PDF rendering, a virtual screen
# for screenshots; for the tests also a Secret Service keyring (gnome-keyring under dbus-run-session) and
# PostgreSQL for fx-bureau. Installs only what is missing, so running it again is quick and changes nothing.
set -euo pipefail
PACKAGES=(
  python3-venv
  libegl1 libgl1 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-xkb1
  fonts-wqy-zenhei fonts-arphic-uming
  poppler-utils poppler-data
  xvfb xauth imagemagick
  gnome-keyring dbus-daemon dbus-bin
  postgresql
)
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install the equivalents of: ${PACKAGES[*]}" >&2
  exit 0
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
