"""Shared parts of the safety suite: configuration, the agent on the dry-run desktop, Whisper loaded once."""

from __future__ import annotations

import pytest

from tests.safety import FIGURES
from voxctl.agent.config import Config


def safety_config(tmp_path, **sections) -> Config:
    data = {"history": {"path": str(tmp_path / "history.sqlite")}, "desktop": {"action_pause": 0},
            "interpreter": {"macros_file": None, "backend": "grammar"},
            "policy": {"max_plans_per_minute": 1000}}
    for k, v in sections.items():
        data.setdefault(k, {}).update(v)
    return Config.model_validate(data)


@pytest.fixture(scope="session")
def transcriber():
    """The bundled Whisper (tiny.en), loaded once for the whole suite."""
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.transcript import AsrError

    try:
        return Transcriber(Config().asr)
    except AsrError as e:
        pytest.skip(str(e))


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("safety figures")
        for item, text in FIGURES.items():
            terminalreporter.write_line(f"{item}: {text}")
