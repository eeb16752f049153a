#!/usr/bin/env bash
# Takes the screenshots in docs/: starts Linea under Xvfb and grabs the screen with FFmpeg's x11grab
# (docs/screenshot.png, the window as a fresh install opens it); then, when a model is at hand, runs
# tests/bin/take_screenshots on the same display, which drives the real window to a chat with a reply
# (screenshot-chat.png), a 200-page PDF being read (screenshot-ingestion.png) and Model Details
# (screenshot-model-details.png), saved beside the first.
# Usage: scripts/screenshot.sh [build dir] [output] [language: en|zh_CN|de]
# The model is $LINEA_SCREENSHOT_MODEL, else the tiny RWKV-7 from ../shared/testdata (its replies are
# not meaningful text: it is an 834K-parameter test model).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
output=${2:-docs/screenshot.png}
language=${3:-en}
model=${LINEA_SCREENSHOT_MODEL:-${LINEA_TESTDATA:-../shared/testdata}/rwkv7-tiny/tiny-rwkv-7v0-834K-FP32.bin}
display=:97
size=1100x720

Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp &
xvfb_pid=$!
app_pid=
home=$(mktemp -d)
cleanup() { kill $app_pid "$xvfb_pid" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
sleep 1

# A clean settings folder, so the screenshots never depend on the developer's own settings.
mkdir -p "$home/.config/Linea"
printf '[ui]\nlanguage=%s\n' "$language" > "$home/.config/Linea/Linea.conf"
export DISPLAY=$display HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share QT_QPA_PLATFORM=xcb
"$build/bin/linea" &
app_pid=$!
sleep 4
kill -0 "$app_pid" || { echo "linea exited before the screenshot" >&2; exit 1; }
mkdir -p "$(dirname "$output")"
ffmpeg -loglevel error -y -f x11grab -draw_mouse 0 -video_size "$size" -i "$display" -frames:v 1 "$output"
echo "wrote $output"
kill "$app_pid"
wait "$app_pid" 2>/dev/null || true
app_pid=

if [[ ! -e "$model" ]]; then
  echo "no model at $model (set LINEA_SCREENSHOT_MODEL): skipped the chat, document and model views" >&2
  exit 0
fi
"$build/tests/bin/take_screenshots" "$model" "$(dirname "$output")"
