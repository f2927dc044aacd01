#!/usr/bin/env bash
# Runs the whole test suite (lint, then pytest). Tests start their own Xvfb and PulseAudio.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check agent tools prompts tests bench
.venv/bin/python -m pytest -q "$@"
