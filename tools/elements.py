"""What looks clickable on a screenshot, for numbered labels when no accessibility tree says it.

Two readings of the same pixels, merged:
- UI boxes: edges (a step in brightness between neighbours), joined over small gaps, as connected
  regions (scipy.ndimage). A raised button's border, an icon, a field's frame and a run of letters each
  become one region; a region holding three or more others is a container (a frame, a panel), not a target,
  and a region inside a target is a part of it (the icon inside the button).
- OCR words (tools/ocr.py, one pass at the screen's own size, within `OCR_BUDGET`): they name the boxes
  they fall in, and a word in no box is a target of its own. On a busy machine OCR may not finish in
  time; the boxes are labelled anyway (a run of text is a box of its own too).
"""

from __future__ import annotations

from typing import Any

from voxctl.tools.pointing import Element, Rect

EDGE = 40  # brightness step (0-255) that counts as an edge
MIN_SIDE = 6  # smaller regions are noise or dots
MAX_SHARE = 0.25  # a region covering more of the area than this is a panel
MAX_ELEMENTS = 400
# Seconds Tesseract may take before labels are drawn without its words: labels are due within 1 s of the
# command (issue 12); the edge boxes take ~30 ms on a 1280x800 screen, a window's OCR 0.3-1.1 s.
OCR_BUDGET = 0.5


def _boxes(gray: Any) -> list[Rect]:
    import numpy as np
    from scipy import ndimage

    g = gray.astype(np.int16)
    edges = np.zeros(g.shape, dtype=bool)
    edges[:, 1:] |= np.abs(np.diff(g, axis=1)) > EDGE
    edges[1:, :] |= np.abs(np.diff(g, axis=0)) > EDGE
    # Join letters into words and an icon's strokes into one shape (wider than tall: text runs sideways).
    joined = ndimage.binary_dilation(edges, structure=np.ones((3, 5), dtype=bool))
    regions, _ = ndimage.label(joined)
    h, w = g.shape
    out = []
    for sl in ndimage.find_objects(regions):
        if sl is None:
            continue
        y0, y1, x0, x1 = sl[0].start, sl[0].stop, sl[1].start, sl[1].stop
        bw, bh = x1 - x0, y1 - y0
        if bw < MIN_SIDE or bh < MIN_SIDE or bw * bh > MAX_SHARE * w * h:
            continue
        out.append(Rect(int(x0), int(y0), int(bw), int(bh)))
    return out


def _inside(a: Rect, b: Rect) -> bool:
    """Whether `a` lies within `b` (two pixels of slack)."""
    return a.x >= b.x - 2 and a.y >= b.y - 2 and a.x + a.w <= b.x + b.w + 2 and a.y + a.h <= b.y + b.h + 2


def targets(boxes: list[Rect]) -> list[Rect]:
    """Boxes that are targets: not containers of three or more, not parts of another target."""
    singles = [b for b in boxes if sum(1 for o in boxes if o is not b and _inside(o, b)) < 3]
    return [b for b in singles if not any(o is not b and _inside(b, o) and o != b for o in singles)]


def _words(image: Any, lang: str, budget: float) -> list[tuple[Rect, str]]:
    from voxctl.tools.ocr import read_lines

    lines = read_lines(image, lang, timeout=budget) if budget > 0 else None
    return [(Rect(w["left"], w["top"], w["width"], w["height"]), w["text"]) for line in lines or [] for w in line]


def detect(image: Any, where: Rect, lang: str = "eng", ocr_budget: float = OCR_BUDGET) -> list[Element]:
    """The elements inside `where` (screen pixels) of a screenshot `image`, in reading order. OCR gets
    `ocr_budget` seconds (0: none); past it the boxes alone are labelled (they hold the text runs too)."""
    import numpy as np

    crop = image.crop((where.x, where.y, where.x + where.w, where.y + where.h))
    boxes = targets(_boxes(np.asarray(crop.convert("L"))))
    named: dict[Rect, list[str]] = {b: [] for b in boxes}
    loose: list[tuple[Rect, str]] = []
    for rect, text in _words(crop, lang, ocr_budget):
        cx, cy = rect.center
        home = next((b for b in boxes if b.contains(cx, cy)), None)
        if home is not None:
            named[home].append(text)
        else:
            loose.append((rect, text))
    found = [Element(b, "box", " ".join(named[b])) for b in boxes] + [Element(r, "text", t) for r, t in loose]
    found.sort(key=lambda e: (e.rect.y + e.rect.h // 2) // 12 * 100000 + e.rect.x)
    return [Element(Rect(e.rect.x + where.x, e.rect.y + where.y, e.rect.w, e.rect.h), e.kind, e.text)
            for e in found[:MAX_ELEMENTS]]
