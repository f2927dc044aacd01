"""The check of a reading that is one key press against its neighbours on the audio (GrammarInterpreter.read):
with `rescore: all`, every key press against the keys it may be misheard for ("press control c" -> z); whenever
rescoring is on, a last key that starts longer names against those ("press f." -> f nine, `extendable`); and a
chord the recogniser's hint quotes against the same chord with another named key last, forced without the hint
(`quoted`, `swapped`: "alt tab" read "alt f."). Candidates are scored by forced_look.rescore.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from voxctl.agent.interpret.forced_look import neighbours, rescore
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.grammar_parse import Parse
from voxctl.agent.utterance import ScreenState


def extendable(g: GrammarInterpreter, text: str) -> bool:
    """Whether the reading ends on a key whose name starts longer ones ("press f." for f nine): a key
    press checked on the audio against those (`recheck` with `longer_only`) whenever rescoring is on."""
    return bool(neighbours(g).extended(text))


def quoted(g: GrammarInterpreter, call: Any) -> bool:
    """Whether `call` presses a chord the recogniser's hint quotes ("press alt f", "press control c"): the hint's
    own example pulls a near chord onto it ("alt tab" read "alt f." in every dev voice of the spoken blind sets), so
    such a reading is checked against its neighbours on the audio, forced without the hint (`recheck`)."""
    hint = getattr(g.transcriber, "hint", None) if g._transcriber is not None else None
    keys = getattr(call.args, "keys", None)
    return bool(hint and keys and call.tool == "press_keys" and tuple(keys) in _hint_chords(g, hint))


def _hint_chords(g: GrammarInterpreter, hint: str) -> frozenset[tuple[str, ...]]:
    """The chords the sentences of `hint` press, parsed once per hint (it changes after a plan at most)."""
    cache = g.__dict__.setdefault("_hint_chords", {})
    if hint not in cache:
        from voxctl.agent.listen.vocabulary import hint_sentences

        chords = set()
        for sentence in hint_sentences(hint):
            for c in g.analyse(sentence, heard=False).plan.actions:
                if c.tool == "press_keys":
                    chords.add(tuple(c.args.keys))
        cache.clear()
        cache[hint] = frozenset(chords)
    return cache[hint]


# A reading on a chord the hint quotes gives way to another key only this much likelier per token, forced without the
# hint: "alt tab" read "alt f." came back 2.1-4.0 likelier as "alt tab" (10 of 16 clips, 8 dev voices), while a true
# "press alt f" lost to "alt down"/"alt tab" by at most 1.52 and "control c" and "control z" overlap (0.3-1.3 either
# way: those stay as read). /tmp experiment of 2026-12-05, docs/BENCHMARKS.md.
QUOTED_SWITCH = 2.0
# The keys a hint-quoted chord's last key is checked against: the named keys people chord. Not the letters: with all
# 26 the check cost 300-500 ms per reading on a loaded box, and no letter it put in was right at QUOTED_SWITCH
# ("alt tab" became "alt m"); "control z" read "control c" is within the margin either way.
SWAP_KEYS = ("tab", "enter", "escape", "space", "delete", "backspace", "home", "end", "left", "right", "up", "down",
             "f4")


def swapped(text: str, call: Any) -> tuple[str, ...]:
    """The reading `text` with its last word, the last key of `call`'s chord, said as each of SWAP_KEYS instead:
    "press alt f." -> "press alt tab.", "press alt enter.", ... (empty when the reading ends on no key word)."""
    from voxctl.tools.keys import normalize_key

    m = re.search(r"([A-Za-z0-9]+)([^A-Za-z0-9]*)$", text)
    keys = getattr(call.args, "keys", None) or []
    if m is None or not keys or normalize_key(m.group(1)) != keys[-1]:
        return ()
    return tuple(f"{text[:m.start()]}{k}{m.group(2)}" for k in SWAP_KEYS if k != keys[-1])


def recheck(g: GrammarInterpreter, audio: Any, context: ScreenState | None, done: Parse,
            longer_only: bool = False, swaps: tuple[str, ...] = ()) -> Parse:
    """A reading that is a key press, checked against its grammar neighbours on the audio: one that
    is `rescore_switch` likelier per token than the reading replaces it ("press control c" -> z).
    `longer_only`: against the longer keys its last key starts only ("press f." -> "press f nine."), also
    when earlier actions come first ("switch to firefox and press f."): those must stay as read. `swaps`: against
    these alone (`swapped`: a chord the hint quotes with another last key), which must be QUOTED_SWITCH likelier."""
    got, considered, spent = rescore(g, audio, context, [done.free_text], margin=99.0,
                                     recheck="quoted" if swaps else "longer" if longer_only else True, extra=swaps)
    done = replace(done, asr_ms=done.asr_ms + spent[0], ms=done.ms + spent[1], candidates=considered)
    ref = next((h.score for h in considered if h.text == done.free_text), None)
    if got is None or got.chosen_text == done.free_text or ref is None or got.chosen_score is None:
        return done
    switch = QUOTED_SWITCH if swaps else g.rescore_switch
    if got.chosen_score - ref < switch or got.plan.actions[:-1] != done.plan.actions[:-1]:
        return done
    return replace(got, asr_ms=done.asr_ms, ms=done.ms, free_text=done.free_text, free_score=done.free_score,
                   hypotheses=done.hypotheses, candidates=considered, retried=True)
