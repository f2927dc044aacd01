"""The recogniser hint a test's case was found with (tests/safety and the recognition tests)."""

from __future__ import annotations

from voxctl.agent.listen.vocabulary import EXAMPLE_COMMANDS as SHIPPED_EXAMPLES  # noqa: F401 - imported before any patch

# The recogniser hint's example sentences when the hint-made holes were found (2026-12-05); since 2026-12-06 the
# shipped hint also says "show numbers. mouse grid.", which moves what tiny.en hears on some clips. A hint is live
# input anyway (the macros, the apps, the window titles change it); tests of a case found under it (a
# hole, a misreading) reproduce it under that hint, and the mechanisms they test read whatever hint is set.
FOUND_WITH = ("press control c", "press shift enter", "press insert", "scroll up two", "scroll right four", "click here",
              "drag to ten twenty", "move the mouse to fifty sixty", "type good morning", "open the browser",
              "switch to the editor", "wait one second", "press page up", "select everything", "redo",
              "mouse up twenty", "press alt f", "take a picture")


class found_hint:
    """`with found_hint(transcriber):` the hint of FOUND_WITH (and `set_vocabulary` builds on it) until the end."""

    def __init__(self, transcriber) -> None:
        self.transcriber = transcriber

    def __enter__(self):
        import pytest

        from voxctl.agent.listen import vocabulary

        self.before = self.transcriber.hint
        self.patch = pytest.MonkeyPatch()
        self.patch.setattr(vocabulary, "EXAMPLE_COMMANDS", FOUND_WITH)
        self.transcriber.set_vocabulary()
        return self.transcriber

    def __exit__(self, *exc) -> None:
        self.patch.undo()
        self.transcriber.hint = self.before
