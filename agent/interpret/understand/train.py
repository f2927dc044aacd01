"""Training the understanding model: data (data.py) -> sentence features -> intent head -> calibrated
threshold -> the artifact folder (model.py), with the figures measured on the held-out split.

Deterministic for a seed: the data and the head's initialisation, dropout and batches are seeded.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from voxctl.agent.interpret.normalize import tokenize
from voxctl.agent.interpret.understand import data as data_mod
from voxctl.agent.interpret.understand.encoder import NAME as ENCODER_NAME
from voxctl.agent.interpret.understand.encoder import Encoder, shared_encoder
from voxctl.agent.interpret.understand.fill import FILLERS, Frames
from voxctl.agent.interpret.understand.intents import NONE, builtin_intents
from voxctl.agent.interpret.understand.model import HEARD, features, train_head

MIN_THRESHOLD = 0.4  # the least confidence that acts, even when no held-out negative comes close
SPEECH_MAX = 0.9  # the speech threshold calibrated on heard held-out negatives never goes above this
SPEECH_FALSE_SHARE = 0.02  # the share of heard held-out negatives' readings allowed to reach it
_SPAN_SLOT = re.compile(r"\{(text|name|macro)\}")


def frames_of(pairs: list[tuple[str, str]], spec: Any) -> Frames:
    before: dict[str, set[tuple[str, ...]]] = {}
    after: dict[str, set[tuple[str, ...]]] = {}
    carriers: dict[str, set[str]] = {}
    for intent, template in pairs:
        m = _SPAN_SLOT.search(template)
        if not m:
            continue
        pre = tuple(t.word for t in tokenize(template[:m.start()], spec.rewrites))
        suf = tuple(t.word for t in tokenize(template[m.end():], spec.rewrites))
        if "{" in " ".join(pre + suf):
            continue
        before.setdefault(intent, set()).add(pre)
        after.setdefault(intent, set()).add(suf)
        carriers.setdefault(intent, set()).update(w for w in pre + suf if w not in FILLERS)
    order = lambda s: sorted(s, key=lambda x: (-len(x), x))  # noqa: E731
    return Frames({k: order(v) for k, v in before.items()}, {k: order(v) for k, v in after.items()}, carriers)


def train(out: str | Path, spec: Any, grammar: Any = None, seed: int = 0, macros: dict[str, Any] | None = None,
          examples_path: str | Path | None = None, templates: dict[str, Any] | None = None,
          negatives: list[str] | None = None, epochs: int = 40, encoder: Encoder | None = None,
          log: Callable[[str], None] = print, heard: list[dict[str, Any]] | None = None,
          written: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Train a model into folder `out`; returns its figures (also written into its meta.json). `heard`:
    recogniser noise (heard.py's rows; default: the shipped data/heard.yaml, [] for none)."""
    from voxctl.agent.interpret.understand.understander import Understander

    t0 = time.perf_counter()
    intents = builtin_intents(spec.platform)
    ds = data_mod.build(spec, grammar, intents, seed, macros, examples_path, templates, negatives, heard, written)
    train_set = [e for e in ds.examples if e.split == "train"]
    held = [e for e in ds.examples if e.split == "heldout" and e.source != "noise"]
    labels = sorted({e.intent for e in ds.examples} | {NONE})
    log(f"data: {len(train_set)} training sentences ({len(held)} held out) over {len(labels)} intents; "
        + ", ".join(f"{s} {sum(e.source == s for e in ds.examples)}"
                    for s in ("template", "grammar", "registry", "negative", "user", "noise", "heard", "phrasing")))
    encoder = encoder or shared_encoder()
    words = [[t.word for t in tokenize(e.text, spec.rewrites)] for e in train_set]
    t1 = time.perf_counter()
    emb = encoder.embed([" ".join(w) for w in words])
    log(f"encoded {len(words)} sentences with {ENCODER_NAME} in {time.perf_counter() - t1:.0f} s")
    x = features(emb, words)
    y = np.array([labels.index(e.intent) for e in train_set])
    weights = np.array([2.0 if e.source == "user" else data_mod.HEARD_WEIGHT if e.source == "heard" else 1.0
                        for e in train_set])
    typed = np.array([e.source != "heard" for e in train_set])
    t2 = time.perf_counter()
    head = train_head(x[typed], y[typed], labels, seed=seed, epochs=epochs, weights=weights[typed])
    log(f"trained the intent head in {time.perf_counter() - t2:.0f} s")
    shutil.rmtree(Path(out) / HEARD, ignore_errors=True)  # an older model's: not this data's
    if not typed.all():  # the heard head: the same data and the recogniser's readings (model.HEARD)
        t2 = time.perf_counter()
        heard_head = train_head(x, y, labels, seed=seed, epochs=epochs, weights=weights)
        heard_head.meta = {"train_sentences": len(train_set)}
        heard_head.save(Path(out) / HEARD)
        log(f"trained the heard head in {time.perf_counter() - t2:.0f} s")
    user_intents = {n: list(i.do) for n, i in ds.intents.items() if n.startswith("user:")}
    head.meta = {"encoder": ENCODER_NAME, "seed": seed, "threshold": 0.5, "user_intents": user_intents,
                 "frames": frames_of(ds.frames, spec).to_json()}
    head.save(out)
    model = Understander(out, spec=spec, macros=macros, encoder=encoder, platform=spec.platform)
    figures = evaluate(model, held)
    head.meta["threshold"] = figures["threshold"]
    head.meta["speech_threshold"] = figures["speech_threshold"]
    head.meta["figures"] = {**figures, "train_sentences": int(typed.sum()), "seconds": round(time.perf_counter() - t0)}
    head.save(out)
    log(f"held-out phrasings: {figures['heldout_correct']}/{figures['heldout_total']} exact plans; held-out "
        f"negatives with an action: {figures['heldout_negatives_acting']}/{figures['heldout_negatives']}; "
        f"threshold {figures['threshold']:.2f}; held-out negatives as heard: {figures['heldout_heard_negatives']}, "
        f"speech threshold {figures['speech_threshold']:.2f}")
    return head.meta["figures"]


