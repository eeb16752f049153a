#!/usr/bin/env bash
# Takes docs/screenshot.png: starts Linea under Xvfb, waits for the window, grabs the screen with
# FFmpeg's x11grab. Usage: scripts/screenshot.sh [build dir] [output] [language: en|zh_CN|de]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
output=${2:-docs/screenshot.png}
language=${3:-en}
display=:97
size=1100x720

Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp &
xvfb_pid=$!
home=$(mktemp -d)
cleanup() { kill "$app_pid" "$xvfb_pid" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
sleep 1

# A clean settings folder, so the screenshot never depends on the developer's own settings.
mkdir -p "$home/.config/Linea"
printf '[ui]\nlanguage=%s\n' "$language" > "$home/.config/Linea/Linea.conf"
DISPLAY=$display HOME=$home XDG_CONFIG_HOME=$home/.config QT_QPA_PLATFORM=xcb "$build/bin/linea" &
app_pid=$!
sleep 4
kill -0 "$app_pid" || { echo "linea exited before the screenshot" >&2; exit 1; }
mkdir -p "$(dirname "$output")"
ffmpeg -loglevel error -y -f x11grab -draw_mouse 0 -video_size "$size" -i "$display" -frames:v 1 "$output"
echo "wrote $output"
