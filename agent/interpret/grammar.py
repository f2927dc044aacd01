"""The `grammar` backend: a transcript into an ActionPlan by the command grammar (grammar.yaml), in ms.

How a transcript is read:
1. `normalize.tokenize`: words, the recogniser's spellings ("Ctrl-S", "3 times"), numbers as values.
2. Dictation (after "type", "dictate", "spell", a formatter) runs to the end, or to a whole command
   chain after "then"/"and" (dictating.py); its words are formatted by dictation.yaml.
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
from voxctl.agent.interpret.grounded import fitted_title
from voxctl.agent.interpret.normalize import tokenize
from voxctl.agent.interpret.rules import GrammarSpec, load_grammar
from voxctl.agent.interpret.slots import Vocabulary
from voxctl.agent.listen.window import MAX_SHORT_S
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.base import Risk
from voxctl.tools.registry import ActionPlan, risk_of

RETRY_BEAM = 5  # readings (beam width) of the second look at audio whose first reading is no command
# An in-grammar reading is accepted in place of the free one only when its log-probability per token is
# at most this much below the free reading's. On the dev voices exact plans are flat from 0.2 to 1.0 with
# no false action; with no limit, 8 of 72 non-commands became "click here" (docs/BENCHMARKS.md, issue #9).
MARGIN = 0.5
# A reading less likely than this (log-probability per token) is a guess, never a command: 2 of 395 right
# first readings of commands scored below it; "click here." read into a sentence in noise, -1.22.
FLOOR = -1.2
# Acoustic rescoring (rescore.py) when no reading is a command: candidates near the first RESCORE_READINGS
# readings, at most RESCORE_NOMINEES per reading, a plan in at most RESCORE_SPELLINGS spellings; a
# candidate is taken when its forced score is at most RESCORE_MARGIN below the likeliest free reading's.
# On the dev split (docs/BENCHMARKS.md) the right recoveries had gaps 0.75-2.7 and the first false action
# came at 1.58 ("click. click. click. there are pens in class." -> "click here. ..."): 1.0. With "all", a
# key press read is also checked against its neighbours, which replace it when RESCORE_SWITCH likelier:
# +1 command on dev, 0 on held-out, for 3x the recognition compute of 1-3 s commands: off by default.
RESCORE = "failures"
RESCORE_MARGIN = 1.0
RESCORE_READINGS = 3
RESCORE_NOMINEES = 30
RESCORE_SPELLINGS = 2
RESCORE_SWITCH = 0.3


@dataclass(frozen=True)
class Reading:
    """One reading of the audio the recogniser considered, and what became of it."""

    text: str
    score: float | None  # log-probability per token (closer to 0: likelier); None: not known
    verdict: str  # "chosen", "not a command", "less likely than the free reading by X", ...


@dataclass(frozen=True)
class Parse:
    """The plan and how it came about.

    For audio (`read`): `free_text`/`free_score` is the recogniser's own best reading, whatever it says;
    `chosen_text`/`chosen_score` the reading the plan comes from ("" / None when nothing runs);
    `hypotheses` every reading considered, with its verdict. `rejected` says why no reading was
    accepted when the speech was heard but is no command (no reading in the grammar, or the only ones
    in it far less likely than what was heard); it is "" when the plan has actions, when nothing was
    heard, and for a refusal (`refused`). Nothing runs whenever `plan.actions` is empty.
    """

    plan: ActionPlan
    refused: bool = False  # a destructive action heard only approximately was refused
    ms: float = 0.0  # time in the grammar
    asr_ms: float = 0.0  # time in the recogniser (both looks, when there were two)
    retried: bool = False  # a second look (the N best readings) was taken
    free_text: str = ""
    free_score: float | None = None
    chosen_text: str = ""
    chosen_score: float | None = None
    hypotheses: tuple[Reading, ...] = ()
    rejected: str = ""
    candidates: tuple[Reading, ...] = ()  # sentences forced through the recogniser (rescore.py), best first

    def recognition(self) -> dict[str, Any]:
        """What the recogniser considered, for `--json` output (scores rounded)."""
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {"free": {"text": self.free_text, "score": r(self.free_score)},
                "chosen": {"text": self.chosen_text, "score": r(self.chosen_score)} if self.chosen_text else None,
                "rejected": self.rejected or None, "refused": self.refused, "second_look": self.retried,
                "readings": [{"text": h.text, "score": r(h.score), "verdict": h.verdict} for h in self.hypotheses],
                "candidates": [{"text": h.text, "score": r(h.score), "verdict": h.verdict} for h in self.candidates]}


def clean_typed(raw: str) -> str:
    """Text after "type": as spoken, minus the separator after the trigger and a recogniser's final period."""
    text = raw.strip().lstrip(":,;-–— ").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


