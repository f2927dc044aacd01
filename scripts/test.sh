#!/usr/bin/env bash
# Runs the whole test suite (lint, then pytest). Tests start their own Xvfb and PulseAudio.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check agent tools prompts tests bench
# Two workers, one test file each at a time (module fixtures stay in one process): most tests wait on
# real programs (X clients, PulseAudio, subprocesses), so two share the two cores of the CI machine well.
# Each worker starts its own Xvfb and PulseAudio (the fixtures pick free displays and private daemons).
.venv/bin/python -m pytest -q -n "${VOXCTL_TEST_WORKERS:-2}" --dist loadfile "$@"
