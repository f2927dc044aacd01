"""Sentences made for the understanding model's training data (data.py): paraphrase templates filled with
slot values (numbers, keys, text) and the plan each means, random expansions of the grammar's patterns
labelled by its own parse, and sentences as a recogniser might write them (`noisy`).
"""

from __future__ import annotations

import random
import re
from typing import Any

from voxctl.agent.interpret.patterns import Alt, Lit, Opt, Slot
from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.agent.interpret.understand.data_records import Example
from voxctl.agent.interpret.understand.intents import Intent, intent_of
from voxctl.agent.listen.spoken_set import number_words
from voxctl.tools.registry import validate_action

GRAMMAR_SAMPLES_PER_PATTERN = 6
_SLOT = re.compile(r"\{([a-z]+)\}")


def _number(rng: random.Random, lo: int, hi: int) -> tuple[str, int]:
    n = rng.randint(lo, hi)
    if n >= 100 and rng.random() < 0.5:
        n = n // 10 * 10
    return (number_words(n) if n < 1000 and rng.random() < 0.6 else str(n)), n


def _key_speech(spec: GrammarSpec) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for words, key in spec.keys.items():
        if all(w.isalpha() or w.isdigit() for w in words):
            out.setdefault(key, []).append(" ".join(words))
    return out


_CHORD_KEYS = ["c", "v", "x", "z", "s", "t", "w", "a", "f", "n", "p", "tab", "enter", "left", "right", "home", "end",
               "delete", "escape", "f4", "f5", "k", "l", "r", "1", "2"]
_SINGLE_KEYS = ["enter", "tab", "escape", "backspace", "delete", "space", "up", "down", "left", "right", "pageup",
                "pagedown", "home", "end", "f1", "f2", "f5", "f11", "insert", "win"]


def _keys(rng: random.Random, spoken: dict[str, list[str]]) -> tuple[str, list[str]]:
    if rng.random() < 0.45:
        keys = [rng.choice(_SINGLE_KEYS)]
    else:
        mods = rng.sample(["ctrl", "alt", "shift", "win"], rng.choice([1, 1, 1, 2]))
        mods.sort(key=["ctrl", "alt", "shift", "win"].index)
        keys = [*mods, rng.choice(_CHORD_KEYS)]
    sep = rng.choice([" ", " ", " and ", " plus "])
    return sep.join(rng.choice(spoken.get(k, [k])) for k in keys), keys


def fill_template(template: str, intent: Intent, rng: random.Random, fill: dict[str, list[str]],
                  spoken_keys: dict[str, list[str]]) -> tuple[str, list[dict[str, Any]] | None]:
    """One sentence from `template` and the plan it means (None where a filled plan is not valid)."""
    values: dict[str, Any] = {}

    def sub(m: re.Match[str]) -> str:
        slot = m.group(1)
        if slot in ("text", "name", "macro"):
            values[slot] = rng.choice(fill[slot])
            return values[slot]
        if slot == "keys":
            said, values["keys"] = _keys(rng, spoken_keys)
            return said
        if slot == "repeat":
            n = rng.randint(2, 6)
            values["repeat"] = n
            return {2: rng.choice(["twice", "two times", "2 times"]), 3: rng.choice(["three times", "3 times"])}.get(
                n, f"{number_words(n) if rng.random() < 0.6 else n} times")
        if slot in ("x", "y"):
            said, values[slot] = _number(rng, 0, 1900)
            return said
        if slot == "n":
            said, values["n"] = _number(rng, 1, 10) if intent.name.startswith("scroll") else _number(rng, 5, 200)
            return said
        if slot == "seconds":
            said, values["seconds"] = _number(rng, 1, 10)
            return said
        return m.group(0)

    text = _SLOT.sub(sub, template)
    return text, plan_of(intent, values)


def plan_of(intent: Intent, values: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The intent's template with `values` in its slots; an unfilled optional slot takes the default."""
    out = []
    for act in intent.do:
        args: dict[str, Any] = {}
        for k, v in act["args"].items():
            if isinstance(v, str) and v.startswith("$"):
                name = {"name": "name"}.get(v[1:], v[1:])
                got = values.get(name)
                if got is None:
                    if name in ("repeat", "n") or (name == "seconds" and intent.name == "wait"):
                        if name == "seconds":
                            args[k] = 1
                        continue
                    return None
                args[k] = got
            else:
                args[k] = v
        call, problems = validate_action({"tool": act["tool"], "args": args})
        if call is None:
            return None
        out.append(call.model_dump(mode="json"))
    return out


def _expand(seq: Any, rng: random.Random, slot_value: Any) -> list[str]:
    out: list[str] = []
    for el in seq:
        if isinstance(el, Lit):
            out.append(el.word)
        elif isinstance(el, Slot):
            out.append(slot_value(el.name))
        elif isinstance(el, Opt):
            if rng.random() < 0.5:
                out += _expand(rng.choice(el.seq) if el.seq and isinstance(el.seq[0], tuple) else el.seq, rng,
                               slot_value)
        elif isinstance(el, Alt):
            out += _expand(rng.choice(el.options), rng, slot_value)
    return [w for w in out if w]


def grammar_examples(spec: GrammarSpec, grammar: Any, intents: dict[str, Intent], rng: random.Random,
                     fill: dict[str, list[str]], spoken_keys: dict[str, list[str]]) -> list[Example]:
    """Random expansions of the grammar's patterns, labelled by the grammar's own parse."""

    def slot_value(name: str) -> str:
        s = spec.slots.get(name)
        kind = s.kind if s else "text"
        if kind == "number":
            return _number(rng, 1, 900)[0]
        if kind in ("keys", "chord"):
            return _keys(rng, spoken_keys)[0]
        if kind == "choice" and s is not None and s.choices:
            return " ".join(rng.choice(list(s.choices)))
        if kind == "macro":
            return rng.choice(fill["macro"])
        if kind == "label":
            return rng.choice(fill["name"])
        return rng.choice(fill["text"])

    out = []
    seen: set[str] = set()
    for rule in spec.rules:
        if rule.error is not None:
            continue
        for pattern in rule.patterns:
            for _ in range(GRAMMAR_SAMPLES_PER_PATTERN):
                text = " ".join(_expand(pattern, rng, slot_value))
                if not text or text in seen:
                    continue
                seen.add(text)
                plan = grammar.parse(text)
                if not plan.actions:
                    continue
                label = intent_of(plan.actions, intents)
                if label is None or label == "macro":
                    continue
                out.append(Example(text, label, [a.model_dump(mode="json") for a in plan.actions], source="grammar"))
    return out


_HESITATIONS = ["um", "uh", "okay", "so", "please", "can you", "now", "could you", "i want to", "let's", "just"]
_AFTER = ["please", "for me", "now", "thanks"]


def noisy(text: str, spec: GrammarSpec, rng: random.Random) -> str:
    """`text` as a recogniser might write it: a misspelt command word, a hesitation, capitals, a period."""
    words = text.split()
    misspell = {v[0]: k for k, v in spec.misheard.items() if len(v) == 1 and len(k) == 1}
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = " ".join(misspell.get(words[i], (words[i],)))
    if rng.random() < 0.3:
        words.insert(0, rng.choice(_HESITATIONS))
    out = " ".join(words)
    if rng.random() < 0.5:
        out = out[:1].upper() + out[1:] + rng.choice([".", "", "!"])
    return out
