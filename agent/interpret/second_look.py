"""The second look at audio whose first reading is no command (GrammarInterpreter.read). The forced scoring of the
grammar's candidates it shares with the check of a key press (key_check.py) is forced_look.py.

In order, each only when the one before found no command:
1. the recogniser's N best readings of the same audio (its encoding reused), scored by the grammar: the
   likeliest that is a safe command within `margin` of the free reading is taken;
2. the grammar's candidates near those readings (rescore.py), forced through the recogniser on the
   audio: one within `rescore_margin` of the likeliest reading is taken (forced_look.rescore);
3. only with `whole_margin` set (off by default: forced_look.whole_look): whole short commands that sound like a reading
   of 1-3 words, forced through the recogniser as it read;
4. the full 30 s window reads the audio once more (the short window misses a word now and then); a command
   it reads is taken only within `rescore_margin` of the short window's readings, forced on the audio (`unlike`).
A reading the recogniser was unsure of (below FLOOR) is never taken, in any spelling, and nothing runs when
no step took a reading.
"""

from __future__ import annotations

import time
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any

from voxctl.agent.interpret.forced_look import REVERSED_ONLY, SURE_FREE, free_only, rescore, whole_look
from voxctl.agent.interpret.grammar import FLOOR, GrammarInterpreter
from voxctl.agent.interpret.grammar_parse import Parse, Reading
from voxctl.agent.interpret.grounded import name_across_a_break, unheard_name
from voxctl.agent.interpret.rescore import decide
from voxctl.agent.interpret.unhinted import SMALL, trails_off
from voxctl.agent.listen.spoken_set import normalize
from voxctl.agent.utterance import ScreenState

# A reading that keeps this many fewer of the free reading's words, all of them in order, heard less than was said.
DROPPED_WORDS = 2


def drops_words(reading: str, free: str) -> bool:
    """Whether `reading` is the free reading with words left out around it ("switch to decaf after large"
    for "you should switch to decaf after lunch"): all its words but one are the free reading's, in order,
    and the free reading has DROPPED_WORDS more. The recogniser heard those words: no whole command. 5 of 11 false actions on the dev set were such readings (2026-12-03)."""
    r, f = normalize(reading), normalize(free)  # as the loop check compares readings (spoken_set)
    if not r or len(f) - len(r) < DROPPED_WORDS:
        return False
    kept = sum(b.size for b in SequenceMatcher(None, f, r, autojunk=False).get_matching_blocks())
    return kept >= max(1, len(r) - 1)  # the reading's words, in order, but one ("after lunch" / "after large")


# Words a reading may share with the first one and still be the hint's making: they join any sentence.
SMALL_WORDS = SMALL | frozenset("is with my your i you me".split())


def hint_echo(g: GrammarInterpreter, reading: str, free: str) -> bool:
    """Whether `reading` is the recogniser's hint (agent/listen/vocabulary.py) talking, not the speaker: word for
    word a sentence of the hint that shares no word with the first reading `free` ("hang on I'm on a call"
    (en-us+m1) was read "hit it on the phone." first and "click here." by the beam, which clicked), or a reading
    whose words the first reading did not hear are two or more, all of them the hint's, and whose words it shares
    with the first reading are only small ones (under a hint with "mouse grid" the same clip was "hit on the
    phone." first and "click on the mouse." by the beam: the hint's "click" and "mouse" where "hit" and "phone"
    were heard)."""
    from voxctl.agent.listen.vocabulary import hint_sentences

    words, heard = normalize(reading), set(normalize(free))
    sentences = [normalize(s) for s in hint_sentences(getattr(g.transcriber, "hint", None))]
    if not words or not sentences:
        return False
    if any(s == words for s in sentences) and not set(words) & heard:
        return True
    new = [w for w in words if w not in heard]
    hinted = {w for s in sentences for w in s}
    return len(new) >= 2 and set(new) <= hinted and set(words) & heard <= SMALL_WORDS


