"""The results of the `grammar` backend (grammar.py): `Parse`, the plan for audio or text and how it came
about, and `Reading`, one reading of the audio the recogniser considered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voxctl.tools.registry import ActionPlan


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
    mode: Any = None  # the dictation mode after this reading, kept only if it is chosen (`commit`)
    plain_text: str = ""  # the reading without the command hint, when it was read (unhinted.py); the model reads it
    # only when no reading was a command (fallback.after_grammar)

    def recognition(self) -> dict[str, Any]:
        """What the recogniser considered, for `--json` output (scores rounded)."""
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {"free": {"text": self.free_text, "score": r(self.free_score)},
                "chosen": {"text": self.chosen_text, "score": r(self.chosen_score)} if self.chosen_text else None,
                "rejected": self.rejected or None, "refused": self.refused, "second_look": self.retried,
                "readings": [{"text": h.text, "score": r(h.score), "verdict": h.verdict} for h in self.hypotheses],
                "candidates": [{"text": h.text, "score": r(h.score), "verdict": h.verdict} for h in self.candidates]}
