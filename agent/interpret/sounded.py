"""A dictation trigger heard as the word it sounds like: "write running late today" read "right running late today".

Whisper writes the everyday word for a homophone ("right" for "write": every dev voice, every "write ..." of the
blind probe set, 2026-12-05), so a trigger that only dictates when heard exactly is never heard. The grammar's
`sounded_triggers` table says which word stands for which trigger; `as_trigger` gives the reading with the trigger
written in, only where nothing else is meant:

- the word is said first, after none but the cautious lead words ("okay, right ..."), so it takes the trigger's
  caution: the model may still say it is talk (understand/fallback.review);
- the recogniser put no pause after it: "Right, sounds good." is talk, "right sounds good" may be dictation;
- the next word is not one that makes the homophone a word of its own (`not_before`: "right now", "right there",
  "right click");
- the reading as heard is no command (GrammarInterpreter.analyse asks only then), and the recogniser is not the
  exact grammar of hands-free listening, where nobody pressed a key to address voxctl (fuzzy_threshold 1);
- in the audio, the homophone said first is not followed by a pause (`paused`): Whisper seldom writes the comma
  of "Right, good idea." (espeak-ng's pause after it, about 130-190 ms, is found by the VAD; flite's is too short).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from voxctl.agent.interpret.dictation_render import past
from voxctl.agent.interpret.grounded import ENDEARMENTS
from voxctl.agent.interpret.normalize import Token, tokenize
from voxctl.agent.interpret.politely import known_verbs
from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.tools.words import words_in


def _homophone(text: str, spec: GrammarSpec) -> tuple[Token, int] | None:
    """The token of `text` that is a trigger's homophone said first (after none but the cautious lead words), with
    no pause after it and not before a word that makes it a word of its own, and its index; else None."""
    if not spec.sounded_triggers:
        return None
    tokens = tokenize(text)
    words = [t.word for t in tokens]
    i = past(words, 0, spec.cautious_leads)
    if i + 1 >= len(words) or words[i] not in spec.sounded_triggers:
        return None
    if tokens[i].pause or words[i + 1] in spec.sounded_not_before:
        return None
    return tokens[i], i


# Said last, a word that names who is spoken to: the sentence is said to people, not dictated ("right, open the
# syllabus to page four everyone" was heard "right open the syllabus to page four everyone." and typed: slt, blind
# probe set 24), and after the cautious trigger "write" heard as said (understand/fallback.review); "type thanks
# everyone" types it.
TOLD_LAST = ENDEARMENTS | frozenset("everyone everybody folks anyone anybody kids class".split())


def told_to_people(dictated: str, spec: GrammarSpec) -> bool:
    """Whether the words after a trigger are an instruction to people: a command's verb first, who is spoken to last
    ("open the syllabus to page four everyone"); a greeting ("good morning everybody") is dictation."""
    said = words_in(dictated)
    return len(said) > 2 and said[-1] in TOLD_LAST and said[0] in known_verbs(spec)


def as_trigger(text: str, spec: GrammarSpec) -> str | None:
    """`text` with its first word written as the trigger it sounds like, or None when it is no such trigger."""
    found = _homophone(text, spec)
    if found is None:
        return None
    if told_to_people(text[found[0].end:], spec):
        return None
    tok = found[0]
    return text[:tok.start] + spec.sounded_triggers[tok.word] + text[tok.end:]


PAUSE_MS = 120  # silence after the first word that makes it a word of its own ("Right, ...")
FIRST_WORD_MS = 700  # the first stretch of speech is one short word ("right"), not a phrase


def paused(grammar: Any, audio: Any, parse: Any) -> Any:
    """`parse` (GrammarInterpreter.read's), or the same with no actions when its plan reads the first word as the
    trigger it sounds like and the speaker paused after that word: "Right, good idea." read "right good idea."."""
    chosen = parse.chosen_text or ""
    if not parse.plan.actions or audio is None or parse.plan.transcript == chosen:
        return parse
    found = _homophone(chosen, grammar.spec)
    if found is None or found[1] != 0:  # after a lead word ("okay, right ..."), a pause says nothing of the homophone
        return parse
    from voxctl.agent.listen.vad import speech_spans
    from voxctl.agent.utterance import SAMPLE_RATE

    spans = speech_spans(audio, min_silence_ms=PAUSE_MS)
    if len(spans) < 2 or (spans[0][1] - spans[0][0]) * 1000 / SAMPLE_RATE > FIRST_WORD_MS:
        return parse
    why = f"not a command: {chosen.strip()!r} has a pause after {found[0].word!r}, a word of its own there (talk)"
    plan = parse.plan.model_copy(update={"actions": [], "reason": why, "transcript": chosen})
    # final, as talk said first is ("write down the number"): no model guesses at it either
    return replace(parse, plan=plan, refused=True, chosen_text="", chosen_score=None, rejected=why)


_JOINS = frozenset({"and", "then", "in", "n", "now", "so"})  # heard between "right" and its command ("write and archive")


def command_written(text: str, tokens: list[Token], spec: GrammarSpec, analyse: Any) -> tuple[str, list[Any]] | None:
    """Why a reading that dictates after a cautious trigger said first ("write switch me over to the terminal.") is no
    dictation, and the command it was: what it would type is a whole command of the grammar's (`analyse`: text ->
    Parse, typed), so the trigger was "right, ..." said first, misheard (en-us+m3 and slt, spoken blind probe set 25:
    the command was typed into the window). The command is said back as a guess ("did you mean: ...? say it again,
    or say yes": guessed.py). None otherwise."""
    from voxctl.agent.interpret.guessed import SAY_AGAIN

    if not tokens or tokens[0].word not in spec.cautious_triggers:
        return None
    paused = len(tokens) > 1 and re.match(r"\s*[.,;:!?]", text[tokens[0].end:tokens[1].start])
    k = 1
    while k < len(tokens) and tokens[k].word in _JOINS:
        k += 1
    if not paused and len(tokens) - k < 2:
        return None
    rest = text[tokens[k].start:] if k < len(tokens) else ""
    plan = analyse(rest).plan if rest.strip() else None
    command = plan is not None and plan.actions and not any(c.tool == "type_text" for c in plan.actions)
    guess = list(plan.actions) if command else []
    said_back = f"did you mean: {rest.strip().rstrip('.')}? {SAY_AGAIN}" if guess else "say the command again"
    if paused:
        # "write. let me just refresh that." (en-us+m3): a pause right after it, as after "right," said first; a
        # trigger runs on into what it types (and "Right, sounds good." is talk: as_trigger)
        return (f'"{text.strip()}": not a command: "{tokens[0].word}" said first with a pause after it was "right, ...", '
                f"heard as it: {said_back}"), guess
    if not command:
        return None
    return (f'"{text.strip()}": not a command: "{tokens[0].word}" before a whole command ("{rest.strip()}") was '
            f'"right, ..." said first, heard as "{tokens[0].word}": {said_back}'), guess
