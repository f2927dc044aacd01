"""Settings: one frozen, validated model whose defaults live here; `config.yaml` is the only overlay.

Load with `load_config(path)`. A bad file raises `ConfigError` with one message per problem naming the
key and what is allowed; the CLI prints it and exits 2 (no traceback). The sections' models live in
agent/config_sections.py and agent/config_policy.py; this file composes them, checks the combinations across
sections and loads the file.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

from pydantic import ValidationError, model_validator

from voxctl.agent.config_policy import COMMAND_WINDOWS, PolicyConfig, WindowRule
from voxctl.agent.config_sections import (
    MOUSE_BUTTON,
    AsrConfig,
    AudioConfig,
    BackendName,
    ConfirmConfig,
    DesktopConfig,
    FeedbackConfig,
    HandsfreeConfig,
    HistoryConfig,
    HotkeyConfig,
    InterpreterConfig,
    LlmBackendName,
    LlmConfig,
    RemoteConfig,
    Section,
)

# The sections are re-exported: most callers take their section's model from here, next to Config.
__all__ = [
    "COMMAND_WINDOWS", "MOUSE_BUTTON", "AsrConfig", "AudioConfig", "BackendName", "Config", "ConfigError",
    "ConfirmConfig", "DesktopConfig", "FeedbackConfig", "HandsfreeConfig", "HistoryConfig", "HotkeyConfig",
    "InterpreterConfig", "LlmBackendName", "LlmConfig", "PolicyConfig", "RemoteConfig", "WindowRule",
    "default_path", "load_config", "source_of",
]

ENV_VAR = "VOXCTL_CONFIG"


class Config(Section):
    hotkey: HotkeyConfig = HotkeyConfig()
    audio: AudioConfig = AudioConfig()
    asr: AsrConfig = AsrConfig()
    interpreter: InterpreterConfig = InterpreterConfig()
    desktop: DesktopConfig = DesktopConfig()
    policy: PolicyConfig = PolicyConfig()
    confirm: ConfirmConfig = ConfirmConfig()
    feedback: FeedbackConfig = FeedbackConfig()
    history: HistoryConfig = HistoryConfig()
    handsfree: HandsfreeConfig = HandsfreeConfig()

    @model_validator(mode="after")
    def _distinct_chords(self) -> Config:
        if set(self.hotkey.talk.split("+")) == set(self.hotkey.stop.split("+")):
            raise ValueError("hotkey.talk and hotkey.stop must be different chords")
        if MOUSE_BUTTON.fullmatch(self.hotkey.stop):
            raise ValueError("hotkey.stop must be keys, not a mouse button")
        if self.hotkey.mode == "always" and self.interpreter.backend not in ("grammar", "hybrid"):
            # Only a grammar parse is strict enough to act on speech nobody marked as a command.
            raise ValueError("hotkey.mode always needs interpreter.backend grammar or hybrid")
        return self


class ConfigError(Exception):
    """A configuration file that cannot be used; str() is the message for the user."""


def _describe(err: ValidationError, source: str) -> str:
    lines = [f"{source}: invalid configuration"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown setting"
        elif e["type"] == "literal_error":
            msg = f"{e['input']!r} is not allowed; expected {e['ctx']['expected']}"
        lines.append(f"  {key}: {msg}")
    return "\n".join(lines)


def default_path() -> Path | None:
    """The file used when no --config is given: $VOXCTL_CONFIG, ./config.yaml, then the user's config dir."""
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    import platformdirs

    for cand in (Path("config.yaml"), Path(platformdirs.user_config_dir("voxctl")) / "config.yaml"):
        if cand.is_file():
            return cand
    return None


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """The Config from `path` (or the default file, or pure defaults), with `overrides` merged on top."""
    path = Path(path) if path is not None else default_path()
    data: dict[str, Any] = {}
    source = str(path) if path else "defaults"
    if path is not None:
        from voxctl.agent.files import UserFileError, read_yaml

        try:  # a regular UTF-8 file only: a FIFO would hang the start, a binary file would be a traceback
            data = read_yaml(path, "configuration file") or {}
        except UserFileError as e:
            raise ConfigError(str(e)) from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: the top level must be a mapping of sections (hotkey:, audio:, ...)")
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    try:
        config = Config.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_describe(e, source)) from None
    _SOURCES[id(config)] = (weakref.ref(config), str(path) if path else "")
    return config


# Which file each loaded Config came from (for the start banner and doctor); weak, so none is kept alive.
_SOURCES: dict[int, tuple[weakref.ref[Config], str]] = {}


def source_of(config: Config) -> str:
    """The file `config` was loaded from; "" for the built-in defaults or a Config built in code."""
    ref, path = _SOURCES.get(id(config), (None, ""))
    return path if ref is not None and ref() is config else ""
