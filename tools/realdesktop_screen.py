"""The real desktop's screen: screenshots, text found by OCR, and pointing by voice (the mouse grid and
numbered labels, tools/pointing.py). A part of `RealDesktop` (tools/realdesktop.py).
"""

from __future__ import annotations

import os
from typing import Any

from voxctl.tools.desktop import DesktopError, TextMatch
from voxctl.tools.pointing import Drawing, Element, Rect, Scope
from voxctl.tools.realdesktop_backends import _uses_x11


class RealScreen:
    """`RealDesktop.find_text`, `screenshot` (with `_grab`) and the overlay and element finding for pointing."""

    # -- screen ---------------------------------------------------------------------------------------------
    def _grab(self) -> Any:
        if _uses_x11() and not os.environ.get("DISPLAY"):
            from voxctl.tools.x11 import no_display_message

            raise DesktopError(no_display_message())
        from PIL import ImageGrab

        try:
            with self.overlay.hidden():  # voxctl never reads or saves its own grid or labels
                return ImageGrab.grab()
        except OSError as e:
            raise DesktopError(f"cannot take a screenshot: {e}") from None

    def find_text(self, target: str) -> list[TextMatch]:
        from voxctl.tools.ocr import find_text

        image = self._grab()
        # On HiDPI screens (macOS Retina) the image has more pixels than the pointer's coordinates.
        w, h = self.screen_size()
        sx, sy = w / image.width, h / image.height
        matches = find_text(image, target, self.ocr_lang)
        if (sx, sy) == (1.0, 1.0):
            return matches
        return [TextMatch(m.text, round(m.left * sx), round(m.top * sy), max(1, round(m.width * sx)),
                          max(1, round(m.height * sy)), m.confidence, m.line) for m in matches]

    def screenshot(self, path: str) -> str:
        image = self._grab()
        try:
            image.save(path, format="PNG")
        except OSError as e:
            raise DesktopError(f"cannot save the screenshot to {path}: {e.strerror or e}") from None
        return path

    # -- pointing by voice: the mouse grid and numbered labels (tools/pointing.py) ----------------------
    def area(self, scope: Scope) -> Rect:
        if scope == "window":
            rect = self.wins.active_rect() if _uses_x11() else None
            if rect is None:
                raise DesktopError("there is no active window to point into")
            return Rect(*rect)
        return Rect(0, 0, *self.screen_size())

    def show_overlay(self, drawing: Drawing) -> None:
        if not _uses_x11():
            raise DesktopError("the mouse grid and numbered labels are drawn on X11 only for now")
        self.overlay.show(drawing, self.pointing.timeout)

    def hide_overlay(self) -> None:
        self.overlay.hide()

    def accessible_elements(self, where: Rect) -> list[Element] | str:
        if not _uses_x11():
            return "the accessibility tree is read on Linux only (AT-SPI)"
        self.overlay.start()  # the overlay's process loads Tk meanwhile: labels follow sooner
        return self.a11y.elements(where)

    def find_elements(self, where: Rect) -> list[Element]:
        from voxctl.tools.elements import detect

        if _uses_x11():
            self.overlay.start()  # the overlay's process loads Tk meanwhile: labels follow sooner
        return detect(self._grab(), where, self.ocr_lang)
