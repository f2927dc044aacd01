"""The understanding model's training data, built reproducibly (seeded) by `voxctl train`.

Sources, each labelled with an intent (agent/interpret/understand/intents.py):
- paraphrase templates written for voxctl (data/templates.yaml), filled with slot values; a seeded share
  of the phrasings is held out (never trained on) and reported apart;
- the grammar's own expansions: its patterns (agent/interpret/grammar.yaml) expanded at random and
  labelled by what the grammar itself makes of them;
- the tool registry: each intent's own description;
- recogniser noise: the same sentences as a recogniser writes them (capitals, a final period, its
  misspellings from the grammar's `misheard` table, hesitations), and the training phrasings spoken
  by the dev voices as the bundled Whisper heard them (data/heard.yaml, made by heard.py);
- negatives: everyday sentences that hold command words (data/negatives.yaml), labelled not_a_command;
- the user's own words: their macros, and their examples file (phrase -> plan).
Test data (tests/data/understand_dev.yaml, tests/data/non_commands.yaml) is never read here.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.interpret.patterns import Alt, Lit, Opt, Slot
from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.agent.interpret.understand.intents import NONE, Intent, intent_of, user_intent
from voxctl.agent.listen.spoken_set import number_words
from voxctl.tools.registry import validate_action

HOLDOUT = 0.15  # share of template phrasings held out
FILLS_PER_TEMPLATE = 10
FIXED_COPIES = 4  # a phrasing without slots, varied by fillers and noise
GRAMMAR_SAMPLES_PER_PATTERN = 6
_SLOT = re.compile(r"\{([a-z]+)\}")


@dataclass
class Example:
    text: str
    intent: str
    actions: list[dict[str, Any]] | None = None  # the plan it must give, where known
    split: str = "train"  # train | heldout
    source: str = "template"


@dataclass
class DataSet:
    examples: list[Example]
    intents: dict[str, Intent]
    frames: list[tuple[str, str]] = field(default_factory=list)  # (intent, template) for slot frames


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


def _heldout(template: str, seed: int) -> bool:
    h = hashlib.sha256(f"{seed}:{template}".encode()).digest()
    return h[0] / 256 < HOLDOUT


def _data_file(name: str) -> Any:
    return yaml.safe_load(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))


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


def example_plan(item: dict, where: str) -> list[dict]:
    """The validated plan of one item of a user's examples file, as JSON-ready calls (ValueError: why not)."""
    calls = []
    for raw in item.get("plan") or []:
        call, problems = validate_action(raw, where)
        if call is None:
            raise ValueError("; ".join(problems))
        calls.append(call.model_dump(mode="json"))
    return calls


def user_examples(path: str | Path | None, intents: dict[str, Intent]) -> list[Example]:
    """The user's own examples: a YAML list of {say: phrase, plan: [actions]} (interpreter.understand.examples)."""
    if path is None:
        return []
    p = Path(path).expanduser()
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or []
    items = data.get("examples", []) if isinstance(data, dict) else data
    out = []
    for i, item in enumerate(items):
        calls = example_plan(item, f"{p}: examples[{i}]")
        label = intent_of(calls, intents) if calls else NONE
        if label is None or label in ("key", "type", "find", "open_app", "focus", "click_on", "macro", "wait",
                                      "click_at", "move_mouse", "drag") or label.startswith(("scroll", "nudge")):
            # an open intent would fill its slot from the words: a taught fixed plan keeps its own values
            label = f"user:{' '.join(str(item['say']).lower().split())}"
            intents[label] = user_intent(label, calls)
        for say in ([item["say"]] if isinstance(item["say"], str) else item["say"]):
            out += [Example(str(say), label, calls, source="user")] * 3
    return out