def evaluate(model: Any, held: list[Any]) -> dict[str, Any]:
    """Exact plans on the held-out examples, and the threshold that keeps held-out negatives inert."""
    from voxctl.agent.benchmarks.interpret import same_plan
    from voxctl.agent.interpret.understand.no_instruction import not_a_command
    from voxctl.tools.registry import validate_action

    as_heard = [e for e in held if e.source == "heard"]
    heard = list(zip(as_heard, model.read_many([e.text for e in as_heard], heard=True), strict=True)) if as_heard else []
    readings = [(e, model.read(e.text)) for e in held if e.source != "heard"]
    neg_conf = [r.confidence for e, r in readings if e.intent == NONE and r.actions]
    threshold = float(min(0.9, max([MIN_THRESHOLD, *[c + 0.01 for c in neg_conf]])))
    # The held-out negatives as the recogniser heard them (heard.py), read as the fallback reads speech
    # (fallback.speech_threshold): the least confidence at which at most SPEECH_FALSE_SHARE of them act.
    # Not all: a few readings are a command's words ("the end of the movie ..." heard "the end of the").
    heard_conf = sorted((r.confidence for e, r in heard if e.intent == NONE and r.actions and r.intent != "key"
                         and not not_a_command(e.text)), reverse=True)
    allowed = int(SPEECH_FALSE_SHARE * len(heard))
    speech = float(min(SPEECH_MAX, max(threshold, heard_conf[allowed] + 0.01 if len(heard_conf) > allowed else 0)))
    heard_acting = sum(c >= speech for c in heard_conf)
    right = neg_total = neg_acting = total = 0
    for e, r in readings:
        acting = bool(r.actions) and r.confidence >= threshold
        if e.intent == NONE:
            neg_total += 1
            neg_acting += acting
            continue
        total += 1
        expected = [validate_action(a)[0] for a in e.actions or []]
        right += acting and same_plan(r.actions, expected)
    return {"threshold": round(threshold, 3), "heldout_correct": right, "heldout_total": total,
            "heldout_negatives": neg_total, "heldout_negatives_acting": neg_acting,
            "speech_threshold": round(speech, 3), "heldout_heard_negatives": len(heard),
            "heldout_heard_negatives_acting": heard_acting}
