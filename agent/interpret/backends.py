"""The table of understanding backends: one row each. Everything that names backends reads it: config
validation (agent/config.py), the CLI's choices, the listen loop (does it need a transcript?), doctor
(which models to look for), the benchmarks, and `make_interpreter` (agent/interpret/factory.py).

Adding a backend is adding a row: its name, the function that loads it, whether it hears the audio itself
(no Whisper transcript is made for it), and, for a model-based backend, the interpreter class and whether
it takes the shared transcriber. A model-based backend also has its settings section in config.py
(`interpreter.<name>`, an LlmConfig), named like the row.

This module imports nothing heavy: loaders are named as "module:attribute" and imported when used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Backend:
    name: str
    loader: str  # "module:function", called as function(backend, session, transcriber, notify)
    hears_audio: bool = False  # reads the audio itself: no Whisper transcript is made for it
    audio_setting: str = ""  # or: the bool setting in interpreter.<name> that says whether it does
    llm: bool = False  # a model-based backend: needs interpreter.<name>.model
    model_class: str = ""  # llm: "module:Class", constructed with (LlmConfig[, transcriber])
    help: str = ""

    def load(self, session: Any, transcriber: Any, notify: Any) -> Any:
        module, _, attr = self.loader.partition(":")
        return getattr(importlib.import_module(module), attr)(self, session, transcriber, notify)


_FACTORY = "voxctl.agent.interpret.factory"

BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend("hybrid", f"{_FACTORY}:load_hybrid",
            help="the grammar first; what it cannot read goes to interpreter.llm_backend"),
    Backend("grammar", f"{_FACTORY}:load_grammar", help="the command grammar alone (milliseconds)"),
    Backend("audio_llm", f"{_FACTORY}:load_llm", hears_audio=True, llm=True,
            model_class="voxctl.agent.interpret.audio_llm:AudioLLMInterpreter",
            help="an audio language model hears the speech and writes the plan"),
    Backend("cascade", f"{_FACTORY}:load_llm", llm=True,
            model_class="voxctl.agent.interpret.cascade:CascadeInterpreter",
            help="Whisper's transcript, then a text language model writes the plan"),
    Backend("remote", f"{_FACTORY}:load_llm", llm=True, audio_setting="audio",
            model_class="voxctl.agent.interpret.remote:RemoteInterpreter",
            help="a model in a serving engine (vLLM, llama.cpp, Ollama) over its OpenAI-compatible API"),
    Backend("understand", f"{_FACTORY}:load_understand",
            help="the small understanding model trained here (voxctl train): natural phrasings, CPU, tens of ms"),
)}

NAMES: tuple[str, ...] = tuple(BACKENDS)
LLM_NAMES: tuple[str, ...] = tuple(n for n, b in BACKENDS.items() if b.llm)


def hears_audio(name: str, interpreter: Any = None) -> bool:
    """Whether backend `name` takes the audio itself rather than a Whisper transcript (for a backend
    where a setting decides, as configured in `interpreter`, the InterpreterConfig)."""
    b = BACKENDS[name]
    if b.audio_setting and interpreter is not None:
        return bool(getattr(getattr(interpreter, name), b.audio_setting))
    return b.hears_audio