def macro_examples(macros: dict[str, Any], rng: random.Random) -> list[Example]:
    out = []
    for name, m in macros.items():
        spoken = name.replace("_", " ").replace("-", " ")
        plan = [{"tool": "run_macro", "args": {"name": name}}]
        for t in ["run {m}", "run my {m} macro", "do the {m} routine", "start {m}", "{m}", "play the {m} macro"]:
            out.append(Example(t.format(m=spoken), "macro", plan, source="user"))
        for phrase in getattr(m, "phrases", ()):
            out += [Example(phrase, "macro", plan, source="user")] * 3
    return out


def build(spec: GrammarSpec, grammar: Any, intents: dict[str, Intent], seed: int = 0,
          macros: dict[str, Any] | None = None, examples_path: str | Path | None = None,
          templates: dict[str, Any] | None = None, negatives: list[str] | None = None,
          heard: list[dict[str, Any]] | None = None) -> DataSet:
    """Every training (and held-out) example; the same seed gives the same data."""
    rng = random.Random(seed)
    tdata = templates if templates is not None else _data_file("templates.yaml")
    fill = tdata.get("fill") or _data_file("templates.yaml")["fill"]
    fill = {**fill, "macro": list(fill.get("macro", [])) + [n.replace("_", " ") for n in (macros or {})]}
    spoken_keys = _key_speech(spec)
    examples: list[Example] = []
    frames: list[tuple[str, str]] = []
    for name, phrasings in tdata["intents"].items():
        if name not in intents:
            raise ValueError(f"templates: unknown intent {name!r}")
        for template in phrasings:
            split = "heldout" if _heldout(template, seed) else "train"
            if split == "train":
                frames.append((name, template))
            for _ in range(FILLS_PER_TEMPLATE if _SLOT.search(template) else FIXED_COPIES):
                text, plan = fill_template(template, intents[name], rng, fill, spoken_keys)
                if plan is None:
                    continue
                if rng.random() < 0.3:
                    text = f"{rng.choice(_HESITATIONS)} {text}"
                if rng.random() < 0.15:
                    text = f"{text} {rng.choice(_AFTER)}"
                examples.append(Example(text, name, plan, split))
    if grammar is not None:
        examples += grammar_examples(spec, grammar, intents, rng, fill, spoken_keys)
    for name, it in intents.items():  # the registry's own words for each intent
        if it.say and name != NONE and not it.slots:
            examples.append(Example(it.say.split(" (")[0], name, None, source="registry"))
    negs = negatives if negatives is not None else _data_file("negatives.yaml")["sentences"]
    for s in negs:
        split = "heldout" if _heldout(s, seed) else "train"
        examples.append(Example(s, NONE, [], split, source="negative"))
    examples += macro_examples(macros or {}, rng)
    examples += user_examples(examples_path, intents)
    noise = [Example(noisy(e.text, spec, rng), e.intent, e.actions, e.split, "noise")
             for e in examples if e.source in ("template", "grammar", "negative") and rng.random() < 0.35]
    examples += noise
    if heard is None and templates is None:
        from voxctl.agent.interpret.understand.heard import load_heard

        heard = load_heard()
    examples += heard_examples(heard or [], intents)
    return DataSet(examples, intents, frames)


HEARD_READINGS = 3  # of each clip's N best readings (data/heard.yaml), the first this many
HEARD_WEIGHT = 0.5  # each one's weight in training (a typed or templated example: 1): 0.5 read speech best


def heard_examples(rows: list[dict[str, Any]], intents: dict[str, Intent]) -> list[Example]:
    """Recogniser noise (heard.py): the training phrasings as Whisper heard them from dev voices, each
    labelled with its phrasing's intent; a plan is not known (a misheard slot value), so never scored.
    Rows marked `split: heldout` (held-out negatives) are never trained on: they calibrate the speech
    threshold (train.evaluate)."""
    out = []
    for row in rows:
        if row["intent"] not in intents:
            continue
        out += [Example(str(t), row["intent"], None, row.get("split", "train"), "heard")
                for t in row["heard"][:HEARD_READINGS]]
    return out
