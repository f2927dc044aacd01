"""Configuration: config.yaml documents every setting, and bad files stop voxctl with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from voxctl.agent.config import Config, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[1]
CONFIG_YAML = ROOT / "config.yaml"


def _fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    out = set()
    for name, f in model.model_fields.items():
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out |= _fields(ann, f"{prefix}{name}.")
        else:
            out.add(prefix + name)
    return out


def _keys(data: dict, prefix: str = "") -> set[str]:
    out = set()
    for k, v in data.items():
        if isinstance(v, dict) and v and all(isinstance(x, str) for x in v) and f"{prefix}{k}" not in (
            "desktop.app_aliases", "policy.tool_risk"):
            out |= _keys(v, f"{prefix}{k}.")
        else:
            out.add(prefix + k)
    return out


def test_config_yaml_lists_every_setting_with_its_default():
    data = yaml.safe_load(CONFIG_YAML.read_text())
    assert _keys(data) == _fields(Config)
    assert load_config(CONFIG_YAML) == Config()


def test_every_setting_line_has_a_comment():
    for line in CONFIG_YAML.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.endswith(":"):
            continue
        assert "#" in line, f"config.yaml line without a comment: {line!r}"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "c.yaml"
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("audio:\n  preroll_ms: lots\n", "audio.preroll_ms"),
        ("audio:\n  preroll_ms: 99999\n", "less than or equal to 2000"),
        ("hotkey:\n  mode: sometimes\n", "'sometimes' is not allowed; expected 'hold', 'toggle' or 'always'"),
        ("hotkey:\n  talk: ctrl+banana\n", "unknown: banana"),
        ("nonsense: 1\n", "nonsense: unknown setting"),
        ("asr:\n  modle: x\n", "asr.modle: unknown setting"),
        ("interpreter:\n  backend: cascade\n", "needs interpreter.cascade.model"),
        ("policy:\n  tool_risk: {explode: high}\n", "unknown tool 'explode'"),
        ("hotkey:\n  talk: ctrl+alt+space\n  stop: space+alt+ctrl\n", "must be different chords"),
        ("- a list\n", "top level must be a mapping"),
        ("audio: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_config_names_the_key(tmp_path, text, expected):
    with pytest.raises(ConfigError) as e:
        load_config(write(tmp_path, text))
    assert expected in str(e.value)


def test_valid_overlay_and_high_always_confirms(tmp_path):
    c = load_config(write(tmp_path, "policy:\n  confirm_tiers: [medium]\nhotkey:\n  talk: Control+Shift+F9\n"))
    assert c.policy.confirm_tiers == ["high", "medium"]
    assert c.hotkey.talk == "ctrl+shift+f9"
    assert c.asr.model == "bundled"  # untouched defaults stay
    with pytest.raises(ValidationError):
        c.asr.model = "x"  # frozen


def _voxctl(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voxctl.agent", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT, timeout=60)


def test_cli_bad_config_is_one_message_not_a_traceback(tmp_path):
    p = write(tmp_path, "audio:\n  max_seconds: -3\n")
    r = _voxctl("--config", str(p), "tools", "--json")
    assert r.returncode == 2
    assert "audio.max_seconds" in r.stderr and "Traceback" not in r.stderr
    r = _voxctl("tools", "--json", env={"VOXCTL_CONFIG": str(p)})
    assert r.returncode == 2 and "audio.max_seconds" in r.stderr
    r = _voxctl("--config", str(tmp_path / "missing.yaml"), "tools")
    assert r.returncode == 2 and "not found" in r.stderr and "Traceback" not in r.stderr


def test_cli_version_and_help():
    r = _voxctl("--version")
    assert r.returncode == 0 and r.stdout.startswith("voxctl ")
    r = _voxctl("--help")
    assert r.returncode == 0
    for cmd in ("listen", "tools", "exec", "do", "run", "interpret", "transcribe", "devices", "doctor",
                "history", "bench"):
        assert cmd in r.stdout
