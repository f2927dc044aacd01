"""Find a word or phrase on a screenshot with Tesseract, for `click(target=...)`.

Screens are hard for Tesseract's defaults: large dark areas skew its global (Otsu) threshold and its page
layout analysis drops scattered labels such as buttons. Measured on a 1280x800 Xvfb screen with Tk
buttons, an xterm and title bars: default settings read 2 of 13 words, sparse-text segmentation
(`--psm 11`) with local Sauvola thresholding (`thresholding_method=2`) reads 11 of 13 in 0.3-0.5 s,
and 12 of 13 at twice the size in ~0.9 s. So the screen is read at its own size and, unless that already
found the target as a label of its own, once more enlarged two times (see `find_text`).

Matching is per OCR line (Tesseract's block/paragraph/line): the target's words must equal consecutive
words of a line, ignoring case and the punctuation around each word ("save" matches "Save", "Save:" and
"(Save)"; "save as" matches "Save As..."). When no line matches exactly, a close match is accepted
(similarity >= 0.8, targets of 4+ letters), so "Setings" read for "Settings" is still found.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from typing import Any

from voxctl.tools.desktop import DesktopError, TextMatch

# Passes: (scale, tesseract config). The second is skipped when the first found a label (see find_text).
PASSES: tuple[tuple[int, str], ...] = (
    (1, "--psm 11 -c thresholding_method=2"),
    (2, "--psm 11 -c thresholding_method=2"),
)
MIN_CONFIDENCE = 30.0  # Tesseract's word confidence, 0-100; below this the "word" is usually noise
FUZZY_RATIO = 0.8


def _edge(ch: str) -> bool:
    """Punctuation or a symbol: OCR reads these around words ("Save:", "(Open)", "Next →") or as noise."""
    return unicodedata.category(ch)[0] in "PS"


def norm(word: str) -> str:
    """A word as compared: case folded, punctuation and symbols around it removed."""
    word = word.strip()
    start, end = 0, len(word)
    while start < end and _edge(word[start]):
        start += 1
    while end > start and _edge(word[end - 1]):
        end -= 1
    return word[start:end].casefold()


def phrase(text: str) -> str:
    """Text as compared: its words normalised (`norm`), empty ones dropped, joined by single spaces."""
    return " ".join(w for w in map(norm, text.split()) if w)


def _words(image: Any, lang: str, scale: int, config: str, timeout: float = 0) -> list[list[dict[str, Any]]]:
    """OCR lines of `image`, each a list of words with boxes in the image's own pixels."""
    import pytesseract

    img = image.convert("L")
    if scale > 1:
        from PIL import Image

        img = img.resize((img.width * scale, img.height * scale), Image.Resampling.BICUBIC)
    # One thread per tesseract: its OpenMP threads cost more than they give on screen-sized images (one
    # full-screen pass, 2 cores: 0.86 s -> 0.47 s). pytesseract starts tesseract with its module's
    # `environ`; a user's own OMP_THREAD_LIMIT wins.
    pytesseract.pytesseract.environ = {"OMP_THREAD_LIMIT": "1", **os.environ}
    try:
        data = pytesseract.image_to_data(img, lang=lang, config=config, output_type=pytesseract.Output.DICT,
                                         timeout=timeout)
    except pytesseract.TesseractNotFoundError:
        raise DesktopError("tesseract is not installed; install it to click on text "
                           "(Debian/Ubuntu: apt-get install tesseract-ocr)") from None
    except pytesseract.TesseractError as e:
        hint = f" (is the tesseract language {lang!r} installed? apt-get install tesseract-ocr-{lang})"
        raise DesktopError(f"tesseract failed: {e.message.strip() or e.status}{hint}") from None
    lines: dict[tuple[int, int, int], list[dict[str, Any]]] = {}
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if not text.strip() or conf < MIN_CONFIDENCE or not norm(text):
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append({
            "text": text.strip(), "conf": conf,
            "left": data["left"][i] // scale, "top": data["top"][i] // scale,
            "width": max(1, data["width"][i] // scale), "height": max(1, data["height"][i] // scale),
        })
    return list(lines.values())


def read_lines(image: Any, lang: str = "eng", timeout: float = 0) -> list[list[dict[str, Any]]] | None:
    """Every OCR line of `image` (one pass at its own size), each a list of words (text, conf, left, top,
    width, height): what numbered labels (tools/elements.py) read. None when it took over `timeout` s."""
    scale, config = PASSES[0]
    try:
        return _words(image, lang, scale, config, timeout)
    except RuntimeError as e:  # pytesseract kills tesseract at the timeout and says so this way
        if "timeout" in str(e).lower():
            return None
        raise


def _match(words: list[dict[str, Any]], line: str) -> TextMatch:
    left = min(w["left"] for w in words)
    top = min(w["top"] for w in words)
    right = max(w["left"] + w["width"] for w in words)
    bottom = max(w["top"] + w["height"] for w in words)
    return TextMatch(
        text=" ".join(w["text"] for w in words), left=left, top=top, width=right - left, height=bottom - top,
        confidence=sum(w["conf"] for w in words) / len(words), line=line,
    )


def match_lines(lines: list[list[dict[str, Any]]], target: str) -> tuple[list[TextMatch], list[TextMatch]]:
    """Runs of consecutive words in `lines` that read as `target`: (exact matches, close ones best first)."""
    joined = phrase(target)
    want = joined.split()
    if not want:
        return [], []
    n = len(want)
    exact: list[TextMatch] = []
    close: list[tuple[float, TextMatch]] = []
    for words in lines:
        line = " ".join(w["text"] for w in words)
        for i in range(len(words) - n + 1):
            run = words[i:i + n]
            got = [norm(w["text"]) for w in run]
            if got == want:
                exact.append(_match(run, line))
            elif len(joined) >= 4:
                ratio = difflib.SequenceMatcher(None, " ".join(got), joined).ratio()
                if ratio >= FUZZY_RATIO:
                    close.append((ratio, _match(run, line)))
    return exact, [m for _, m in sorted(close, key=lambda rm: -rm[0])]


def _standalone(m: TextMatch) -> bool:
    return phrase(m.line) == phrase(m.text)


def _overlap(a: TextMatch, b: TextMatch) -> bool:
    w = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    h = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return w > 0 and h > 0 and w * h > 0.5 * min(a.width * a.height, b.width * b.height)


def _merge(found: list[TextMatch], more: list[TextMatch]) -> list[TextMatch]:
    """`found` plus the matches of `more` in new places (the same text read twice keeps its better read)."""
    out = list(found)
    for m in more:
        same = next((i for i, f in enumerate(out) if _overlap(f, m)), None)
        if same is None:
            out.append(m)
        elif m.confidence > out[same].confidence:
            out[same] = m
    return out


def find_text(image: Any, target: str, lang: str = "eng") -> list[TextMatch]:
    """Where `target` (a word or a phrase) appears on `image` (a PIL image), in the image's pixels.

    The enlarged second pass is skipped only when the first already found the target as a label of its
    own (a whole OCR line, like a button): the best kind of match `tools.mouse.pick_match` can choose.
    Otherwise both passes' matches are merged, so a button the first pass missed is not lost to the
    same word inside a sentence that it did read."""
    exact: list[TextMatch] = []
    close: list[TextMatch] = []
    for scale, config in PASSES:
        e, c = match_lines(_words(image, lang, scale, config), target)
        exact, close = _merge(exact, e), _merge(close, c)
        if any(_standalone(m) for m in exact):
            break
    return exact or close
