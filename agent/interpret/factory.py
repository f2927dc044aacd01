"""Choosing the understanding backend from the configuration: `make_interpreter(config)`.

The backends are rows of agent/interpret/backends.py; their loaders live here. `grammar` needs nothing
but the bundled Whisper; the model-based backends (`audio_llm`, `cascade`) load a transformers model
(their modules are imported only when chosen); `hybrid` is the grammar with the configured LLM as
fallback, or, when no LLM is configured, with the shipped understanding model (`understand_fallback`, on
by default) or the grammar alone, with a notice either way. Whisper itself is loaded
on the first audio, so text commands start instantly. Every backend gets the session's macros: the
file is never read here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from voxctl.agent.config import AsrConfig, Config
from voxctl.agent.interpret.backends import BACKENDS, Backend
from voxctl.agent.interpret.base import Interpreter
from voxctl.agent.session import Session


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
            from voxctl.agent.listen.asr import Transcriber

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


def no_llm_notice(name: str, understand: bool = False) -> str:
    """The hint that no LLM is configured; `understand`: the shipped understanding model reads what the
    grammar cannot (interpreter.understand_fallback)."""
    using = "using the grammar and the small understanding model" if understand else "using the grammar alone"
    if name == "remote":
        return (f"no LLM configured (interpreter.remote.model); {using}. To understand free-form "
                "speech too, set interpreter.remote.base_url and model in config.yaml (see README, \"Serving the "
                "model elsewhere\")")
    return (f"no LLM configured (interpreter.{name}.model); {using}. To understand "
            f"free-form speech too, set interpreter.{name}.model in config.yaml to a Hugging Face model "
            "id or a local folder (see README, \"Understanding\")")


def load_llm(backend: Backend | str, session: Session | Config, transcriber: Any = None,
             notify: Callable[[str], None] = _stderr) -> Interpreter:
    """A model-based backend (`cascade`, `audio_llm`, ...), loaded now. Raises InterpreterUnavailable."""
    b = BACKENDS[backend] if isinstance(backend, str) else backend
    config = session.config if isinstance(session, Session) else session
    name = b.name
    llm_config = getattr(config.interpreter, name)
    if llm_config.model is None:
        raise InterpreterUnavailable(f"the {name} backend needs interpreter.{name}.model")
    module_name, _, class_name = b.model_class.partition(":")
    try:
        import importlib

        cls = getattr(importlib.import_module(module_name), class_name)
    except ModuleNotFoundError as e:
        if e.name == module_name:
            raise InterpreterUnavailable(f"the {name} backend is not available in this version of voxctl") from None
        raise InterpreterUnavailable(f"the {name} backend needs the Python package {e.name!r}") from None
    try:
        return cls(llm_config) if b.hears_audio else cls(llm_config, transcriber)
    except Exception as e:  # a model that will not load: one clear line, not a traceback
        raise InterpreterUnavailable(f"cannot load the {name} model {llm_config.model!r}: {e}") from None


def load_grammar(backend: Backend, session: Session, transcriber: Any, notify: Callable[[str], None]) -> Interpreter:
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    return GrammarInterpreter(session.config, session.macros, transcriber, spec=session.grammar)


def load_understand(backend: Backend, session: Session, transcriber: Any,
                    notify: Callable[[str], None]) -> Interpreter:
    from voxctl.agent.interpret.understand.interpreter import load

    return load(backend, session, transcriber, notify)


def load_hybrid(backend: Backend, session: Session, transcriber: Any, notify: Callable[[str], None]) -> Interpreter:
    from voxctl.agent.interpret.hybrid import HybridInterpreter

    grammar = load_grammar(backend, session, transcriber, notify)
    name = session.config.interpreter.llm_backend
    if getattr(session.config.interpreter, name).model is None:
        from voxctl.agent.notices import first_time

        model = None
        if session.config.interpreter.understand_fallback:  # the default: the shipped understanding model
            try:  # reads what the grammar cannot
                model = BACKENDS["understand"].load(session, transcriber, notify)
            except InterpreterUnavailable as e:
                notify(f"{e}; using the grammar alone")
                return HybridInterpreter(grammar, None)
        if first_time(notice := no_llm_notice(name, model is not None)):  # the CLI: once per setup; doctor always
            notify(notice)
        return HybridInterpreter(grammar, model, "understand") if model is not None else HybridInterpreter(grammar)
    try:
        llm = BACKENDS[name].load(session, transcriber, notify)
    except InterpreterUnavailable as e:
        notify(f"{e}; using the grammar alone")
        return HybridInterpreter(grammar, None)
    return HybridInterpreter(grammar, llm, name)


def make_interpreter(session: Session | Config, transcriber: Any = None,
                     notify: Callable[[str], None] = _stderr) -> Interpreter:
    """The interpreter `interpreter.backend` asks for, with the session's macros (see backends.py).

    A bare Config builds its own Session (reading the macros file). Raises InterpreterUnavailable (a
    backend that cannot load) and MacroError (a bad macros file, only when given a Config)."""
    session = Session.of(session)
    transcriber = transcriber if transcriber is not None else LazyTranscriber(session.config.asr)
    return BACKENDS[session.config.interpreter.backend].load(session, transcriber, notify)
