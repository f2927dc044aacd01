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

The sentences are made in data_fill.py (templates, the grammar's expansions, recogniser noise) and
data_user.py (the user's own words); an `Example` and the `DataSet` are data_records.py.
"""

from __future__ import annotations

import hashlib
import random
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.agent.interpret.understand.data_fill import (
    _AFTER,
    _HESITATIONS,
    _SLOT,
    _key_speech,
    fill_template,
    grammar_examples,
    noisy,
)
from voxctl.agent.interpret.understand.data_records import DataSet, Example
from voxctl.agent.interpret.understand.data_user import macro_examples, user_examples
from voxctl.agent.interpret.understand.intents import NONE, Intent

HOLDOUT = 0.15  # share of template phrasings held out
FILLS_PER_TEMPLATE = 10
FIXED_COPIES = 4  # a phrasing without slots, varied by fillers and noise


def _heldout(template: str, seed: int) -> bool:
    h = hashlib.sha256(f"{seed}:{template}".encode()).digest()
    return h[0] / 256 < HOLDOUT


def _data_file(name: str) -> Any:
    return yaml.safe_load(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))


def build(spec: GrammarSpec, grammar: Any, intents: dict[str, Intent], seed: int = 0,
          macros: dict[str, Any] | None = None, examples_path: str | Path | None = None,
          templates: dict[str, Any] | None = None, negatives: list[str] | None = None,
          heard: list[dict[str, Any]] | None = None, written: list[dict[str, Any]] | None = None) -> DataSet:
    """Every training (and held-out) example; the same seed gives the same data. `written`: lines people
    wrote, {say, plan} (data_phrasings.py)."""
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
    if written:
        from voxctl.agent.interpret.understand.data_phrasings import phrasing_examples

        examples += phrasing_examples(written, intents, spec)
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
