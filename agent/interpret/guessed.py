"""A guess said back and taken with a "yes": "did you mean: next tab (ctrl+tab)? say it again, or say yes".

The understanding model never acts below its confidence: it says what it guessed and nothing runs
(understand/fallback.py). Saying the command again is one way on; a person who cannot say it better (a word
Whisper always mishears, a stammer) says "yes" instead, and the guess runs as if it had been said: through
the same grounding, policy and confirmation as any plan (what cannot be taken back still asks).

Only the last guess, only for `FRESH_S` after it was said back, only once, and only for a reply that is a yes and
nothing else (answers.match_answer, answers.only_a_reply): any other utterance forgets it. Hands-free listening
makes no guesses (the grammar's plan or nothing), so an overheard "yes" there finds none.
"""

from __future__ import annotations

import time
from typing import Any

FRESH_S = 15.0  # a "yes" this long after the guess was said back still answers it
SAY_AGAIN = "say it again, or say yes"  # how a reason that says a guess back ends


def says_yes(text: str) -> bool:
    """Whether `text` is a reply and a yes: yes words, no no word, nothing of a command ("yes please do that", "yeah
    that one"; not "no not that one", not "yes, close it")."""
    from voxctl.agent.answers import NO_WORDS, YES_WORDS, only_a_reply
    from voxctl.tools.words import words_in

    said = set(words_in(text, digits=False))
    return only_a_reply(text) and bool(said & YES_WORDS) and not said & NO_WORDS


class Guesses:
    """The last guess said back (a plan with `guess` and no actions), and when."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._last: tuple[Any, float] | None = None

    def answer(self, plan: Any) -> Any:
        """`plan` (an utterance's plan), or the last guess as the plan to run when `plan` is only a yes to it. The
        guess is kept when `plan` says one back; any other plan forgets it."""
        last, self._last = self._last, None
        said = plan.transcript or ""
        if not plan.actions and last is not None and self._clock() - last[1] <= FRESH_S and says_yes(said):
            guessed = last[0]
            return guessed.model_copy(update={"actions": list(guessed.guess), "guess": [], "transcript": said,
                                              "reason": f"yes to: {guessed.transcript!r}"})
        if not plan.actions and plan.guess:
            self._last = (plan, self._clock())
        return plan
