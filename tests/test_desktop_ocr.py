"""On-screen text: real Tesseract on rendered images (no display needed), and the rule that picks which of
several matches `click(target=...)` presses."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from voxctl.tools import ocr
from voxctl.tools.desktop import DesktopError, TextMatch
from voxctl.tools.mouse import pick_match
from voxctl.tools.ocr import match_lines, norm

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def font(size: int):
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)


@pytest.fixture(scope="module")
def screen():
    """A screen-like picture: a menu bar, a dark title bar, a sentence and a lone button label."""
    im = Image.new("RGB", (900, 360), (40, 40, 40))  # dark desktop around the windows
    d = ImageDraw.Draw(im)
    d.rectangle((20, 20, 880, 340), fill=(245, 245, 245))
    d.rectangle((20, 20, 880, 50), fill=(50, 80, 140))
    d.text((40, 26), "Report.odt - Writer", font=font(16), fill=(255, 255, 255))
    d.text((40, 70), "File   Edit   View   Help", font=font(16), fill=(0, 0, 0))
    d.text((40, 150), "Unsaved changes: Save As... or Cancel?", font=font(16), fill=(0, 0, 0))
    d.rectangle((600, 260, 700, 300), fill=(220, 220, 220), outline=(120, 120, 120))
    d.text((628, 270), "Save", font=font(16), fill=(0, 0, 0))
    return im


def test_finds_words_and_phrases_case_and_punctuation_insensitively(screen):
    saves = ocr.find_text(screen, "save")
    assert len(saves) == 2  # the button and the word in the sentence
    button = pick_match(saves, "save")
    assert button.line == "Save" and 600 < button.center[0] < 700 and 260 < button.center[1] < 300

    (phrase,) = ocr.find_text(screen, "Save as")
    assert phrase.text == "Save As..." and phrase.line.startswith("Unsaved")
    assert 140 < phrase.center[1] < 175 and phrase.width > 60  # the box spans both words

    (cancel,) = ocr.find_text(screen, "CANCEL")
    assert cancel.text == "Cancel?"
    (title,) = ocr.find_text(screen, "writer")  # white on a dark title bar
    assert 20 <= title.center[1] <= 50
    assert ocr.find_text(screen, "edit view")[0].text == "Edit View"


def test_text_not_on_screen_finds_nothing(screen):
    assert ocr.find_text(screen, "Publish") == []
    assert ocr.find_text(screen, "save report") == []  # words present, but not next to each other


def _line(*words: str, conf: float = 90.0) -> list[dict]:
    return [{"text": w, "conf": conf, "left": 10 + 50 * i, "top": 5, "width": 40, "height": 12}
            for i, w in enumerate(words)]


def test_close_matches_only_when_nothing_matches_exactly():
    exact, close = match_lines([_line("Open", "Setings")], "settings")
    assert exact == [] and [m.text for m in close] == ["Setings"]
    exact, close = match_lines([_line("Setings"), _line("Settings")], "settings")
    assert [m.text for m in exact] == ["Settings"]
    assert match_lines([_line("Sate")], "save") == ([], [])  # short words must match exactly
    assert norm("(Save…)") == "save" and norm("—") == ""


def m(text: str, line: str = "", conf: float = 90.0, top: int = 100, left: int = 100) -> TextMatch:
    return TextMatch(text, left, top, 40, 12, conf, line)


def test_pick_prefers_exact_then_standalone_then_confidence_then_reading_order():
    # 1. exact text over a close OCR match, even a more confident one
    assert pick_match([m("Sav", conf=99), m("Save", conf=60)], "save").text == "Save"
    # 2. a label of its own (a button) over the same word inside a sentence above it
    assert pick_match([m("Save", line="Save As", top=10), m("Save", line="Save", top=300)], "save").top == 300
    # 3. more confident over less
    assert pick_match([m("Save", conf=70, top=10), m("Save", conf=95, top=300)], "save").top == 300
    # 4. then the topmost, then the leftmost
    assert pick_match([m("Save", top=300), m("Save", top=10, left=500), m("Save", top=10, left=20)],
                      "save").left == 20
    # punctuation around the words does not make a match less exact
    assert pick_match([m("Save:", line="Save:"), m("Saved", top=0, conf=99)], "save").text == "Save:"


def test_missing_tesseract_or_language_is_a_desktop_error(screen, monkeypatch):
    import pytesseract

    with pytest.raises(DesktopError, match="tesseract-ocr-zzz"):
        ocr.find_text(screen, "save", lang="zzz")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(DesktopError, match="tesseract is not installed"):
        ocr.find_text(screen, "save")
