"""Settings: one frozen, validated model whose defaults live here; `config.yaml` is the only overlay.

Load with `load_config(path)`. A bad file raises `ConfigError` with one message per problem naming the
key and what is allowed; the CLI prints it and exits 2 (no traceback).
"""

from __future__ import annotations

import os
import re
import weakref
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from voxctl.agent.interpret.backends import LLM_NAMES, NAMES

ENV_VAR = "VOXCTL_CONFIG"
MOUSE_BUTTON = re.compile(r"button([1-9]|[12][0-9])")  # hotkey.talk may be a mouse button (X numbering)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HotkeyConfig(_Section):
    talk: str = "ctrl+alt+space"  # a chord, a single key ("f9", a foot pedal's key) or a mouse button ("button9")
    mode: Literal["hold", "toggle", "always"] = "hold"  # always: the microphone stays open (agent/handsfree.py)
    stop: str = "ctrl+alt+period"

    @field_validator("talk", "stop")
    @classmethod
    def _chord(cls, v: str) -> str:
        from voxctl.tools.keys import normalize_key

        if MOUSE_BUTTON.fullmatch(v.strip().lower()):
            return v.strip().lower()
        parts = [p.strip() for p in v.split("+") if p.strip()]
        bad = [p for p in parts if normalize_key(p) is None]
        if not parts or bad:
            raise ValueError(f"{v!r} is not a key chord like 'ctrl+alt+space' (unknown: {', '.join(bad)})")
        return "+".join(normalize_key(p) for p in parts)  # type: ignore[misc]


class HandsfreeConfig(_Section):
    """Hands-free listening (hotkey.mode: always) and the voice phrases that work in every mode."""

    sleep_phrases: list[str] = Field(default_factory=lambda: ["go to sleep"])
    wake_phrases: list[str] = Field(default_factory=lambda: ["wake up"])
    stop_phrases: list[str] = Field(default_factory=lambda: ["stop", "stop stop"])
    ignore_word: str = "ignore"  # "ignore <anything>": dropped (talking to someone in the room)
    cancel_phrase: str = "cancel cancel"  # "<anything> cancel cancel": dropped
    prefix: str | None = None  # a wake word ("computer"): only utterances that begin with it act
    auto_sleep_minutes: float = Field(0, ge=0, le=1440)  # 0 = never
    start_asleep: bool = False
    end_silence_ms: int = Field(300, ge=100, le=3000)  # silence that ends an utterance (always mode)
    max_utterance_s: float = Field(8.0, gt=1, le=60)  # a longer utterance is cut off and dropped
    min_speech_ms: int = Field(90, ge=0, le=2000)  # less speech is no utterance (silero marks ~100 ms of a "stop")
    # Whisper's own doubt, a guard against noise: tiny.en's mean token probability on short synthesized
    # commands ranged 0.18-0.94 and was higher on conversation, so the exact grammar parse is the real gate.
    max_no_speech_prob: float = Field(0.6, gt=0, le=1)  # Whisper's no-speech probability above this: dropped
    min_confidence: float = Field(0.15, ge=0, lt=1)  # Whisper's mean token probability below this: dropped
    earcons: Literal["auto", "on", "off"] = "auto"  # auto: on where there is an audio output device
    earcon_volume: float = Field(0.3, ge=0, le=1)
    indicator: bool = False  # a small always-on-top status window (asleep / listening / hearing / running)

    @field_validator("sleep_phrases", "wake_phrases", "stop_phrases")
    @classmethod
    def _phrases(cls, v: list[str]) -> list[str]:
        out = [" ".join(p.lower().split()) for p in v if p.strip()]
        if not out:
            raise ValueError("give at least one phrase")
        return out

    @model_validator(mode="after")
    def _distinct(self) -> HandsfreeConfig:
        if set(self.sleep_phrases) & set(self.wake_phrases):
            raise ValueError("a phrase cannot both wake and put to sleep")
        return self


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


