"""Settings: one frozen, validated model whose defaults live here; `config.yaml` is the only overlay.

Load with `load_config(path)`. A bad file raises `ConfigError` with one message per problem naming the
key and what is allowed; the CLI prints it and exits 2 (no traceback).
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from voxctl.agent.interpret.backends import LLM_NAMES, NAMES

ENV_VAR = "VOXCTL_CONFIG"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HotkeyConfig(_Section):
    talk: str = "ctrl+alt+space"
    mode: Literal["hold", "toggle"] = "hold"
    stop: str = "ctrl+alt+period"

    @field_validator("talk", "stop")
    @classmethod
    def _chord(cls, v: str) -> str:
        from voxctl.tools.keys import normalize_key

        parts = [p.strip() for p in v.split("+") if p.strip()]
        bad = [p for p in parts if normalize_key(p) is None]
        if not parts or bad:
            raise ValueError(f"{v!r} is not a key chord like 'ctrl+alt+space' (unknown: {', '.join(bad)})")
        return "+".join(normalize_key(p) for p in parts)  # type: ignore[misc]


class AudioConfig(_Section):
    device: str | int | None = None
    preroll_ms: int = Field(300, ge=0, le=2000)
    max_seconds: float = Field(20.0, gt=1, le=120)
    vad_threshold: float = Field(0.5, gt=0, lt=1)
    min_speech_ms: int = Field(200, ge=0, le=5000)
    max_file_seconds: float = Field(300.0, gt=0, le=7200)


class AsrConfig(_Section):
    model: str = "bundled"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compute_type: str = "auto"
    beam_size: int = Field(1, ge=1, le=10)
    vocabulary_bias: bool = True
    threads: int = Field(2, ge=1, le=64)
    decode_while_held: bool = True
    endpoint_ms: int = Field(90, ge=40, le=2000)


class LlmConfig(_Section):
    model: str | None = None
    gguf_file: str | None = None
    device: Literal["auto", "cpu", "cuda"] = "auto"
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    max_new_tokens: int = Field(256, ge=16, le=4096)
    temperature: float = Field(0.0, ge=0, le=2)


# Backend names come from the one table of backends (agent/interpret/backends.py).
BackendName = Literal[NAMES]  # type: ignore[valid-type]
LlmBackendName = Literal[LLM_NAMES]  # type: ignore[valid-type]


class InterpreterConfig(_Section):
    backend: BackendName = "hybrid"  # type: ignore[valid-type]
    llm_backend: LlmBackendName = "cascade"  # type: ignore[valid-type]
    fuzzy_threshold: float = Field(0.84, ge=0.5, le=1.0)
    macros_file: str | None = None
    audio_llm: LlmConfig = LlmConfig()
    cascade: LlmConfig = LlmConfig()

    @model_validator(mode="after")
    def _llm_configured(self) -> InterpreterConfig:
        if self.backend in LLM_NAMES and getattr(self, self.backend).model is None:
            raise ValueError(
                f"backend {self.backend!r} needs interpreter.{self.backend}.model "
                "(a Hugging Face model id or a local path)"
            )
        return self


class DesktopConfig(_Section):
    backend: Literal["real", "dry_run"] = "real"
    terminal: str = "x-terminal-emulator"
    app_aliases: dict[str, str] = Field(default_factory=dict)
    screenshot_dir: str = "~/Pictures/voxctl"
    action_pause: float = Field(0.05, ge=0, le=2)
    typing_interval: float = Field(0.0, ge=0, le=0.5)
    ocr_lang: str = "eng"


class WindowRule(_Section):
    """A per-window risk override (policy.window_rules); evaluated by agent/policy.py.

    {window: psql, submits: true, risk: high}: a line submitted (any key or text that submits one, see
    tools/submission.py) in a window whose title or WM_CLASS matches "psql" is high risk. The window is the
    real one the action lands in, as the policy predicts it. (Terminals need no rule: policy.command_windows.)
    """

    window: str = Field(min_length=1)  # regex searched (case-insensitively) in the window's title and WM_CLASS
    tool: str | None = None  # only this tool; None = any tool
    keys: list[str] | None = None  # press_keys only: a press that fires this chord (more modifiers or keys too)
    submits: bool = False  # only actions that submit a line (Enter, ctrl+m, ctrl+j, text with a newline, a paste)
    after: str | None = None  # only when an earlier action of the same plan used this tool
    risk: Literal["low", "medium", "high"]

    @field_validator("window")
    @classmethod
    def _regex(cls, v: str) -> str:
        import re

        try:
            re.compile(v, re.IGNORECASE)
        except re.error as e:
            raise ValueError(f"{v!r} is not a valid regular expression: {e}") from None
        return v

    @field_validator("tool", "after")
    @classmethod
    def _known_tool(cls, v: str | None) -> str | None:
        from voxctl.tools.registry import TOOLS

        if v is not None and v not in TOOLS:
            raise ValueError(f"unknown tool {v!r} (known: {', '.join(TOOLS)})")
        return v

    @field_validator("keys")
    @classmethod
    def _chord(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        from voxctl.tools.keys import normalize_key

        bad = [k for k in v if normalize_key(k) is None]
        if not v or bad:
            raise ValueError(f"{v!r} is not a key chord like [ctrl, w] (unknown: {', '.join(bad)})")
        return [normalize_key(k) for k in v]  # type: ignore[misc]

    @model_validator(mode="after")
    def _keys_need_press(self) -> WindowRule:
        if self.keys is not None and self.tool not in (None, "press_keys"):
            raise ValueError(f"keys only apply to press_keys, not to {self.tool}")
        return self


# Windows that run what is submitted in them (WM_CLASS or title, regexes searched case-insensitively):
# terminals and consoles. A line submitted in one is high risk, always (agent/policy.py, tools/guard.py).
COMMAND_WINDOWS: tuple[str, ...] = (
    r"\b(u|lx|q)?xterm\b", r"terminal", r"\bkonsole\b", r"\bterminator\b", r"\btilix\b", r"\balacritty\b",
    r"\bkitty\b", r"rxvt", r"^st(-256color)?$", r"\bsakura\b", r"\bterminology\b", r"^foot(client)?$",
    r"wezterm", r"\bguake\b", r"\btilda\b", r"\byakuake\b", r"\beterm\b", r"\baterm\b", r"\bconsole\b",
    r"\bshell\b", r"\bcmd(\.exe)?\b", r"command prompt", r"powershell", r"\bpwsh\b", r"\biterm2?\b",
)


class PolicyConfig(_Section):
    confirm_tiers: list[Literal["low", "medium", "high"]] = Field(default_factory=lambda: ["high"])
    tool_risk: dict[str, Literal["low", "medium", "high"]] = Field(default_factory=dict)
    window_rules: list[WindowRule] = Field(default_factory=list)
    command_windows: list[str] = Field(default_factory=lambda: list(COMMAND_WINDOWS))
    max_actions: int = Field(20, ge=1, le=500)  # steps per plan, counted after macro expansion
    max_primitives: int = Field(500, ge=1, le=100_000)  # primitive actions per plan (a press x50 is 50)
    max_plans_per_minute: int = Field(30, ge=1, le=1000)

    @field_validator("confirm_tiers")
    @classmethod
    def _high_always(cls, v: list[str]) -> list[str]:
        return sorted(set(v) | {"high"})

    @field_validator("command_windows")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        import re

        for p in v:
            try:
                re.compile(p, re.IGNORECASE)
            except re.error as e:
                raise ValueError(f"{p!r} is not a valid regular expression: {e}") from None
        return v

    @field_validator("tool_risk")
    @classmethod
    def _known_tools(cls, v: dict[str, str]) -> dict[str, str]:
        from voxctl.tools.registry import TOOLS

        unknown = [k for k in v if k not in TOOLS]
        if unknown:
            raise ValueError(f"unknown tool {unknown[0]!r} (known: {', '.join(TOOLS)})")
        return v


class ConfirmConfig(_Section):
    timeout_s: float = Field(10.0, gt=0, le=300)
    by_voice: bool = True
    by_keys: bool = True


class FeedbackConfig(_Section):
    speak: bool = False
    voice: str = "en"


class HistoryConfig(_Section):
    path: str | None = None
    keep_last: int = Field(10000, ge=10)


class Config(_Section):
    hotkey: HotkeyConfig = HotkeyConfig()
    audio: AudioConfig = AudioConfig()
    asr: AsrConfig = AsrConfig()
    interpreter: InterpreterConfig = InterpreterConfig()
    desktop: DesktopConfig = DesktopConfig()
    policy: PolicyConfig = PolicyConfig()
    confirm: ConfirmConfig = ConfirmConfig()
    feedback: FeedbackConfig = FeedbackConfig()
    history: HistoryConfig = HistoryConfig()

    @model_validator(mode="after")
    def _distinct_chords(self) -> Config:
        if set(self.hotkey.talk.split("+")) == set(self.hotkey.stop.split("+")):
            raise ValueError("hotkey.talk and hotkey.stop must be different chords")
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
        from voxctl.agent.files import UserFileError, read_text

        try:  # a regular UTF-8 file only: a FIFO would hang the start, a binary file would be a traceback
            text = read_text(path, "configuration file")
        except UserFileError as e:
            raise ConfigError(str(e)) from None
        try:
            data = yaml.safe_load(text) or {}
        except RecursionError:
            raise ConfigError(f"{path}: not valid YAML: nested too deeply") from None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise ConfigError(f"{path}: not valid YAML{where}: {getattr(e, 'problem', e)}") from None
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
