"""The sections of the settings (hotkey:, audio:, interpreter:, ...): frozen models whose defaults live here.

Each model validates its own keys; `agent/config.py` composes them into `Config`, checks the combinations
across sections and loads `config.yaml` on top. The policy section has its own file (agent/config_policy.py).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from voxctl.agent.interpret.backends import LLM_NAMES, NAMES

MOUSE_BUTTON = re.compile(r"button([1-9]|[12][0-9])")  # hotkey.talk may be a mouse button (X numbering)


class Section(BaseModel):
    """A section of the settings: unknown keys are errors, and a loaded value never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class HotkeyConfig(Section):
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


class HandsfreeConfig(Section):
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
    # Read a short utterance at its first pause, while the end silence runs out; the reading is used only if
    # the utterance ends with no speech after that pause (agent/listen/read_ahead.py). false: read at the end.
    speculative: bool = True
    max_utterance_s: float = Field(8.0, gt=1, le=60)  # a longer utterance is cut off and dropped
    # A short utterance (up to 4 s) whose reading is no command is read as hold mode reads it (the N best scored
    # by the grammar, the acoustic rescoring, the look by sound) before it is dropped; false: the look by sound only.
    second_look: bool = False
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


class AudioConfig(Section):
    device: str | int | None = None
    preroll_ms: int = Field(300, ge=0, le=2000)
    max_seconds: float = Field(20.0, gt=1, le=120)
    vad_threshold: float = Field(0.5, gt=0, lt=1)
    min_speech_ms: int = Field(200, ge=0, le=5000)
    max_file_seconds: float = Field(300.0, gt=0, le=7200)


class AsrConfig(Section):
    model: str = "bundled"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compute_type: str = "auto"
    beam_size: int = Field(1, ge=1, le=10)
    vocabulary_bias: bool = True
    # The titles of the open windows in the hint too (`voxctl listen`, refreshed after each plan). Off: on the
    # blind probe sets spoken (2026-12-05) six titles gave +9 commands of 1,822 and +4 talk that acted.
    hint_window_titles: bool = False
    threads: int = Field(2, ge=1, le=64)
    decode_while_held: bool = True
    endpoint_ms: int = Field(90, ge=40, le=2000)
    # An unsure short reading is read again with this much padding encoded after the speech (agent/listen/asr.py);
    # the 30 s window only when that reread loops or both stay very unsure. 0: the 30 s window at once.
    reread_pad_s: float = Field(0.0, ge=0, le=20)


class LlmConfig(Section):
    model: str | None = None
    gguf_file: str | None = None
    device: Literal["auto", "cpu", "cuda"] = "auto"
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    max_new_tokens: int = Field(256, ge=16, le=4096)
    temperature: float = Field(0.0, ge=0, le=2)
    # A LoRA adapter folder that `voxctl train --lora` wrote (agent/interpret/lora.py), merged at load time.
    adapter: str | None = None


class RemoteConfig(Section):
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


class InterpreterConfig(Section):
    backend: BackendName = "hybrid"  # type: ignore[valid-type]
    llm_backend: LlmBackendName = "cascade"  # type: ignore[valid-type]
    fuzzy_threshold: float = Field(0.84, ge=0.5, le=1.0)
    macros_file: str | None = None
    dictation_file: str | None = None  # the user's additions to agent/interpret/dictation.yaml (alphabet, ...)
    # The understanding model (agent/interpret/understand): hybrid's fallback when no LLM is configured
    # (understand_fallback), the folder of a model `voxctl train` made (None: the shipped one), and the
    # user's own examples (a YAML list of {say, plan}) that `voxctl train` learns.
    understand_fallback: bool = True
    understand_model: str | None = None
    understand_examples: str | None = None
    # Acoustic rescoring of grammar candidates (agent/interpret/rescore.py): when no reading of the audio
    # is a command, the grammar's sentences near the readings are forced through Whisper and the likeliest
    # is taken if within rescore_margin (log-probability per token) of the likeliest free reading.
    rescore: Literal["off", "failures", "all"] = "failures"  # all: also a key press read as another key
    rescore_margin: float = Field(1.25, ge=0.0, le=5.0)
    # Short commands heard by their sound (agent/interpret/understand/sounds.py): the last look at a short
    # utterance no reading made a command of, in hold mode and on the open microphone.
    by_sound: bool = True
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


class DesktopConfig(Section):
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
    # Your keys for apps' own actions, merged over tools/app_keys.yaml (agent/app_keys_file.py)
    app_keys_file: str | None = None

    @field_validator("app_keys_file")
    @classmethod
    def _app_keys(cls, v: str | None) -> str | None:
        if v:
            from voxctl.agent.app_keys_file import load_app_keys
            from voxctl.tools.bindings import BindingError

            try:
                load_app_keys(v)
            except BindingError as e:
                raise ValueError(str(e)) from None
        return v


class ConfirmConfig(Section):
    timeout_s: float = Field(10.0, gt=0, le=300)
    by_voice: bool = True
    by_keys: bool = True


class FeedbackConfig(Section):
    speak: bool = False
    voice: str = "en"


class HistoryConfig(Section):
    path: str | None = None
    keep_last: int = Field(10000, ge=10)

