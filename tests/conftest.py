"""Shared test set-up: no network, and the real-part fixtures (Xvfb display, PulseAudio microphone)."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

pytest_plugins = ["tests.fixtures.xdisplay", "tests.fixtures.speech", "tests.fixtures.pulse",
                  "tests.fixtures.tiny_models", "tests.fixtures.xephyr", "tests.fixtures.smollm2",
                  "tests.fixtures.whisper", "tests.fixtures.understand"]


def pytest_terminal_summary(terminalreporter):
    from tests.fixtures.xdisplay import RESTARTS

    if RESTARTS:
        terminalreporter.section("window manager restarts")
        for line in RESTARTS:
            terminalreporter.write_line(line)
