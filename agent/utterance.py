"""What the listener hands to the interpreter: audio (or text, for the text engine) plus what was on screen."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class ScreenState:
    """What was on screen when the person spoke; fed to LLM prompts and to window-specific policy."""

    active_window: str = ""
    active_class: tuple[str, ...] = ()  # the focused window's WM_CLASS, where the platform says (app_keys.yaml)
    screen_size: tuple[int, int] | None = None  # None: not known (a typed command); a place is then not checked
    window_titles: tuple[str, ...] = ()
    time: float = field(default_factory=time.time)
    grid_shown: bool | None = None  # whether the mouse grid is on screen (None: not known)


@dataclass(frozen=True)
class Utterance:
    """16 kHz mono float32 audio, or `text` when entered without audio (`voxctl do`, tests)."""

    audio: np.ndarray | None = None
    text: str | None = None
    screen: ScreenState = field(default_factory=ScreenState)
    # A transcript already made (e.g. while the key was held); interpreters reuse it instead of re-decoding.
    transcript: str | None = None
    # Hands-free (`hotkey.mode: always`): accepted because the command grammar read it exactly, so only the grammar
    # may make its plan; no model reads it (the hybrid's fallback would act on what was never accepted).
    grammar_only: bool = False

    @property
    def seconds(self) -> float:
        return 0.0 if self.audio is None else len(self.audio) / SAMPLE_RATE

    @classmethod
    def from_text(cls, text: str, screen: ScreenState | None = None) -> Utterance:
        return cls(text=text, screen=screen or ScreenState())
