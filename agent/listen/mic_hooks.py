"""What the open microphone (agent/listen/open_mic.py) hands the listen loop: an accepted command
(`Spoken`), and the callbacks the loop gives it to route each utterance through (`Hooks`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voxctl.agent.handsfree import Verdict


@dataclass(frozen=True)
class Spoken:
    """An utterance accepted as a command: its audio and the transcript the graph reuses."""

    audio: np.ndarray
    text: str
    heard_at: float  # time.monotonic() when its end of speech was decided



@dataclass
class Hooks:
    accept: Callable[[str], str]
    on_command: Callable[[Spoken], None]
    on_answer: Callable[[np.ndarray], None]
    on_stop: Callable[[], None]
    on_drop: Callable[[str, str, float], None]
    executing: Callable[[], bool]
    answering: Callable[[], bool]
    muted: Callable[[], bool] = lambda: False
    on_verdict: Callable[[Verdict], None] = lambda v: None
    asked_at: Callable[[], float] = lambda: 0.0  # time.monotonic() when the open question was put
    # The command a short utterance its reading made none of is by its sound: (phrase or None, why); None: no look.
    by_sound: Callable[[np.ndarray, str], tuple[str | None, str]] | None = None
    # Why an accepted reading (audio, text, the hint it was read with) is the hint's own sentence, else "" (a
    # second look at the audio, unhinted.echoed); None: no look.
    echo: Callable[[np.ndarray, str, str | None], str] | None = None
