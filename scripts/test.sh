#!/usr/bin/env bash
# Runs the whole test suite (lint, then pytest). Tests start their own Xvfb and PulseAudio.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check agent tools prompts tests bench
# Two pytest-xdist workers by default, one test file each at a time (each its own Xvfb and PulseAudio):
# ~9 min on 2 cores instead of ~17 in one process (`VOXCTL_TEST_WORKERS=0`). Their former e2e failure was
# the test microphone pouring out minutes of missed silence at once, fixed (see README, "load bug").
# --durations lists the 30 slowest tests at the end: the suite is to stay under 15 min.
.venv/bin/python -m pytest -q --durations=30 -n "${VOXCTL_TEST_WORKERS:-2}" --dist loadfile "$@"
