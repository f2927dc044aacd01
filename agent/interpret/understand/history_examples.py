"""Learning from history: a command that failed and was then said another way becomes an example.

Read from the audit log (agent/audit.py, the history file), oldest first. A run *failed* when nothing was
understood (no plan: `nothing`, `invalid`, `error`), when the person answered no at the confirmation, or
when the next thing they said was an undo ("undo", "scratch that") of what it did. A failure *is rephrased*
by the next run that ran to the end (`done`, every action ok) within `WINDOW_S` seconds of it, with other
words, and that was not undone in its turn: the failed words -> that plan is a `Pair`. Several failures in
a row before one success all pair with it; anything else in between (a denied plan, a failed action, a
command that worked) ends the chain, so a later command is never taken for the rephrasing of an older one.

What is never learned (still listed by `voxctl train --from-history --dry-run`, with the reason):
- a plan of high risk (policy tier, agent/policy.py: alt+f4, close_window, a macro with such a step): a
  destructive plan is taught by writing it in your examples file, never picked up from history;
- a rephrasing that said "again"/"repeat", or whose steps came from a macro (the log keeps the expanded
  steps, not the words' own plan), and a failed phrasing of more than MAX_WORDS words (likelier speech
  overheard than a command).
The newest pair wins when the same words were rephrased twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from voxctl.tools.base import Risk
from voxctl.tools.bindings import PLATFORMS, chord
from voxctl.tools.registry import risk_of, validate_action
from voxctl.tools.words import words_in

WINDOW_S = 30.0  # a rephrasing comes within this many seconds of the failure
MAX_WORDS = 12
NOT_UNDERSTOOD = ("nothing", "invalid", "error")
_REPEAT = re.compile(r"\b(again|repeat)\b")


@dataclass(frozen=True)
class Pair:
    """The words that failed, the plan of the words that then worked, and whether it is learned."""

    said: str
    actions: list[dict[str, Any]]
    rephrased: str
    why: str  # how the first failed: "not understood", "answered no", "undone"
    at: float  # when the rephrasing was said (seconds since the epoch)
    skipped: str = ""  # why it is not learned ("" = learned)

    @property
    def learned(self) -> bool:
        return not self.skipped


def _words(text: str) -> str:
    """The words said, as a key: two phrasings are the same when these are (any letter, as typed)."""
    return " ".join(words_in(text, unicode=True))


def _actions(entry: Any) -> list[dict[str, Any]]:
    return list((entry.plan or {}).get("actions") or [])


def is_undo(entry: Any) -> bool:
    """Whether the run took back the one before: "scratch that" (erase_typed) or the platform's undo chord."""
    acts = _actions(entry)
    if len(acts) != 1 or entry.status != "done":
        return False
    a = acts[0]
    if a.get("tool") == "erase_typed":
        return True
    keys = (a.get("args") or {}).get("keys")
    return a.get("tool") == "press_keys" and any(keys == chord("undo", p) for p in PLATFORMS)


def failure(entry: Any) -> str:
    """How a run said by the person failed ("" when it did not, or not in a way that teaches anything)."""
    if entry.input not in ("voice", "text") or not entry.transcript.strip():
        return ""
    if entry.status in NOT_UNDERSTOOD:
        return "not understood"
    answer = entry.answer or {}
    if entry.status == "cancelled" and answer.get("approved") is False and answer.get("via") not in (
            "timeout", "none", "stop"):
        return "answered no"
    return ""


def succeeded(entry: Any) -> bool:
    """Said by the person, planned, and every action of the plan ran to the end."""
    acts = _actions(entry)
    return (entry.input in ("voice", "text") and entry.status == "done" and bool(acts)
            and len(entry.actions) == len(acts) and all(a.state == "ok" for a in entry.actions))


def _why_not(said: str, entry: Any, macros: Mapping[str, Any] | None) -> str:
    if len(said.split()) > MAX_WORDS:
        return f"the failed words are longer than {MAX_WORDS} words (overheard speech?)"
    if _REPEAT.search(_words(entry.transcript)):
        return "the rephrasing repeated an earlier plan"
    if any((entry.plan or {}).get("origins") or []):
        return "the rephrasing ran a macro (macros are learned from the macros file)"
    risk = Risk.LOW
    for raw in _actions(entry):
        call, problems = validate_action(raw)
        if call is None:
            return "the plan no longer validates: " + "; ".join(problems[:1])
        risk = max(risk, risk_of(call, macros))
    if risk >= Risk.HIGH or (entry.decision or {}).get("risk") == str(Risk.HIGH):
        return "a high-risk plan: teach it in your examples file, not from history"
    return ""


def rephrasings(entries: Sequence[Any], window_s: float = WINDOW_S,
                macros: Mapping[str, Any] | None = None) -> list[Pair]:
    """The pairs in `entries` (audit log entries, any order), oldest first, one per failed phrasing."""
    runs = sorted(entries, key=lambda e: e.started)
    pending: list[tuple[Any, str]] = []  # failures waiting for their rephrasing
    consumed: list[tuple[Any, str]] = []  # the failures the last success answered
    found: list[tuple[Any, Any, str]] = []  # (failed, rephrased, why)
    for i, e in enumerate(runs):
        prev = runs[i - 1] if i else None
        if is_undo(e):
            if prev is not None and e.started - prev.started <= window_s and succeeded(prev) \
                    and prev.transcript.strip():
                # What was just done was wrong: it is a failure, and no rephrasing of the ones before it.
                found = [f for f in found if f[1] is not prev]
                pending = [*consumed, (prev, "undone")]
            else:
                pending = []
            consumed = []
            continue
        if why := failure(e):
            pending.append((e, why))
            consumed = []
            continue
        consumed = []
        if succeeded(e):
            consumed = pending
            for p, why in pending:
                if e.started - p.started <= window_s and _words(p.transcript) != _words(e.transcript):
                    found.append((p, e, why))
        pending = []
    newest: dict[str, Pair] = {}
    for p, e, why in found:
        said = " ".join(p.transcript.split())
        newest[_words(said)] = Pair(said, _actions(e), " ".join(e.transcript.split()), why, e.started,
                                    _why_not(said, e, macros))
    return sorted(newest.values(), key=lambda x: x.at)


def as_examples(pairs: Sequence[Pair]) -> list[dict[str, Any]]:
    """The learned pairs as items of an examples file ({say, plan})."""
    return [{"say": p.said, "plan": p.actions} for p in pairs if p.learned]


def describe(pairs: Sequence[Pair]) -> str:
    """The pairs for the person to review: a YAML examples list (paste what you want to keep into your
    examples file); a pair that is not learned is a comment that says why."""
    lines = [f"# {len(pairs)} rephrasing(s) found in the history, {sum(p.learned for p in pairs)} learned"]
    for p in pairs:
        item = yaml.safe_dump([{"say": p.said, "plan": p.actions}], sort_keys=False, default_flow_style=None,
                              allow_unicode=True, width=1000).rstrip()
        lines.append(f"# {p.why}, then said as {p.rephrased!r}" + (f"; NOT learned: {p.skipped}" if p.skipped else ""))
        lines += [("# " if p.skipped else "") + line for line in item.splitlines()]
    return "\n".join(lines)
