"""What each kind of slot accepts: numbers, key chords, choices, free text, labels, macro names, web addresses.

`SlotMatcher` is the `patterns.Env` of one transcript: it knows the grammar, the user's macros and the
fuzzy threshold, and yields every way a slot can start at a token, preferred first (longest, exact).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from voxctl.agent.interpret.fuzzy import best_match, is_near, similarity
from voxctl.agent.interpret.normalize import Token
from voxctl.agent.interpret.patterns import LEFT_OUT
from voxctl.agent.interpret.rules import GrammarSpec, SlotSpec
from voxctl.tools.keys import MODIFIERS

MAX_CHORD = 4
MAX_URL_WORDS = 12  # "docs dot python dot org slash three slash library"
SPACED_WORDS = 3  # words said apart in one label of an address ("bbc good food dot com")
_TALK_WORDS = frozenset("and then the a an to of it is in on at for my your our please this that".split())
SITE_WORDS = ("website", "site", "page", "homepage", "webpage")  # said after an address, not part of it
_EDGE_PUNCT = " \t,.;:!?\"'()[]{}“”‘’…-–—"

POINTING_WORDS = frozenset("this that it these those here there".split())  # where the pointer is, no name


def clean_words(text: str) -> list[str]:
    """Lowercase words of a spoken label, punctuation dropped ("Fire, Fox." -> ["fire", "fox"],
    "stand-up" -> ["stand", "up"])."""
    return [w.strip(_EDGE_PUNCT) for w in re.split(r"[\s,;:!?/]+|(?<=\w)-(?=\w)", text.lower())
            if w.strip(_EDGE_PUNCT)]


def is_chord(keys: list[str]) -> bool:
    """Keys a person presses as one chord: one key, or modifiers and then keys. Never modifiers alone
    ("press shift." is "press shift tab" cut short, or a word misheard: the explicit form is "press the
    shift key", the `modifier` slot), never plain keys together without one ("press f i" is "press f
    five" misheard; "tab enter" is two presses)."""
    mods = sum(k in MODIFIERS for k in keys)
    return 0 < mods < len(keys) or (len(keys) == 1 and not mods)


SENTENCE_ENDS = frozenset(".?!")  # punctuation that ends a sentence in a reading
# ... except after an abbreviation, inside a name: "open vs. code." (Whisper's "vs code"), "st. louis"
ABBREVIATIONS = frozenset("vs st dr mr mrs ms jr sr mt ft no etc inc ltd".split())

class Vocabulary:
    """Per-interpreter lookups that do not depend on the transcript (cached near-miss searches)."""

    def __init__(self, spec: GrammarSpec, threshold: float, macros: dict[str, Any], apps: list[str]):
        self.spec = spec
        self.threshold = threshold
        self.apps = tuple(dict.fromkeys([*spec.apps, *(a.lower() for a in apps)]))
        # Spoken forms of each macro: its name (with _ and - as spaces) and its `say` phrases.
        self.macro_phrases: dict[str, str] = {}
        for name, m in macros.items():
            for phrase in (name, name.replace("_", " ").replace("-", " "), *getattr(m, "phrases", ())):
                self.macro_phrases.setdefault(" ".join(clean_words(phrase)), name)
        self.single_keys = {w[0]: k for w, k in spec.keys.items() if len(w) == 1 and len(w[0]) >= 5}

    @lru_cache(maxsize=4096)  # noqa: B019 - one Vocabulary per interpreter, few distinct words
    def near_key(self, word: str) -> str | None:
        """The key whose one-word name `word` is a near-miss of ("escaped" -> escape), if any."""
        best: tuple[float, str] | None = None
        for name, key in self.single_keys.items():
            if is_near(name, word, self.threshold):
                score = similarity(name, word)
                if best is None or score > best[0]:
                    best = (score, key)
        return best[1] if best else None


# Said after a web address, where it opens: a browser opens an address it is given in a new tab
_URL_AFTER = (("in", "a", "new", "tab"), ("in", "new", "tab"), ("in", "another", "tab"))


class SlotMatcher:
    """The patterns.Env for one transcript."""

    def __init__(self, vocab: Vocabulary, text: str):
        self.vocab = vocab
        self.spec = vocab.spec
        self.threshold = vocab.threshold
        self.text = text

    def word(self, word: str, token: Token) -> int | None:
        if token.word == word:
            return int(token.fuzzy)
        return 1 if is_near(word, token.word, self.threshold) else None

    def slot(self, name: str, tokens: list[Token], i: int) -> Iterator[tuple[int, Any, int]]:
        if i >= len(tokens):
            return iter(())
        spec = self.spec.slots[name]
        kind = spec.kind
        if kind == "number":
            t = tokens[i]
            return iter([(i + 1, t.num, int(t.fuzzy))] if t.num is not None else [])
        if kind in ("keys", "chord"):
            return iter(self._keys(tokens, i, kind == "chord"))
        if kind == "modifier":
            return iter(self._modifier(tokens, i))
        if kind == "choice":
            return iter(self._choice(spec, tokens, i))
        if kind == "text":
            return ((j, self._raw(tokens, i, j).strip(_EDGE_PUNCT), 0) for j in range(len(tokens), i, -1))
        if kind == "label":
            return self._label(spec, tokens, i)
        if kind == "macro":
            return self._macro(tokens, i)
        if kind == "url":
            return self._url(tokens, i)
        raise ValueError(f"unknown slot kind {kind!r}")

    def _raw(self, tokens: list[Token], i: int, j: int) -> str:
        return self.text[tokens[i].start:tokens[j - 1].end]

    # --- keys ---------------------------------------------------------------------------------
    def _key_at(self, tokens: list[Token], i: int) -> list[tuple[int, str, int]]:
        """Key names starting at tokens[i]: (end, key, fuzzy), longest phrase first."""
        out = []
        for n in (3, 2, 1):
            if i + n <= len(tokens):
                words = tuple(t.word for t in tokens[i:i + n])
                if words in self.spec.keys:
                    out.append((i + n, self.spec.keys[words], sum(t.fuzzy for t in tokens[i:i + n])))
        if not out and (key := self.vocab.near_key(tokens[i].word)) is not None:
            out.append((i + 1, key, 1))
        return out

    def _keys(self, tokens: list[Token], i: int, chord: bool) -> list[tuple[int, list[str], int]]:
        found: list[tuple[int, list[str], int, int]] = []  # end, keys, fuzzy, words spoken

        def walk(j: int, keys: list[str], fz: int) -> None:
            if keys:
                found.append((j, keys, fz, j - i))
            if len(keys) == MAX_CHORD or j >= len(tokens):
                return
            starts = [j]
            # "control plus s": "plus" joins two keys; "control plus" alone is ctrl and the + key.
            if keys and tokens[j].word == "plus" and j + 1 < len(tokens):
                starts.append(j + 1)
            for s in starts:
                for end, key, f in self._key_at(tokens, s):
                    # Modifiers come first ("control shift t"): none after a plain key ("a win" is a word).
                    if key not in keys and not (key in MODIFIERS and keys and keys[-1] not in MODIFIERS):
                        walk(end, [*keys, key], fz + f)

        walk(i, [], 0)
        found.sort(key=lambda r: (-r[0], len(r[1]), r[2]))
        out, seen = [], set()
        for end, keys, fz, spoken in found:
            if (end, tuple(keys)) in seen or not is_chord(keys) or (chord and not self._sayable_alone(keys, spoken)):
                continue
            seen.add((end, tuple(keys)))
            out.append((end, keys, fz))
        return out

    def _modifier(self, tokens: list[Token], i: int) -> list[tuple[int, list[str], int]]:
        """One modifier alone, as the explicit "press the shift key" says it (grammar.yaml)."""
        return [(end, [key], fz) for end, key, fz in self._key_at(tokens, i) if key in MODIFIERS]

    def _sayable_alone(self, keys: list[str], spoken: int) -> bool:
        """Keys said without "press": a chord with a modifier, or keys it is safe to name alone."""
        if any(k in MODIFIERS for k in keys):
            return len(keys) > 1
        if all(k in self.spec.bare_keys for k in keys):
            return True
        return len(keys) == 1 and spoken >= 2  # "up arrow", "left bracket": said on purpose

    # --- choices, labels, macros --------------------------------------------------------------
    def _choice(self, spec: SlotSpec, tokens: list[Token], i: int) -> list[tuple[int, Any, int]]:
        exact, near = [], []
        for phrase, value in spec.choices.items():
            fit = self._fit(phrase, tokens, i)
            if fit is not None:
                (near if fit[1] else exact).append((fit[0], value, fit[1]))
        return sorted(exact, key=lambda r: -r[0]) + sorted(near, key=lambda r: (r[2], -r[0]))

    def _fit(self, phrase: tuple[str, ...], tokens: list[Token], i: int) -> tuple[int, int] | None:
        """(end, near misses) of `phrase` said from tokens[i], or None. A word of patterns.LEFT_OUT may be left out,
        a near miss, where near misses count ("go to second tab")."""
        j, fz = i, 0
        for want in phrase:
            t = tokens[j] if j < len(tokens) else None
            if t is not None and t.word == want:
                fz, j = fz + int(t.fuzzy), j + 1
            elif t is not None and is_near(want, t.word, self.threshold):
                fz, j = fz + 1, j + 1
            elif want in LEFT_OUT and self.threshold < 1.0:
                fz += 1
            else:
                return None
        return (j, fz) if j > i else None

    def _label(self, spec: SlotSpec, tokens: list[Token], i: int) -> Iterator[tuple[int, Any, int]]:
        # A name ends where a sentence does: "the kid is locked up. click there. pens in class." (en-us+m5, talk) was
        # a click on the text "there pens in class"
        end = next((k + 1 for k in range(i, len(tokens) - 1) if tokens[k].pause and tokens[k].word not in ABBREVIATIONS
                    and self.text[tokens[k].end:tokens[k].end + 1] in SENTENCE_ENDS), len(tokens))
        for j in range(end, i, -1):
            words = clean_words(self._raw(tokens, i, j))
            while words and words[0] in spec.drop_front:
                words.pop(0)
            while words and words[-1] in spec.drop_back:
                words.pop()
            if not words or len(words) == 1 and words[0] in POINTING_WORDS:
                continue  # "double click on this icon" was a click on the text "this": the pointer's place names no text
            value = " ".join(self._file_names(words))
            if spec.known:
                hit = best_match(value, self.vocab.apps, self.threshold)
                if hit is not None:
                    yield j, hit[0], int(hit[1])
                    continue
                if spec.only_known:
                    continue
            yield j, value, 0

    def _file_names(self, words: list[str]) -> list[str]:
        """A name's words with a file's extension joined on ("notes dot txt" -> "notes.txt")."""
        out: list[str] = []
        for w in words:
            if len(out) >= 2 and out[-1] == "dot" and w in self.spec.file_extensions:
                out[-2:] = [f"{out[-2]}.{w}"]
            else:
                out.append(w)
        return out

    def _macro(self, tokens: list[Token], i: int) -> Iterator[tuple[int, Any, int]]:
        if not self.vocab.macro_phrases:
            return
        for j in range(len(tokens), i, -1):
            spoken = " ".join(clean_words(self._raw(tokens, i, j)))
            hit = best_match(spoken, self.vocab.macro_phrases, self.threshold)
            if hit is not None:
                yield j, self.vocab.macro_phrases[hit[0]], int(hit[1])

    def _spaced_name(self, words: list[str], marks: list[bool]) -> bool:
        """Whether words said apart are one name of an address that ends "dot <top-level domain>": "hdfc bank dot
        com", "bbc good food dot com", "intranet dot acme corp dot com" (blind probe sets 19 and 20), each run of
        words at most SPACED_WORDS and none of them a word that joins talk ("amazon dot com and order it" ends on no
        domain)."""
        if len(words) < 3 or words[-2] != "dot" or words[-1] not in self.spec.url_tlds:
            return False
        run = 0
        for k, (w, mark) in enumerate(zip(words, marks, strict=True)):
            run = 0 if mark else run + 1
            if run > SPACED_WORDS or (not mark and w in _TALK_WORDS):
                return False
            if not mark and k >= 2 and words[k - 2] == "dot" and words[k - 1] in self.spec.url_tlds:
                return False  # a word after a whole address: another one ("youtube dot com no facebook dot com")
        return True

    def _url(self, tokens: list[Token], i: int) -> Iterator[tuple[int, Any, int]]:
        """A web address to the end of the reading, as written ("wikipedia.org") or said ("wikipedia dot org",
        the grammar's `url_words`): words joined without spaces; only what tools/web.py would open."""
        from voxctl.tools.web import web_address

        for after in _URL_AFTER:  # "open reddit dot com in a new tab": the address, then where it opens
            if len(tokens) - i > len(after) and tuple(t.word for t in tokens[-len(after):]) == after:
                yield from self._url(tokens[:-len(after)], i)
        said, pos = [], tokens[i].start
        for t in tokens[i:]:  # numbers said as words are digits: "localhost colon eight thousand"
            raw = self.text[t.start:t.end]
            said += [self.text[pos:t.start], str(t.num) if t.num is not None and re.search("[a-z]", raw, re.I) else raw]
            pos = t.end
        # The recogniser writes "github dot com" as "github. com": a full stop inside is a dot.
        # Then the address must end on a known top-level domain ("open vs. code." is the app "code").
        stops = [(w[:-1], "dot") if len(w) > 1 and w.endswith(".") else (w,)
                 for w in "".join(said).strip(_EDGE_PUNCT).lower().split()]
        words = [p for w in stops for p in w]
        while len(words) > 1 and words[-1] in SITE_WORDS and words[-2] not in self.spec.url_words:
            words.pop()  # "open the bbc dot co dot uk website"; not the path of "example dot com slash page"
        host = words[:next((k for k, w in enumerate(words) if self.spec.url_words.get(w, ".") != "."), len(words))]
        if any(len(w) == 2 for w in stops) and (not host or re.split("[/:]", host[-1])[0] not in self.spec.url_tlds):
            return
        marks = [w in self.spec.url_words for w in words]
        if len(words) > MAX_URL_WORDS or (any(not a and not b for a, b in zip(marks, marks[1:], strict=False))
                                          and not self._spaced_name(words, marks)):
            return  # two words with no "dot" or "slash" between: talk ("amazon dot com and order it")
        address = web_address("".join(self.spec.url_words.get(w, w) for w in words))
        if address is not None:
            yield len(tokens), address, 0

