"""The grammar's candidates forced through the recogniser on the audio, beside its own readings: `rescore` (the
candidates near the readings, rescore.py: the second look's step 2 and the check of a key press, key_check.py) and
`whole_look` (whole short commands that sound like a short reading; off by default). A candidate is taken when it is
a safe command (`free_only`) scored within a margin of the likeliest reading (rescore.decide).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from voxctl.agent.interpret.grammar import FLOOR, GrammarInterpreter
from voxctl.agent.interpret.grammar_parse import Parse, Reading
from voxctl.agent.interpret.neighbours import WHOLE_WORDS, Neighbours
from voxctl.agent.interpret.rescore import MAX_CANDIDATES, as_sentence, decide
from voxctl.agent.listen.spoken_set import normalize
from voxctl.agent.utterance import ScreenState
from voxctl.tools.base import Risk

# Acoustic rescoring (rescore.py) when no reading is a command: candidates near the first RESCORE_READINGS
# readings, at most RESCORE_NOMINEES per reading, a plan in at most RESCORE_SPELLINGS spellings; a
# candidate is taken when its forced score is at most `rescore_margin` below the likeliest free reading's.
RESCORE_READINGS = 3
RESCORE_NOMINEES = 30
RESCORE_SPELLINGS = 2
# A reading of at most WHOLE_WORDS words that is no command ("and do.", "same.") may get the whole short
# commands that sound like it (rescore.Neighbours.wholes), at most WHOLE_CANDIDATES, forced through the
# recogniser as it read (its vocabulary hint as prompt, its spelling: `whole_look`), taken within
# `whole_margin` of the likeliest reading. Off (None) by default: on 8 dev voices x 20 dev short commands and
# 76 short everyday phrases (2026-12-04, docs/BENCHMARKS.md) no margin separates the two with tiny.en: at
# 1.25, 2 commands rescued ("and do." -> undo, "go Mac." -> go back) for 6 false actions ("loop in." said as
# "move in" -> zoom in at 0.55, "oh, got it." said as "all of it" -> copy it at 0.51); below 0.5, none of either.
# (grammar.WHOLE_MARGIN, `GrammarInterpreter.whole_margin`.)
WHOLE_CANDIDATES = 8
# Rescoring takes a candidate only when the likeliest free reading, forced on the audio, scores at least this
# (None: no limit, the default): below it the forced scores hardly know what the recogniser itself read, so a
# margin relative to it vouches for little ("go ahead." read at -0.28 forced at -3.03, and "go forward." 0.11
# below it taken: talk pressed alt+right, 2026-12-04). Off: at FLOOR it lost 5 of 152 dev short commands ("press
# space" read "press page.", its reading forced at -1.70), at -2.5 "press space" (klatt2) on held-out
# (docs/BENCHMARKS.md, "Short talk read into commands").
REFERENCE_FLOOR: float | None = None
# A reading the N-best look put beyond its margin is taken by rescoring only when, forced, it is the likeliest
# reading (the forced scores reverse the beam's order), not anywhere within `rescore_margin` ("find thanks."
# 0.74 below "fine thanks." came back 0.64 below it forced: talk pressed ctrl+f). Off: it also lost "next tab"
# (1.07 below "next time." forced), "press shift tab" (1.0 below "press shift to top."), "press tab two times"
# on dev and "press f five" on held-out, 2026-12-04.
REVERSED_ONLY = False
# ... except where the free reading is sure (its score at least this): "say it" (awb) read "see it." at -0.36; the
# beam's "save it." 0.82 below it, forced 0.44 below, pressed ctrl+s (2026-12-07, once the beam put it above FLOOR)
SURE_FREE = -0.5


def free_only(g: GrammarInterpreter, actions: Any) -> str:
    """Why a plan may be taken only from the likeliest free reading, never from another reading or a
    candidate ("" when it may): destructive; dictation (its words are free, not the grammar's); or "again"
    (it replays the last plan, whose steps may be either: "a gain" nominated "again", red team 2026-12-03)."""
    if any(g.risk(c) >= Risk.HIGH for c in actions):
        return "destructive: taken only from the free reading"
    if any(c.tool == "type_text" for c in actions):
        return "dictation: taken only from the free reading"
    if any(c.tool == "repeat_last" for c in actions):
        return "repeats the last plan: taken only from the free reading"
    return ""


def rescore(g: GrammarInterpreter, audio: Any, context: ScreenState | None, free: list[str],
            margin: float | None = None, recheck: bool | str = False, barred: set[str] | frozenset[str] = frozenset(),
            far: set[str] | frozenset[str] = frozenset(), extra: tuple[str, ...] = (), reversed_only: bool = REVERSED_ONLY
            ) -> tuple[Parse | None, tuple[Any, ...], tuple[float, float]]:
    """The grammar's candidates near the free readings (rescore.py), forced through the recogniser
    on this audio with the readings themselves; the likeliest safe command within `rescore_margin`
    of the likeliest reading wins. `recheck`: the readings are a key press (True: all its neighbours;
    "longer": only the longer keys its last key starts). `barred`: readings the recogniser was too unsure of
    (FLOOR), never taken in any spelling (by its words: "save it." at -1.23 came back as the candidate "save
    it"; talk pressed ctrl+s, 2026-12-04); `far`: readings the N-best look found more than its margin below
    the free reading (with `reversed_only`, REVERSED_ONLY by default, off, taken only as the likeliest reading forced, as
    is any other spelling of theirs: "press space." 0.57
    below "press page." is 1.0 above it forced). (parse or None, every sentence scored, (recogniser ms,
    grammar ms))."""
    score = getattr(g.transcriber, "score", None)
    if score is None:
        return None, (), (0.0, 0.0)
    t0 = time.perf_counter()
    near = neighbours(g)
    free = list(dict.fromkeys(t for t in free if t and t.strip()))
    parses: dict[str, Parse] = {}
    heard = {tuple(normalize(f)) for f in free if f not in barred and f not in far}
    held = {tuple(normalize(t)): f"a command, but too unsure (score below {FLOOR})" for t in barred}
    judged = {tuple(normalize(t)) for t in far} - heard

    def verdict(text: str) -> str:
        words = tuple(normalize(text))
        if words in held and words not in heard:  # the recogniser's own doubt, in any spelling
            return held[words]
        got = parses.get(text) or parses.setdefault(text, g.analyse(text, context))
        if not got.plan.actions:
            return "refused: " + (got.plan.reason or "") if got.refused else "not a command"
        return free_only(g, got.plan.actions) if text not in free[:1] else ""

    sure = [f for f in free if f not in barred][:RESCORE_READINGS]  # readings that may nominate
    nominees: list[str] = []  # "quoted": a chord the hint quotes, against the same chord with another last key (`extra`)
    if recheck != "quoted":
        nominees = [c for f in sure for c in near.around(f)[:RESCORE_NOMINEES]] if recheck != "longer" else []
        if recheck:  # a key press: a key read wrong, a chord read without its last key, an F-key without its number
            nominees += near.extended(free[0]) + (near.completions(free[0]) if recheck is True else [])
        else:
            nominees += [c for f in sure for c in near.phrases(f)]
    plans: dict[str, int] = {}
    candidates = []
    for c in dict.fromkeys([*extra, *nominees]):
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
                      g.rescore_margin if margin is None else margin)
    asr_ms = (time.perf_counter() - t1) * 1000
    considered = tuple(Reading(s.text, s.score, f"{s.kind}: {s.verdict}") for s in decision.considered)
    ref, chosen = decision.reference, decision.chosen
    why = ""
    if chosen is not None and ref is not None and not recheck:
        if REFERENCE_FLOOR is not None and ref.score < REFERENCE_FLOOR:  # the forced scores do not know the reading
            why = f"the likeliest reading forced scores {ref.score:.2f}, below {REFERENCE_FLOOR}"
        elif (reversed_only or chosen.text not in far) and tuple(normalize(chosen.text)) in judged \
                and chosen.score < ref.score:
            # another spelling of what the N-best look put below its margin ("save it" for "save it.", 0.82 below
            # "see it." for "say it", awb: talk pressed ctrl+s once the beam scored it above FLOOR, 2026-12-07)
            why = "the N-best look put it below its margin, and forced it is still below the likeliest reading"
    if why:
        considered = tuple(replace(r, verdict=f"{r.verdict}; but {why}: nothing is taken")
                           if r.text == chosen.text else r for r in considered)
        return None, considered, (asr_ms, grammar_ms)
    if decision.chosen is None:
        return None, considered, (asr_ms, grammar_ms)
    got = parses[decision.chosen.text]
    return (replace(got, chosen_text=decision.chosen.text, chosen_score=decision.chosen.score), considered,
            (asr_ms, grammar_ms))


def whole_look(g: GrammarInterpreter, audio: Any, context: ScreenState | None, free: list[str],
               barred: set[str] | frozenset[str] = frozenset()) -> tuple[Parse | None, tuple[Any, ...], tuple[float, float]]:
    """A short reading that is no command ("and you." said as undo): the whole short commands that sound like
    the recogniser's sure readings, forced through it on this audio with the prompt it read with, beside those
    readings; the likeliest safe one within `g.whole_margin` (None, the default: no look) of the likeliest reading is taken, so
    "and you" said as conversation stays no command (the readings that may be that reference are sure ones,
    scored above FLOOR). (parse or None, every sentence scored,
    (recogniser ms, grammar ms)), as `rescore`."""
    score, margin = getattr(g.transcriber, "score", None), g.whole_margin
    sure = [f for f in dict.fromkeys(t for t in free if t and t.strip()) if f not in barred][:RESCORE_READINGS]
    if score is None or margin is None or not sure or len(normalize(sure[0])) > WHOLE_WORDS:
        return None, (), (0.0, 0.0)
    t0 = time.perf_counter()
    near = neighbours(g)
    parses: dict[str, Parse] = {}

    def verdict(text: str) -> str:
        got = parses.get(text) or parses.setdefault(text, g.analyse(text, context))
        if not got.plan.actions:
            return "refused: " + (got.plan.reason or "") if got.refused else "not a command"
        return free_only(g, got.plan.actions) if text != sure[0] else ""

    nominees = dict.fromkeys(c for f in sure for c in near.wholes(f) if c not in sure)
    candidates = [c for c in nominees if not verdict(c)][:WHOLE_CANDIDATES]
    grammar_ms = (time.perf_counter() - t0) * 1000
    if not candidates:
        return None, (), (0.0, grammar_ms)
    # Scored as read: the reading's prompt (the vocabulary hint) and its spelling (with the hint's lowercase
    # examples the recogniser writes "and do.", and "And do." costs it ~0.5 per token more).
    hint = getattr(g.transcriber, "hint", None)
    as_read = {as_sentence(t): t.strip() + ("" if t.strip()[-1:] in ".?!" else ".") for t in sure + candidates}

    def forced(texts: list[str]) -> Any:
        texts = [as_read.get(t, t) for t in texts]
        return score(audio, texts, hotwords=hint) if hint else score(audio, texts)

    t1 = time.perf_counter()
    decision = decide(sure, candidates, forced, verdict, margin)
    asr_ms = (time.perf_counter() - t1) * 1000
    chosen = decision.chosen
    considered = tuple(Reading(s.text, s.score, f"{s.kind}, as read: {s.verdict}") for s in decision.considered)
    if chosen is None:
        return None, considered, (asr_ms, grammar_ms)
    return (replace(parses[chosen.text], chosen_text=chosen.text, chosen_score=chosen.score), considered,
            (asr_ms, grammar_ms))


def neighbours(g: GrammarInterpreter) -> Neighbours:
    """The grammar's nominations (rescore.py), built on first use and kept with the interpreter."""
    near = g.__dict__.get("neighbours")
    if near is None:
        macro_words = {w for phrase in g.vocab.macro_phrases for w in phrase.split()}
        near = g.__dict__["neighbours"] = Neighbours(g.spec, macro_words)
    return near
