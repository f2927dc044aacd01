"""A letter key heard again among all letters, by the audio alone.

A letter said alone is the hardest word to hear ("bee", "dee", "ee", "gee", "pee", "tee", "vee", "zee" differ in one
consonant), and the recogniser's command hint pulls it towards the letters of its own examples: "press control z" was
heard "press control c." in three voices of the recognition bench (the hint says "press control c"), "press alt q",
"press alt z", "press alt w" and "press alt h" were heard "press alt f." (it says "press alt f"). Without the hint the
same audio reads "Press Ctrl Z.": `scripts/bench_letters.py`, a-z with and without a modifier in six dev voices,
read 74 of 156 right with the hint and 68 without; neither reading is the better one.

So a plan of one key chord whose letter was heard as one of the hint's own letters ("press alt f.", not "press alt
foxtrot", nor "press alt s.": a letter the hint does not say was not pulled by it, and reading those again lost right
ones, "press control s" heard "press control l.") is scored again: the reading forced through the recogniser without
the hint, in the style it writes without it (`restyled`), with each letter of the alphabet in the letter's place.
Another letter is taken when it is MARGIN per token likelier than the one heard, and only towards a chord no riskier
than the one heard (a destructive chord is taken only as heard). `scripts/bench_letters.py` (docs/BENCHMARKS.md,
2026-12-07): on six dev voices 5 more right and none lost; on four held-out voices 2 more, none lost; on clean clips of
the tests' seven voices 4 more, 1 lost ("press control c" heard again "z" in espeak's default voice). It costs 26
forced decodings of the encoding made already (about 0.1-0.3 s on 2 cores), only for such a plan.
"""

from __future__ import annotations

import re
import string
from dataclasses import replace
from typing import Any

ON = True  # off only for an A/B of it
# per-token log-probability a letter must gain over the one heard: on the dev voices every margin from 0 to 1.0 gained
# the same 5 and lost none (the gains were 1.01-1.61 likelier); the middle of that range
MARGIN = 0.5
_LETTER = re.compile(r"(?<![\w'])[a-zA-Z](?![\w'])")
_HINT_LETTER = re.compile(r"\b(?:press|control|ctrl|alt|shift|super|win|command)\s+([a-zA-Z])(?![\w'])", re.IGNORECASE)


def hint_letters(hint: str) -> frozenset[str]:
    """The letters the hint says as keys: a letter after a key word ("press control c", "press alt f"), not the article
    of "take a picture"."""
    return frozenset(m.lower() for m in _HINT_LETTER.findall(hint))


def _the_letter(parse: Any) -> str | None:
    """The letter key when the plan presses one chord with one letter in it and the reading says that letter once, as
    a letter; else None."""
    acts = parse.plan.actions
    if len(acts) != 1 or acts[0].tool != "press_keys":
        return None
    letters = [k for k in acts[0].args.keys if len(k) == 1 and k in string.ascii_lowercase]
    said = _LETTER.findall((parse.chosen_text or parse.plan.transcript).strip())
    if len(letters) != 1 or len(said) != 1 or said[0].lower() != letters[0]:
        return None
    return letters[0]


def look(grammar: Any, audio: Any, parse: Any, context: Any = None) -> Any:
    """`parse` (GrammarInterpreter.read's), or the same with its letter key heard again among all letters."""
    from voxctl.agent.interpret.grammar_parse import Reading
    from voxctl.agent.interpret.unhinted import restyled

    if not ON or audio is None or parse.refused or (heard := _the_letter(parse)) is None:
        return parse
    tr = grammar.transcriber
    if tr is None or not hasattr(tr, "score"):
        return parse
    if heard not in hint_letters(getattr(tr, "hint", None) or ""):
        return parse  # a letter the hint does not say: the hint did not pull it (heard again, right ones were lost)
    first = (parse.chosen_text or parse.plan.transcript).strip()  # one letter in it (_the_letter)
    text = restyled(first)
    at, mark = _LETTER.search(text), _LETTER.search(first)
    if at is None or mark is None:
        return parse
    forced = tr.score(audio, [text[:at.start()] + x.upper() + text[at.end():] for x in string.ascii_lowercase])
    if len(forced) != 26:
        return parse
    scores = dict(zip(string.ascii_lowercase, (f.score for f in forced), strict=True))
    best = max(scores, key=scores.__getitem__)
    if best == heard or scores[best] - scores[heard] <= MARGIN:
        return parse
    call = parse.plan.actions[0]
    keys = [best if k == heard else k for k in call.args.keys]
    again = call.model_copy(update={"args": call.args.model_copy(update={"keys": keys})})
    said = text[:at.start()] + best + text[at.end():]
    if grammar.risk(again) > grammar.risk(call):  # the grammar's own judge (the user's risk overrides too)
        return replace(parse, hypotheses=(*parse.hypotheses, Reading(
            said, scores[best], f"not taken: the letter heard again, a riskier chord than {heard!r}")))
    chosen = first[:mark.start()] + best + first[mark.end():]  # what the plan is read from
    plan = parse.plan.model_copy(update={"actions": [again], "transcript": chosen})
    return replace(parse, plan=plan, chosen_text=chosen, hypotheses=(*parse.hypotheses, Reading(
        said, scores[best], f"chosen: the letter heard again among all letters ({scores[heard]:.2f} for {heard!r})")))
