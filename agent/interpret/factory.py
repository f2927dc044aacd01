"""Choosing the understanding backend from the configuration: `make_interpreter(config)`.

`grammar` needs nothing but the bundled Whisper; `audio_llm` and `cascade` load a transformers model
(their modules are imported only when chosen); `hybrid` is the grammar with the configured LLM as
fallback, or the grammar alone, with a notice, when no model is configured. Whisper itself is loaded
on the first audio, so text commands start instantly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from agent.config import AsrConfig, Config
from agent.interpret.base import Interpreter

_LLM_MODULES = {
    "cascade": ("agent.interpret.cascade", "CascadeInterpreter"),
    "audio_llm": ("agent.interpret.audio_llm", "AudioLLMInterpreter"),
}


class InterpreterUnavailable(Exception):
    """A backend that cannot be used here; str() says why and what to do."""


class LazyTranscriber:
    """The Transcriber, loaded on first use and shared by every backend that needs a transcript."""

    def __init__(self, config: AsrConfig | None = None):
        self.config = config
        self._real: Any = None

    @property
    def loaded(self) -> bool:
        return self._real is not None

    def get(self) -> Any:
        if self._real is None:
            from agent.listen.asr import Transcriber

            self._real = Transcriber(self.config)
        return self._real

    def transcribe(self, audio: Any, *args: Any, **kw: Any) -> Any:
        return self.get().transcribe(audio, *args, **kw)

    def __getattr__(self, name: str) -> Any:  # anything else the real Transcriber offers
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)


def _stderr(message: str) -> None:
    print(f"voxctl: {message}", file=sys.stderr)


def no_llm_notice(name: str) -> str:
    return (f"no LLM configured (interpreter.{name}.model); using the grammar alone. To understand "
            f"free-form speech too, set interpreter.{name}.model in config.yaml to a Hugging Face model "
            "id or a local folder (see README, \"Understanding\")")


def load_llm(name: str, config: Config, transcriber: Any) -> Interpreter:
    """The `cascade` or `audio_llm` interpreter, loaded now. Raises InterpreterUnavailable."""
    llm_config = getattr(config.interpreter, name)
    if llm_config.model is None:
        raise InterpreterUnavailable(f"the {name} backend needs interpreter.{name}.model")
    module_name, class_name = _LLM_MODULES[name]
    try:
        import importlib

        cls = getattr(importlib.import_module(module_name), class_name)
    except ModuleNotFoundError as e:
        if e.name == module_name:
            raise InterpreterUnavailable(f"the {name} backend is not available in this version of voxctl") from None
        raise InterpreterUnavailable(f"the {name} backend needs the Python package {e.name!r}") from None
    try:
        return cls(llm_config, transcriber) if name == "cascade" else cls(llm_config)
    except Exception as e:  # a model that will not load: one clear line, not a traceback
        raise InterpreterUnavailable(f"cannot load the {name} model {llm_config.model!r}: {e}") from None


def make_interpreter(config: Config, transcriber: Any = None, macros: dict[str, Any] | None = None,
                     notify: Callable[[str], None] = _stderr) -> Interpreter:
    """The interpreter `config.interpreter.backend` asks for.

    Raises InterpreterUnavailable (an LLM backend that cannot load) and MacroError (a bad macros file).
    """
    from agent.interpret.grammar import GrammarInterpreter
    from agent.interpret.hybrid import HybridInterpreter
    from agent.macros import load_macros

    backend = config.interpreter.backend
    transcriber = transcriber if transcriber is not None else LazyTranscriber(config.asr)
    if backend in _LLM_MODULES:
        return load_llm(backend, config, transcriber)
    if macros is None:
        macros = load_macros(config.interpreter.macros_file)
    grammar = GrammarInterpreter(config, macros, transcriber)
    if backend == "grammar":
        return grammar
    name = config.interpreter.llm_backend
    if getattr(config.interpreter, name).model is None:
        notify(no_llm_notice(name))
        return HybridInterpreter(grammar, None)
    try:
        llm = load_llm(name, config, transcriber)
    except InterpreterUnavailable as e:
        notify(f"{e}; using the grammar alone")
        return HybridInterpreter(grammar, None)
    return HybridInterpreter(grammar, llm, name)
