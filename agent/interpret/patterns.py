"""Spoken-form patterns, as written in grammar.yaml: compile "[{button}] click at {x} {y}" and match it.

Syntax: `word`, `[optional part]`, `(one | or other)`, `{slot}`. Matching walks the tokens of one
command with backtracking and yields every way the pattern can cover them, with the slot values and
how many words matched only approximately. What a slot accepts is up to the caller (`Env.slot`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from voxctl.agent.interpret.normalize import Token, tokenize

# Words a pattern says that a person may leave out, a near miss like a word misheard: people new to English drop
# the article ("go to second tab", "switch to other window", "show numbers on all screen": blind probe set 12).
LEFT_OUT = frozenset({"the"})


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class Lit:
    word: str


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Opt:
    seq: tuple[Any, ...]


@dataclass(frozen=True)
class Alt:
    options: tuple[tuple[Any, ...], ...]


Seq = tuple[Any, ...]
_LEX = re.compile(r"\[|\]|\(|\)|\||\{[a-z_][a-z0-9_]*\}|[^\s\[\]()|{}]+")


def _as_heard(word: str) -> str:
    """A pattern's word as the tokenizer writes it when heard: "one" -> "1" (else "one more time" never matched)."""
    toks = tokenize(word)
    return toks[0].word if len(toks) == 1 else word


def compile_pattern(text: str) -> Seq:
    """The element sequence of one pattern; PatternError says what is wrong with it."""
    if re.search(r"\{(?![a-z_][a-z0-9_]*\})", text):
        raise PatternError(f"bad slot in {text!r}: write slots as {{name}}")
    parts = _LEX.findall(text)
    pos = 0

    def seq(closers: str) -> Seq:
        nonlocal pos
        out: list[Any] = []
        while pos < len(parts) and parts[pos] not in closers:
            p = parts[pos]
            pos += 1
            if p == "[":
                inner = alternatives("]")
                out.append(Opt(inner[0]) if len(inner) == 1 else Opt((Alt(inner),)))
            elif p == "(":
                out.append(Alt(alternatives(")")))
            elif p in ")]|":
                raise PatternError(f"unbalanced {p!r} in {text!r}")
            elif p.startswith("{"):
                out.append(Slot(p[1:-1]))
            else:
                out.append(Lit(_as_heard(p.lower())))
        return tuple(out)

    def alternatives(closer: str) -> tuple[Seq, ...]:
        nonlocal pos
        opts = [seq("|" + closer)]
        while pos < len(parts) and parts[pos] == "|":
            pos += 1
            opts.append(seq("|" + closer))
        if pos >= len(parts) or parts[pos] != closer:
            raise PatternError(f"missing {closer!r} in {text!r}")
        pos += 1
        if any(not o for o in opts):
            raise PatternError(f"empty alternative in {text!r}")
        return tuple(opts)

    out = seq("")
    if pos != len(parts):
        raise PatternError(f"unbalanced {parts[pos]!r} in {text!r}")
    if not out:
        raise PatternError("empty pattern")
    return out


def spellings(text: str) -> list[str]:
    """Every phrase a pattern without slots says, in order: "save (my|the) (essay|report)" -> "save my essay", "save
    my report", "save the essay", "save the report" (grammar.yaml `actions`, whose spoken forms are phrases)."""
    seq = compile_pattern(text)
    if slots_of(seq):
        raise PatternError(f"a slot in {text!r}: these spoken forms are whole phrases")

    def said(seq: Seq) -> list[list[str]]:
        out: list[list[str]] = [[]]
        for el in seq:
            ways = [[el.word]] if isinstance(el, Lit) else [[], *said(el.seq)] if isinstance(el, Opt) else [
                w for option in el.options for w in said(option)]
            out = [head + way for head in out for way in ways]
        return out

    return [" ".join(words) for words in said(seq)]


def slots_of(seq: Seq) -> set[str]:
    names: set[str] = set()
    for el in seq:
        if isinstance(el, Slot):
            names.add(el.name)
        elif isinstance(el, Opt):
            names |= slots_of(el.seq)
        elif isinstance(el, Alt):
            for o in el.options:
                names |= slots_of(o)
    return names


def words_of(seq: Seq) -> set[str]:
    """Every literal word in the pattern (for the command vocabulary)."""
    words: set[str] = set()
    for el in seq:
        if isinstance(el, Lit):
            words.add(el.word)
        elif isinstance(el, Opt):
            words |= words_of(el.seq)
        elif isinstance(el, Alt):
            for o in el.options:
                words |= words_of(o)
    return words


def first_words(seq: Seq, slot_first: Callable[[str], set[str] | None] = lambda name: None) -> set[str] | None:
    """Words a match can begin with; None when that cannot be known (try the pattern always).

    `slot_first(name)` gives the words a slot can begin with (a choice slot knows), or None.
    """
    out: set[str] = set()
    for el in seq:
        if isinstance(el, Lit):
            out.add(el.word)
            return out
        if isinstance(el, Slot):
            words = slot_first(el.name)
            if words is None:
                return None
            return out | words
        if isinstance(el, Opt):
            inner = first_words(el.seq, slot_first)
            if inner is None:
                return None
            out |= inner
            continue  # optional: what follows may start the match too
        if isinstance(el, Alt):
            for o in el.options:
                inner = first_words(o, slot_first)
                if inner is None:
                    return None
                out |= inner
            return out
    return None  # everything optional: an empty prefix, so anything may follow


class Env(Protocol):
    def word(self, word: str, token: Token) -> int | None:
        """0 for an exact match of a literal, 1 for a near-miss, None for no match."""

    def slot(self, name: str, tokens: list[Token], i: int) -> Iterator[tuple[int, Any, int]]:
        """Every (end, value, fuzzy) for slot `name` starting at tokens[i], preferred first."""


Found = tuple[int, dict[str, Any], int]


def match(seq: Seq, tokens: list[Token], env: Env) -> Iterator[tuple[dict[str, Any], int]]:
    """Every way `seq` covers all of `tokens`: (slot values, near-miss count), preferred first."""
    for end, values, fuzzy in _seq(seq, 0, tokens, 0, {}, 0, env):
        if end == len(tokens):
            yield values, fuzzy


def _seq(seq: Seq, k: int, tokens: list[Token], i: int, vals: dict[str, Any], fz: int,
         env: Env) -> Iterator[Found]:
    if k == len(seq):
        yield i, vals, fz
        return
    el = seq[k]
    if isinstance(el, Lit):
        if i < len(tokens):
            f = env.word(el.word, tokens[i])
            if f is not None:
                yield from _seq(seq, k + 1, tokens, i + 1, vals, fz + f, env)
        if el.word in LEFT_OUT and getattr(env, "threshold", 1.0) < 1.0:  # a near miss: "go to second tab"
            yield from _seq(seq, k + 1, tokens, i, vals, fz + 1, env)
    elif isinstance(el, Slot):
        for j, value, f in env.slot(el.name, tokens, i):
            yield from _seq(seq, k + 1, tokens, j, {**vals, el.name: value}, fz + f, env)
    elif isinstance(el, Opt):
        for j, v2, f2 in _seq(el.seq, 0, tokens, i, vals, fz, env):
            if j > i:  # taking the optional part (greedy) first
                yield from _seq(seq, k + 1, tokens, j, v2, f2, env)
        yield from _seq(seq, k + 1, tokens, i, vals, fz, env)
    elif isinstance(el, Alt):
        for opt in el.options:
            for j, v2, f2 in _seq(opt, 0, tokens, i, vals, fz, env):
                yield from _seq(seq, k + 1, tokens, j, v2, f2, env)
