"""The `grammar` backend: a transcript into an ActionPlan by the command grammar (grammar.yaml), in ms.

How a transcript is read:
1. `normalize.tokenize`: words, the recogniser's spellings ("Ctrl-S", "3 times"), numbers as values.
2. Text after a type trigger ("type", "dictate") runs to the end and is typed as spoken.
3. The rest is read as a chain of commands (chain.py): split at "and"/"then", at pauses, ...; each
   command must match a rule; all or nothing.
4. A rule's `do:` becomes validated tool calls. A destructive result (high risk) from a match that
   used any near-miss word is refused: it must be heard exactly.
The plan's `source` is "grammar", for audio and typed text alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from voxctl.agent.interpret.chain import SOURCE, ChainParser
from voxctl.agent.interpret.compiled import compile_grammar
from voxctl.agent.interpret.fuzzy import best_match
from voxctl.agent.interpret.normalize import tokenize
from voxctl.agent.interpret.rules import GrammarSpec, load_grammar
from voxctl.agent.interpret.slots import Vocabulary
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.base import Risk
from voxctl.tools.registry import ActionPlan, risk_of, validate_action

RETRY_BEAM = 5  # beam width of the second look at audio whose greedy transcript the grammar cannot parse


@dataclass(frozen=True)
class Parse:
    """The plan and how it came about."""

    plan: ActionPlan
    refused: bool = False  # a destructive action heard only approximately was refused
    ms: float = 0.0  # time in the grammar
    asr_ms: float = 0.0  # time in the recogniser (both looks, when there were two)
    retried: bool = False


def clean_typed(raw: str) -> str:
    """Text after "type": as spoken, minus the separator after the trigger and a recogniser's final period."""
    text = raw.strip().lstrip(":,;-–— ").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


