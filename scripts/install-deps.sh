#!/usr/bin/env bash
# Installs everything Linea needs to build, run and test, from Debian 12's packages only.
# The one list of dependencies: the README, .ci/run and developers all call this script.
# Idempotent: packages already present are left alone. Works as root or through sudo.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git
  clang libclang-rt-14-dev            # libFuzzer + sanitizer runtimes for the fuzz targets
  # Qt 6 Widgets, Qt Test, translations tools
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libgl-dev libvulkan-dev qt6-translations-l10n
  # media: FFmpeg libraries (+ ffprobe for tests), PortAudio, ALSA
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev ffmpeg
  portaudio19-dev libasound2-dev alsa-utils
  libjack-jackd2-dev                  # audio: routes JACK's probing messages into Linea's log
  # vision: OpenCV, poppler-qt6, Tesseract
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libpoppler-qt6-dev libtesseract-dev libleptonica-dev tesseract-ocr-eng
  # voices
  flite1-dev libespeak-ng-dev espeak-ng-data
  # engine
  nlohmann-json3-dev libpcre2-dev libxxhash-dev libzstd-dev
  libicu-dev                          # tokenizer: Unicode normalization (NFC) and properties
  # screenshots and headless GUI runs
  xvfb xauth fonts-dejavu-core fonts-wqy-microhei
)

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: run as root or install sudo" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
