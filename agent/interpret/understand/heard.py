"""Recogniser noise for the understanding model: its training phrasings spoken by the dev voices and
written down by the bundled Whisper, as `voxctl listen` would hear them (data/heard.yaml).

Every training template (not the held-out ones, data.py's split) is filled once per voice it is given
(seeded), spoken by espeak-ng / flite dev voices with the spoken dev set's perturbations
(agent/benchmarks/devset.py: tempo, pitch, reverb, noise, hotkey silence), trimmed by the VAD gate and
read by Whisper; its N best readings (beam 5, up to READINGS distinct) are kept with the template's
intent. The negatives are spoken too, labelled not_a_command: the training split's are trained on (garbled
everyday speech is no command), the held-out split's (`split: heldout`) only calibrate the speech
threshold (train.evaluate). Held-out voices (devset.VOICES_HELDOUT) and the test sets' phrasings are
never used.

Make it (1,797 clips, about 25 min on two busy cores; the clips are cached by devset; `--reuse` an older
file to hear only new clips), then `voxctl train` (or `voxctl train --heard FILE`):
    nice -n 10 python -m voxctl.agent.interpret.understand.heard [--reuse OLD.yaml] [--out FILE]
The file is shipped (data/heard.yaml, 1,797 clips): `voxctl train` trains the heard head on it
(model/heard), which reads only what the recogniser heard, and only where the typed head is not sure
(spoken.py). Used as the model's only head it acted on more overheard sentences, spoken and typed
(docs/BENCHMARKS.md, issue #10, fourth and sixth passes).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.interpret.understand import data as data_mod
from voxctl.agent.interpret.understand.intents import NONE, builtin_intents

READINGS = 3
NEGATIVE_VOICES = 3  # voices each training negative is spoken in: misheard everyday speech is no command
FILE = "heard.yaml"
HELDOUT = "heldout:" + NONE  # phrases(): a held-out negative (its row says split: heldout)


def phrases(seed: int = 0, voices_per_phrase: int = 3) -> list[tuple[str, str, str]]:
    """(text, intent, voice) to speak: each training template filled once per voice, and the training
    negatives in NEGATIVE_VOICES voices, the voices drawn (seeded) from the dev voices."""
    from voxctl.agent.benchmarks.devset import VOICES_DEV
    from voxctl.agent.interpret.rules import load_grammar

    spec = load_grammar(platform="linux")
    intents = builtin_intents("linux")
    tdata = data_mod._data_file("templates.yaml")
    spoken_keys = data_mod._key_speech(spec)
    rng = random.Random(f"heard:{seed}")
    voices = list(VOICES_DEV)
    out: list[tuple[str, str, str]] = []
    for name, templates in tdata["intents"].items():
        for template in templates:
            if data_mod._heldout(template, seed):
                continue
            for voice in rng.sample(voices, voices_per_phrase):
                text, plan = data_mod.fill_template(template, intents[name], rng, tdata["fill"], spoken_keys)
                if plan is not None:
                    out.append((text, name, voice))
    held = random.Random(f"heard-heldout:{seed}")  # its own draws: the training clips' voices stay as they were
    for s in data_mod._data_file("negatives.yaml")["sentences"]:
        if not data_mod._heldout(s, seed):
            out += [(s, NONE, v) for v in rng.sample(voices, NEGATIVE_VOICES)]
        else:  # the held-out negatives, heard too: never trained on, they calibrate the speech threshold
            out += [(s, HELDOUT, v) for v in held.sample(voices, NEGATIVE_VOICES)]
    return out


def hear(items: list[tuple[str, str, str]], log: Any = print) -> list[dict[str, Any]]:
    """Each item spoken, gated and read by Whisper: {say, intent, voice, heard: [readings]}."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import Config
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.vad import gate

    cfg = Config()
    asr = Transcriber(cfg.asr)
    out = []
    t0 = time.perf_counter()
    for i, (text, intent, voice) in enumerate(items):
        clip = devset._speech_clip(devset._Item(text, [], "command"), voice)
        speech = gate(clip.audio, cfg.audio)
        readings: list[str] = []
        if speech is not None:
            for h in asr.nbest(speech, 5):
                t = h.text.strip()
                if t and t not in readings:
                    readings.append(t)
        row = {"say": text, "intent": NONE if intent == HELDOUT else intent, "voice": voice, "heard": readings[:READINGS]}
        out.append({**row, "split": "heldout"} if intent == HELDOUT else row)
        if i % 50 == 0:
            log(f"{i}/{len(items)} {time.perf_counter() - t0:.0f} s")
    return out


def load_heard() -> list[dict[str, Any]]:
    """The committed transcripts (empty when the file is not there)."""
    f = resources.files(__package__).joinpath("data", FILE)
    if not f.is_file():
        return []
    return list(yaml.safe_load(f.read_text(encoding="utf-8")) or [])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--voices-per-phrase", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(Path(__file__).parent / "data" / FILE))
    ap.add_argument("--reuse", help="a heard file made before: its readings of the same sentence in the same voice "
                                    "are kept, only new clips are heard")
    args = ap.parse_args(argv)
    items = phrases(args.seed, args.voices_per_phrase)
    old = {(r["say"], r["voice"]): r["heard"] for r in (yaml.safe_load(Path(args.reuse).read_text(encoding="utf-8"))
                                                        if args.reuse else None) or []}
    todo = [it for it in items if (it[0], it[2]) not in old]
    print(f"{len(items)} clips, {len(todo)} to hear", flush=True)
    new = {(r["say"], r["voice"]): r["heard"] for r in hear(todo, log=lambda m: print(m, flush=True))}
    rows = []
    for text, intent, voice in items:
        row = {"say": text, "intent": NONE if intent == HELDOUT else intent, "voice": voice,
               "heard": old.get((text, voice), new.get((text, voice)))}
        rows.append({**row, "split": "heldout"} if intent == HELDOUT else row)
    header = ("# Recogniser noise: training phrasings spoken by dev voices, as the bundled Whisper heard them.\n"
              "# Generated by `python -m voxctl.agent.interpret.understand.heard` (heard.py); read by data.py.\n")
    Path(args.out).write_text(header + yaml.safe_dump(rows, sort_keys=False, allow_unicode=True, width=200),
                              encoding="utf-8")
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