class GrammarInterpreter:
    """`interpret(utterance)` and `parse(text)`; audio is transcribed with the bundled Whisper."""

    def __init__(self, config: Any = None, macros: dict[str, Any] | None = None, transcriber: Any = None,
                 grammar_path: str | None = None, platform: str | None = None, spec: GrammarSpec | None = None):
        """`platform`: whose key bindings edit actions ("copy") get (tools/bindings.py; default: this one).
        `spec`: the grammar already loaded (the Session's); else it is loaded from `grammar_path`."""
        from voxctl.agent.config import Config, InterpreterConfig

        full = config if isinstance(config, Config) else None
        icfg = full.interpreter if full else (config if isinstance(config, InterpreterConfig) else
                                              InterpreterConfig())
        self.asr_config = full.asr if full else None
        self.threshold = icfg.fuzzy_threshold
        self.macros = dict(macros or {})
        self.macro_table = {name: list(m.actions) for name, m in self.macros.items()}
        self.risk_overrides = dict(full.policy.tool_risk) if full else {}
        self.spec: GrammarSpec = spec if spec is not None else load_grammar(grammar_path, platform)
        apps = list(full.desktop.app_aliases) if full else []
        self.vocab = Vocabulary(self.spec, self.threshold, self.macros, apps)
        self._transcriber = transcriber
        self.compiled = compile_grammar(self.spec, self.vocab, tuple(self.macros), self.risk)

    # --- the Interpreter interface ------------------------------------------------------------
    def interpret(self, utterance: Utterance) -> ActionPlan:
        if utterance.text is None and utterance.audio is not None:
            return self.read(utterance.audio, utterance.screen, utterance.transcript).plan
        text = utterance.text if utterance.text is not None else utterance.transcript
        if text is None:
            return ActionPlan(source=SOURCE, reason="nothing to interpret: no audio and no text")
        return self.parse(text, utterance.screen)

    def read(self, audio: Any, context: ScreenState | None = None, transcript: str | None = None) -> Parse:
        """Transcribe and parse audio (`transcript`: the greedy one, made already). When the greedy
        transcript is no command, a second look with beam search often is ("So like all." ->
        "Select all."): that costs time only on failures."""
        t0 = time.perf_counter()
        text = self.transcribe(audio) if transcript is None else transcript
        asr_ms = (time.perf_counter() - t0) * 1000
        first = self.analyse(text, context)
        if first.plan.actions or first.refused or not text.strip():
            return replace(first, asr_ms=asr_ms)
        t1 = time.perf_counter()
        second_text = self.retranscribe(audio)
        asr_ms += (time.perf_counter() - t1) * 1000
        if second_text and second_text != text:
            second = self.analyse(second_text, context)
            if second.plan.actions or second.refused:
                return replace(second, ms=first.ms + second.ms, asr_ms=asr_ms, retried=True)
        return replace(first, asr_ms=asr_ms, retried=second_text is not None)

    def retranscribe(self, audio: Any) -> str | None:
        """The transcript with beam search, when the configured decoding is narrower; else None."""
        cfg = getattr(self.transcriber, "config", None)
        if cfg is None or getattr(cfg, "beam_size", RETRY_BEAM) >= RETRY_BEAM:
            return None
        # The same loaded model, decoding with a wider beam for this call only.
        return self.transcriber.transcribe(audio, beam_size=RETRY_BEAM).text

    @property
    def transcriber(self) -> Any:
        if self._transcriber is None:  # loaded on first audio, so text commands never load Whisper
            from voxctl.agent.listen.asr import Transcriber

            self._transcriber = Transcriber(self.asr_config)
        return self._transcriber

    def transcribe(self, audio: Any) -> str:
        return self.transcriber.transcribe(audio).text

    def parse(self, text: str, context: ScreenState | None = None) -> ActionPlan:
        return self.analyse(text, context).plan

    # --- parsing ------------------------------------------------------------------------------
    def analyse(self, text: str, context: ScreenState | None = None) -> Parse:
        t0 = time.perf_counter()
        tokens = tokenize(text, self.spec.rewrites, self.spec.misheard)
        run = ChainParser(self.compiled, text, tokens)
        if not tokens:
            plan = ActionPlan(transcript=text, source=SOURCE, reason="heard nothing")
        else:
            plan = self._with_typing(run) or run.plan(len(tokens))
        if context is not None and context.window_titles and plan.actions:
            plan = plan.model_copy(update={"actions": [self._fit_title(c, context) for c in plan.actions]})
        return Parse(plan, run.refused and not plan.actions, (time.perf_counter() - t0) * 1000)

    def _fit_title(self, call: Any, context: ScreenState) -> Any:
        """A window title heard slightly wrong ("switch to derminal") fitted to a window that is open."""
        if call.tool != "focus_window":
            return call
        from voxctl.tools.windows import title_matches

        want = call.args.title.casefold()
        titles = [t.casefold() for t in context.window_titles]
        if any(title_matches(want, t) for t in titles):
            return call
        words = {w for t in titles for w in t.replace("-", " ").split() if len(w) >= 3}
        hit = best_match(want, sorted(words), self.threshold)
        return call.model_copy(update={"args": call.args.model_copy(update={"title": hit[0]})}) if hit else call

    def _with_typing(self, run: ChainParser) -> ActionPlan | None:
        """Commands, then text after the first type trigger whose preceding commands all parse."""
        for p, tok in enumerate(run.tokens):
            if tok.word not in self.spec.type_triggers or tok.fuzzy:
                continue
            typed = clean_typed(run.text[tok.end:])
            if not typed:
                continue
            before: list[Any] = []
            if any(t.word not in self.compiled.glue for t in run.tokens[:p]):
                best = run.best_from(0, p)
                if best is None or run.doubtful(best):
                    continue
                before = best[1]
            call, problems = validate_action({"tool": "type_text", "args": {"text": typed}})
            if call is None:
                return ActionPlan(transcript=run.text, source=SOURCE, reason="; ".join(problems))
            return ActionPlan(transcript=run.text, source=SOURCE, actions=[*before, call])
        return None

    def risk(self, call: Any) -> Risk:
        risk = risk_of(call, self.macro_table)
        if (override := self.risk_overrides.get(call.tool)) is not None:
            risk = max(risk, Risk.parse(override))
        return risk

