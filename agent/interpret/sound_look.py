"""The grammar's look at a short utterance by its sound: the last look of the second look (second_look.py) in hold
mode, and the open microphone's (agent/voice_control.py) at a short utterance its reading made no command of.

understand/sounds.py names the short command the audio is; this reads it with the grammar and refuses a plan
that may be taken only from the free reading (forced_look.free_only: destructive, dictation, "again").
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.grammar_parse import Parse, Reading
from voxctl.agent.utterance import ScreenState


def sound_look(g: GrammarInterpreter, audio: Any, context: ScreenState | None, text: str,
               common: dict[str, Any]) -> Parse | None:
    """The last look at a short utterance no reading made a command of (`by_sound`); None when it found none.
    What was weighed joins the readings in `common` (its time too)."""
    t0 = time.perf_counter()
    got, reading, _ = by_sound(g, audio, text, context)
    common["asr_ms"] += (time.perf_counter() - t0) * 1000
    if reading is not None:
        common["hypotheses"] += (reading,)
    return None if got is None else replace(got, **common)


def by_sound(g: GrammarInterpreter, audio: Any, text: str, context: ScreenState | None = None, **gates: float
             ) -> tuple[Parse | None, Reading | None, Any]:
    """The command a short utterance read as `text` (no command) is by its sound (understand/sounds.py), read by
    the grammar, unless its plan may come only from the free reading; what was weighed (None: nothing); and the
    sound look's own answer (sounds.Heard)."""
    from voxctl.agent.interpret.understand.sounds import by_sound as heard_by_sound

    heard = heard_by_sound(g.transcriber, audio, text, **gates)  # gates: the bench's own (min_prob, margin)
    if not heard.why:
        return None, None, heard
    got = g.analyse(heard.phrase, context) if heard.phrase else None
    from voxctl.agent.interpret.forced_look import free_only

    barred = free_only(g, got.plan.actions) if got is not None and got.plan.actions else ""
    verdict = "chosen" if got is not None and got.plan.actions and not barred else barred or "not taken"
    reading = Reading(heard.phrase or text, None, f"{verdict} ({heard.why})")
    if verdict != "chosen":
        return None, reading, heard
    plan = got.plan.model_copy(update={"reason": heard.why})
    return replace(got, plan=plan, chosen_text=heard.phrase, chosen_score=None), reading, heard
