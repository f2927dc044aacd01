"""The table of understanding backends: config validation, the CLI, the listen loop, doctor and the
benchmarks all take the names and facts from agent/interpret/backends.py."""

from __future__ import annotations

import pytest

from voxctl.agent.cli import build_parser
from voxctl.agent.config import ConfigError, load_config
from voxctl.agent.interpret.backends import BACKENDS, LLM_NAMES, NAMES, hears_audio
from voxctl.agent.loop import transcribes
from voxctl.tools.registry import ActionPlan


def test_names_come_from_the_table():
    assert NAMES == tuple(BACKENDS) and set(LLM_NAMES) == {n for n, b in BACKENDS.items() if b.llm}
    for name in NAMES:
        overrides = {"interpreter.backend": name, **({f"interpreter.{name}.model": "x/y"} if name in LLM_NAMES else {})}
        cfg = load_config(None, overrides)
        assert cfg.interpreter.backend == name
        assert transcribes(cfg) is not hears_audio(name)
        assert build_parser().parse_args(["do", "--backend", name, "x"]).backend == name
    for name in LLM_NAMES:
        assert load_config(None, {"interpreter.llm_backend": name}).interpreter.llm_backend == name
    with pytest.raises(ConfigError, match="'nope' is not allowed; expected 'hybrid', 'grammar'"):
        load_config(None, {"interpreter.backend": "nope"})
    with pytest.raises(SystemExit):
        build_parser().parse_args(["do", "--backend", "nope", "x"])


def test_every_model_backend_names_its_class_and_settings_and_a_plan_source():
    sources = set(ActionPlan.model_fields["source"].annotation.__args__)
    cfg = load_config(None)
    for name, b in BACKENDS.items():
        assert b.loader.startswith("voxctl.agent.interpret.factory:") and b.help, name
        if b.llm:
            assert ":" in b.model_class and hasattr(cfg.interpreter, name), name
            assert name in sources, name  # what it produces is a source the action contract names