def look_again(g: GrammarInterpreter, audio: Any, context: ScreenState | None, first: Parse, free: Reading,
               score: float | None, asr_ms: float, unsure: bool) -> Parse:
    """The second look at `audio` whose first reading (`free`, scored `score`; parsed as `first`) is no
    command: the N best readings by the grammar, then the grammar's candidates rescored on the audio,
    then the full 30 s window (`GrammarInterpreter.read` says when each is taken). Whatever look finds a
    plan, it may not name what the free reading did not hear (grounded.unheard_name): "start the car and
    wait for me" (awb, kal16) became open_app code."""
    got = _look(g, audio, context, first, free, score, asr_ms, unsure)
    heard = got.free_text or free.text
    if got.plan.actions and (name := unheard_name(got.plan.actions, heard)):
        why = f'not a command: "{heard}" (another reading named {name!r}, which it did not hear)'
        return replace(got, plan=got.plan.model_copy(update={"actions": [], "reason": why}), rejected=why)
    return got


def _look(g: GrammarInterpreter, audio: Any, context: ScreenState | None, first: Parse, free: Reading,
          score: float | None, asr_ms: float, unsure: bool) -> Parse:
    text = free.text
    t1 = time.perf_counter()
    hyps = g.nbest(audio)
    asr_ms += (time.perf_counter() - t1) * 1000
    if hyps is None:  # a recogniser without N best: the old second look, one wider reading
        return wider_beam(g, audio, context, first, text, asr_ms)
    top = hyps[0] if hyps else None
    if top is not None and (score is None or top.score > score) and not hint_echo(g, top.text, text):
        text, score = top.text, top.score  # the beam found a likelier free reading (the hint's own sentence is none)
    readings = [free] if free.text != text else []
    ms, chosen, nearest, far = first.ms, None, None, set()
    for h in hyps:
        if h.text == free.text and h.text != text:
            continue
        got = g.analyse(h.text, context)
        ms += got.ms
        gap = 0.0 if score is None else score - h.score
        if not got.plan.actions:
            verdict = "refused: " + (got.plan.reason or "") if got.refused else "not a command"
        elif h.text != text and (why := free_only(g, got.plan.actions)):
            verdict = why
        elif trails_off(h.text):
            verdict = "trails off: an unfinished sentence, no whole command"
        elif h.text != free.text and hint_echo(g, h.text, free.text):
            verdict = "a sentence of the hint's own, with no word of the first reading"
        elif drops_words(h.text, free.text) or drops_words(h.text, text):
            verdict = "leaves out words the free reading heard: no whole command"
        elif h.text != text and (name := unheard_name(got.plan.actions, text)):
            verdict = f"names {name!r}, which the free reading did not hear"
        elif (name := next((n for r in dict.fromkeys((text, free.text)) if r != h.text
                            and (n := name_across_a_break(got.plan.actions, r))), None)):
            verdict = f"names {name!r}, which the free reading heard across a sentence's end"
        elif h.score < FLOOR:
            verdict = f"a command, but too unsure (score below {FLOOR})"
        elif gap > g.margin:
            verdict = f"a command, {gap:.2f} less likely than the free reading (margin {g.margin})"
            nearest = nearest or Reading(h.text, h.score, verdict)
            far.add(h.text)
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
    if g.rescore != "off" and not unsure:  # a command read into noise: nothing near it is taken either
        unsure_ones = {h.text for h in hyps if h.score < FLOOR}
        rescored, considered, spent = rescore(g, audio, context, [text, free.text, *(h.text for h in hyps
                                                                           if not drops_words(h.text, free.text) and not drops_words(h.text, text))],
                                              barred=unsure_ones, far=far,
                                              reversed_only=REVERSED_ONLY or (score is not None and score >= SURE_FREE))
        common["asr_ms"] += spent[0]
        common["ms"] += spent[1]
        common["candidates"] = considered
        if rescored is not None:
            return replace(rescored, **common)
        whole, seen, spent = whole_look(g, audio, context, [text, free.text, *(h.text for h in hyps)],
                                        barred=unsure_ones)
        common["asr_ms"] += spent[0]
        common["ms"] += spent[1]
        common["candidates"] = considered + seen
        if whole is not None:
            return replace(whole, **common)
    if text != free.text:
        first = g.analyse(text, context)
        if first.refused:
            return replace(first, **common)
    t2 = time.perf_counter()
    full = g.full_look(audio)  # the short window misses a word now and then ("press shift.")
    common["asr_ms"] += (time.perf_counter() - t2) * 1000
    if full is not None and full.text.strip() and full.text not in (text, free.text):
        got = g.analyse(full.text, context)
        common["ms"] += got.ms
        unheard = "" if not got.plan.actions else unlike(g, audio, full.text, [text, free.text, *(
            h.text for h in hyps if h.score >= FLOOR and h.text not in far)], common)
        if got.plan.actions and full.score is not None and full.score < FLOOR:
            got = replace(got, plan=got.plan.model_copy(update={"actions": []}))
            verdict = f"a command, but too unsure (score below {FLOOR})"
        elif unheard:
            got = replace(got, plan=got.plan.model_copy(update={"actions": []}))
            verdict = unheard
        else:
            verdict = ("chosen" if got.plan.actions else "refused: " + (got.plan.reason or "") if got.refused
                       else "not a command")
        common["hypotheses"] += (Reading(full.text, full.score, verdict + " (the full 30 s window)"),)
        if got.plan.actions:
            return replace(got, chosen_text=full.text, chosen_score=full.score, **common)
        if got.refused:
            return replace(got, **common)
    if g.by_sound and not unsure:
        from voxctl.agent.interpret.sound_look import sound_look

        sound = sound_look(g, audio, context, text, common)
        if sound is not None:
            return sound
    why = f'not a command: "{text}"' + (f' (the nearest command, "{nearest.text}", is '
                                        f'{nearest.verdict.removeprefix("a command, ")})' if nearest else "")
    if unsure and text == free.text:
        why = f'too unsure of "{text}" to act (score {score:.2f}, below {FLOOR})'
    earlier = first.plan.reason or ""
    reason = why if not earlier.startswith("understood") else f"{earlier}; {why}"
    # Nothing runs: `first` may be the beam's likelier reading, a command too unsure to take ("hold on." at -1.47
    # for "all done" waited a second, 2026-12-04).
    plan = first.plan.model_copy(update={"transcript": text, "reason": reason, "actions": []})
    return replace(first, plan=plan, rejected=why, **common)