class GrammarInterpreter:
    """`interpret(utterance)` and `parse(text)`; audio is transcribed with the bundled Whisper."""

    margin: float = MARGIN  # the rejection margin of `read` (set per instance by `voxctl bench recognition`)
    rescore: str = RESCORE  # "off", "failures": acoustic rescoring of grammar candidates (rescore.py)
    rescore_margin: float = RESCORE_MARGIN
    rescore_switch: float = RESCORE_SWITCH  # rescore "all": how much likelier a neighbour must be to replace a reading

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
        self.dictation_file = icfg.dictation_file  # the user's additions to dictation.yaml (dictating.py)
        self.rescore, self.rescore_margin = icfg.rescore, icfg.rescore_margin
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
        """Transcribe and parse audio (`transcript`: the first reading, made already). When the first
        reading is no command, the recogniser's N best readings are scored by the grammar: the likeliest
        that is a command wins if it is within `margin` of the free reading ("press control last" ->
        "press control s"); if none is, the full 30 s window reads it once more (the short window misses
        a word now and then); if that is no command either, nothing runs. A destructive or dictation plan
        is only taken from a free reading (it must be heard exactly), and no reading scored below FLOOR
        is a command. Costs time only on failures."""
        t0 = time.perf_counter()
        score: float | None = None
        if transcript is None:
            heard = self.transcriber.transcribe(audio)
            text, score = heard.text, getattr(heard, "score", None)
        else:
            text = transcript
        asr_ms = (time.perf_counter() - t0) * 1000
        first = self.analyse(text, context)
        unsure = bool(first.plan.actions) and score is not None and score < FLOOR
        free = Reading(text, score, "chosen" if first.plan.actions else "not a command")
        if unsure:  # "click here." read into noise or mumbling: a second look decides
            free = Reading(text, score, f"a command, but too unsure (score below {FLOOR})")
            first = replace(first, plan=first.plan.model_copy(update={"actions": [], "reason": free.verdict}))
        elif first.plan.actions or first.refused or not text.strip():
            chosen = (text, score) if first.plan.actions else ("", None)
            done = replace(first, asr_ms=asr_ms, free_text=text, free_score=score, chosen_text=chosen[0],
                           chosen_score=chosen[1], hypotheses=(free,))
            if self.rescore == "all" and first.plan.actions and all(
                    c.tool == "press_keys" and self.risk(c) < Risk.HIGH for c in first.plan.actions):
                return self._recheck(audio, context, done)  # "press control c" said as control z
            return done
        t1 = time.perf_counter()
        hyps = self.nbest(audio)
        asr_ms += (time.perf_counter() - t1) * 1000
        if hyps is None:  # a recogniser without N best: the old second look, one wider reading
            return self._second_look(audio, context, first, text, asr_ms)
        top = hyps[0] if hyps else None
        if top is not None and (score is None or top.score > score):
            text, score = top.text, top.score  # the beam found a likelier free reading
        readings = [free] if free.text != text else []
        ms, chosen, nearest = first.ms, None, None
        for h in hyps:
            if h.text == free.text and h.text != text:
                continue
            got = self.analyse(h.text, context)
            ms += got.ms
            gap = 0.0 if score is None else score - h.score
            if not got.plan.actions:
                verdict = "refused: " + (got.plan.reason or "") if got.refused else "not a command"
            elif h.text != text and any(self.risk(c) >= Risk.HIGH for c in got.plan.actions):
                verdict = "destructive: taken only from the free reading"
            elif h.text != text and any(c.tool == "type_text" for c in got.plan.actions):
                verdict = "dictation: taken only from the free reading"  # its words are free, not the grammar's
            elif h.score < FLOOR:
                verdict = f"a command, but too unsure (score below {FLOOR})"
            elif gap > self.margin:
                verdict = f"a command, {gap:.2f} less likely than the free reading (margin {self.margin})"
                nearest = nearest or Reading(h.text, h.score, verdict)
            elif chosen is None:
                verdict, chosen = "chosen", (h, got)
            else:
                verdict = "a command, less likely than the chosen one"
            readings.append(Reading(h.text, h.score, verdict))
        common = {"asr_ms": asr_ms, "ms": ms, "retried": True, "free_text": text, "free_score": score,
                  "hypotheses": tuple(readings)}
        if chosen is not None:
            h, got = chosen
            return replace(got, chosen_text=h.text, chosen_score=h.score, **common)
        if self.rescore != "off" and not unsure:  # a command read into noise: nothing near it is taken either
            unsure_ones = {h.text for h in hyps if h.score < FLOOR}
            rescored, considered, spent = self._rescore(audio, context, [text, free.text, *(h.text for h in hyps)],
                                                        barred=unsure_ones)
            common["asr_ms"] += spent[0]
            common["ms"] += spent[1]
            common["candidates"] = considered
            if rescored is not None:
                return replace(rescored, **common)
        if text != free.text:
            first = self.analyse(text, context)
            if first.refused:
                return replace(first, **common)
        t2 = time.perf_counter()
        full = self.full_look(audio)  # the short window misses a word now and then ("press shift.")
        common["asr_ms"] += (time.perf_counter() - t2) * 1000
        if full is not None and full.text.strip() and full.text not in (text, free.text):
            got = self.analyse(full.text, context)
            common["ms"] += got.ms
            if got.plan.actions and full.score is not None and full.score < FLOOR:
                got = replace(got, plan=got.plan.model_copy(update={"actions": []}))
                verdict = f"a command, but too unsure (score below {FLOOR})"
            else:
                verdict = ("chosen" if got.plan.actions else "refused: " + (got.plan.reason or "") if got.refused
                           else "not a command")
            common["hypotheses"] += (Reading(full.text, full.score, verdict + " (the full 30 s window)"),)
            if got.plan.actions:
                return replace(got, chosen_text=full.text, chosen_score=full.score, **common)
            if got.refused:
                return replace(got, **common)
        why = f'not a command: "{text}"' + (f' (the nearest command, "{nearest.text}", is '
                                            f'{nearest.verdict.removeprefix("a command, ")})' if nearest else "")
        if unsure and text == free.text:
            why = f'too unsure of "{text}" to act (score {score:.2f}, below {FLOOR})'
        earlier = first.plan.reason or ""
        reason = why if not earlier.startswith("understood") else f"{earlier}; {why}"
        plan = first.plan.model_copy(update={"transcript": text, "reason": reason})
        return replace(first, plan=plan, rejected=why, **common)

    def _recheck(self, audio: Any, context: ScreenState | None, done: Parse) -> Parse:
        """A reading that is a key press, checked against its grammar neighbours on the audio: one that
        is `rescore_switch` likelier per token than the reading replaces it ("press control c" -> z)."""
        got, considered, spent = self._rescore(audio, context, [done.free_text], margin=99.0, recheck=True)
        done = replace(done, asr_ms=done.asr_ms + spent[0], ms=done.ms + spent[1], candidates=considered)
        ref = next((h.score for h in considered if h.text == done.free_text), None)
        if got is None or got.chosen_text == done.free_text or ref is None or got.chosen_score is None:
            return done
        if got.chosen_score - ref < self.rescore_switch:
            return done
        return replace(got, asr_ms=done.asr_ms, ms=done.ms, free_text=done.free_text, free_score=done.free_score,
                       hypotheses=done.hypotheses, candidates=considered, retried=True)

    def _rescore(self, audio: Any, context: ScreenState | None, free: list[str], margin: float | None = None,
                 recheck: bool = False, barred: set[str] | frozenset[str] = frozenset(),
                 ) -> tuple[Parse | None, tuple[Any, ...], tuple[float, float]]:
        """The grammar's candidates near the free readings (rescore.py), forced through the recogniser
        on this audio with the readings themselves; the likeliest safe command within `rescore_margin`
        of the likeliest reading wins. (parse or None, every sentence scored, (recogniser ms, grammar ms))."""
        from voxctl.agent.interpret.rescore import MAX_CANDIDATES, Neighbours, decide

        score = getattr(self.transcriber, "score", None)
        if score is None:
            return None, (), (0.0, 0.0)
        t0 = time.perf_counter()
        near = self.__dict__.get("neighbours")
        if near is None:
            macro_words = {w for phrase in self.vocab.macro_phrases for w in phrase.split()}
            near = self.__dict__["neighbours"] = Neighbours(self.spec, macro_words)
        free = list(dict.fromkeys(t for t in free if t and t.strip()))
        parses: dict[str, Parse] = {}

        def verdict(text: str) -> str:
            if text in barred:  # a reading the recogniser itself was too unsure of (FLOOR)
                return f"a command, but too unsure (score below {FLOOR})"
            got = parses.get(text) or parses.setdefault(text, self.analyse(text, context))
            if not got.plan.actions:
                return "refused: " + (got.plan.reason or "") if got.refused else "not a command"
            if text not in free[:1] and any(self.risk(c) >= Risk.HIGH for c in got.plan.actions):
                return "destructive: taken only from the free reading"
            if text not in free[:1] and any(c.tool == "type_text" for c in got.plan.actions):
                return "dictation: taken only from the free reading"
            return ""

        sure = [f for f in free if f not in barred][:RESCORE_READINGS]  # readings that may nominate
        nominees = [c for f in sure for c in near.around(f)[:RESCORE_NOMINEES]]
        if recheck:  # a key press: a key read wrong, or a chord read without its last key
            nominees += near.completions(free[0])
        else:
            nominees += [c for f in sure for c in near.phrases(f)]
        plans: dict[str, int] = {}
        candidates = []
        for c in dict.fromkeys(nominees):
            if c in free or verdict(c):
                continue
            key = repr([a.model_dump() for a in parses[c].plan.actions])
            if plans.get(key, 0) < RESCORE_SPELLINGS:  # a plan in at most this many spellings
                plans[key] = plans.get(key, 0) + 1
                candidates.append(c)
        grammar_ms = (time.perf_counter() - t0) * 1000
        if not candidates:
            return None, (), (0.0, grammar_ms)
        t1 = time.perf_counter()
        decision = decide(free, candidates[:MAX_CANDIDATES], lambda texts: score(audio, texts), verdict,
                          self.rescore_margin if margin is None else margin)
        asr_ms = (time.perf_counter() - t1) * 1000
        considered = tuple(Reading(s.text, s.score, f"{s.kind}: {s.verdict}") for s in decision.considered)
        if decision.chosen is None:
            return None, considered, (asr_ms, grammar_ms)
        got = parses[decision.chosen.text]
        return (replace(got, chosen_text=decision.chosen.text, chosen_score=decision.chosen.score), considered,
                (asr_ms, grammar_ms))

    def full_look(self, audio: Any) -> Any:
        """The recogniser's reading on its full 30 s window (.text, .score), or None when it has none
        (or read on the full window already)."""
        full = getattr(self.transcriber, "transcribe_full", None)
        return None if full is None or len(audio) / 16000 > MAX_SHORT_S else full(audio)

    def nbest(self, audio: Any) -> tuple[Any, ...] | None:
        """The recogniser's RETRY_BEAM best readings (objects with .text and .score), or None when it
        cannot give them (then `retranscribe` is the second look)."""
        nbest = getattr(self.transcriber, "nbest", None)
        return None if nbest is None else tuple(nbest(audio, RETRY_BEAM))

    def _second_look(self, audio: Any, context: ScreenState | None, first: Parse, text: str,
                     asr_ms: float) -> Parse:
        t1 = time.perf_counter()
        second_text = self.retranscribe(audio)
        asr_ms += (time.perf_counter() - t1) * 1000
        if second_text and second_text != text:
            second = self.analyse(second_text, context)
            if second.plan.actions or second.refused:
                return replace(second, ms=first.ms + second.ms, asr_ms=asr_ms, retried=True, free_text=text,
                               chosen_text=second_text if second.plan.actions else "")
        return replace(first, asr_ms=asr_ms, retried=second_text is not None, free_text=text,
                       rejected=f'not a command: "{text}"')

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
        run = ChainParser(self.compiled, text, tokens, context)  # its titles ground {title} (grounded.py)
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
        hit = fitted_title(call.args.title, context.window_titles, self.threshold)
        if hit is None or hit == call.args.title:
            return call
        return call.model_copy(update={"args": call.args.model_copy(update={"title": hit})})

    def _with_typing(self, run: ChainParser) -> ActionPlan | None:
        """Commands, then dictation (after "type", "spell", a formatter; dictating.py), maybe commands after
        it; in dictation mode, everything. None: no dictation here, read it all as commands."""
        from voxctl.agent.interpret.dictating import Dictating
        from voxctl.agent.interpret.dictation import load_dictation

        # Built on first use and kept: it holds the dictation mode of this interpreter.
        reader = self.__dict__.get("dictating")
        if reader is None:
            reader = self.__dict__["dictating"] = Dictating(self.spec, load_dictation(self.dictation_file), clean_typed)
        return reader.read(run)

    def risk(self, call: Any) -> Risk:
        risk = risk_of(call, self.macro_table)
        if (override := self.risk_overrides.get(call.tool)) is not None:
            risk = max(risk, Risk.parse(override))
        return risk