class RemoteConfig(_Section):
    """A serving engine reached over HTTP (agent/interpret/remote.py): vLLM, llama.cpp, Ollama, ..."""

    base_url: str = "http://127.0.0.1:8000/v1"  # the OpenAI base URL (Ollama: http://host:11434/v1 too)
    model: str | None = None  # the name the server serves it under (as GET /v1/models lists it)
    api_key_env: str | None = None  # the NAME of the environment variable that holds the key, never the key
    audio: bool = False  # true: send the audio (an audio LLM hears it); false: send Whisper's transcript
    timeout_s: float = Field(30.0, gt=0, le=600)
    flavor: Literal["auto", "vllm", "llama_cpp", "ollama", "openai"] = "auto"
    max_new_tokens: int = Field(256, ge=16, le=4096)
    temperature: float = Field(0.0, ge=0, le=2)

    @field_validator("base_url")
    @classmethod
    def _url(cls, v: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(v.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL such as http://127.0.0.1:8000/v1")
        if parts.username or parts.password or parts.query:
            raise ValueError("must not hold a user, password or query: put the key in the variable api_key_env names")
        return v.strip().rstrip("/")

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,127}", v):
            # The message does not repeat the value: it may be the key itself, pasted in the wrong place.
            raise ValueError("must be the name of an environment variable (letters, digits and _), "
                             "not the key itself")
        return v


# Backend names come from the one table of backends (agent/interpret/backends.py).
BackendName = Literal[NAMES]  # type: ignore[valid-type]
LlmBackendName = Literal[LLM_NAMES]  # type: ignore[valid-type]


class InterpreterConfig(_Section):
    backend: BackendName = "hybrid"  # type: ignore[valid-type]
    llm_backend: LlmBackendName = "cascade"  # type: ignore[valid-type]
    fuzzy_threshold: float = Field(0.84, ge=0.5, le=1.0)
    macros_file: str | None = None
    dictation_file: str | None = None  # the user's additions to agent/interpret/dictation.yaml (alphabet, ...)
    # The understanding model (agent/interpret/understand): hybrid's fallback when no LLM is configured
    # (understand_fallback), the folder of a model `voxctl train` made (None: the shipped one), and the
    # user's own examples (a YAML list of {say, plan}) that `voxctl train` learns.
    understand_fallback: bool = False
    understand_model: str | None = None
    understand_examples: str | None = None
    audio_llm: LlmConfig = LlmConfig()
    cascade: LlmConfig = LlmConfig()
    remote: RemoteConfig = RemoteConfig()

    @field_validator("dictation_file")
    @classmethod
    def _dictation(cls, v: str | None) -> str | None:
        if v:
            from voxctl.agent.interpret.dictation import DictationError, load_dictation

            try:
                load_dictation(v)
            except DictationError as e:
                raise ValueError(str(e)) from None
        return v

    @model_validator(mode="after")
    def _llm_configured(self) -> InterpreterConfig:
        if self.backend in LLM_NAMES and getattr(self, self.backend).model is None:
            what = ("the name the server serves the model under" if self.backend == "remote"
                    else "a Hugging Face model id or a local path")
            raise ValueError(f"backend {self.backend!r} needs interpreter.{self.backend}.model ({what})")
        return self


class DesktopConfig(_Section):
    backend: Literal["real", "dry_run"] = "real"
    terminal: str = "x-terminal-emulator"
    app_aliases: dict[str, str] = Field(default_factory=dict)
    screenshot_dir: str = "~/Pictures/voxctl"
    action_pause: float = Field(0.05, ge=0, le=2)
    typing_interval: float = Field(0.0, ge=0, le=0.5)
    # keys: typed key by key; paste: through the clipboard, exact on any keyboard layout (tools/clipboard.py)
    typing: Literal["keys", "paste"] = "keys"
    ocr_lang: str = "eng"
    # Seconds the mouse grid and numbered labels stay shown when not used or hidden; 0 keeps them up.
    overlay_timeout: float = Field(30.0, ge=0, le=3600)


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