def unlike(g: GrammarInterpreter, audio: Any, text: str, free: list[str], spent: dict[str, Any]) -> str:
    """Why the full 30 s window's reading `text`, a command, is not taken ("" when it may be): it has a word no
    short reading `free` heard (`heard_in`), and forced through the recogniser on this audio beside them it is
    more than `rescore_margin` below the likeliest, as a candidate never written would be ("same." read
    "save." on the full window, 3.2 below "same." on the audio: talk pressed ctrl+s, 2026-12-04). Costs one
    forced batch, only when the full window makes a command of what the short one did not (time added to
    `spent`)."""
    score = getattr(g.transcriber, "score", None)
    if score is None or any(heard_in(text, f) for f in free):
        return ""
    t0 = time.perf_counter()
    decision = decide(free, [text], lambda texts: score(audio, texts), lambda t: "" if t == text else "read",
                      g.rescore_margin)
    spent["asr_ms"] += (time.perf_counter() - t0) * 1000
    if decision.chosen is not None or decision.reference is None:
        return ""
    mine = next((s for s in decision.considered if s.text == text), None)
    gap = "" if mine is None else f", {decision.reference.score - mine.score:.2f} below"
    return f"a command, but unlike the audio (forced beside the short window's readings{gap})"


def heard_in(reading: str, other: str) -> bool:
    """Whether every word of `reading` is one of `other`'s, in order ("close window." in "close that window."):
    the full window left a word out, it heard nothing new; forced on the audio such a reading pays for the
    word it lacks ("close window." said "close the window", klatt3, 2026-12-04), so it is not judged so."""
    r, o = normalize(reading), normalize(other)
    return bool(r) and sum(b.size for b in SequenceMatcher(None, o, r, autojunk=False).get_matching_blocks()) == len(r)


def wider_beam(g: GrammarInterpreter, audio: Any, context: ScreenState | None, first: Parse, text: str,
               asr_ms: float) -> Parse:
    """A recogniser without N best: one reading with a wider beam (GrammarInterpreter.retranscribe)."""
    t1 = time.perf_counter()
    second_text = g.retranscribe(audio)
    asr_ms += (time.perf_counter() - t1) * 1000
    if second_text and second_text != text:
        second = g.analyse(second_text, context)
        if second.plan.actions or second.refused:
            return replace(second, ms=first.ms + second.ms, asr_ms=asr_ms, retried=True, free_text=text,
                           chosen_text=second_text if second.plan.actions else "")
    return replace(first, asr_ms=asr_ms, retried=second_text is not None, free_text=text,
                   rejected=f'not a command: "{text}"')
