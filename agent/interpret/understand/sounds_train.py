"""Train the sound head (sounds.py): the grammar's short commands and everyday short talk, spoken by the dev
voices, pooled from the bundled Whisper's encoder.

Classes: the grammar's fixed commands of at most 3 words and "press <key>" for its bare keys
(rescore.Neighbours.whole; F-keys are left to the rescoring), with data/sounds.yaml's `commands`; phrasings
with the same plan are one class. The last class is talk: data/sounds.yaml's `talk`. Each phrase is spoken
in every dev voice (devset.VOICES_DEV; never a held-out one) with VARIANTS of the dev set's perturbations
(tempo, pitch, reverb, noise, hotkey silence: devset.perturb) and once clean, cut as the open microphone cuts
(`cut_as_heard`: without it the stream's clean slt "undo" got 0.55). A quarter of the talk phrases (by a hash) is
held out, and so are the held-out voices: the report at the end is on them.

    nice -n 10 python -m voxctl.agent.interpret.understand.sounds_train [--out DIR]

About 7,000 clips, 5-8 min on two cores (the clips are cached by devset); training itself takes seconds.
The shipped head (model/sounds) was made by this command with its defaults.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from voxctl.agent.interpret.understand.sounds import SHIPPED, TALK, SoundHead, features

DATA = Path(__file__).resolve().parent / "data" / "sounds.yaml"
VARIANTS = 2  # perturbations of each phrase in each voice
MAX_WORDS = 3
HIDDEN = 256
EPOCHS = 300
HELDOUT_TALK = 25  # percent of talk phrases held out


def load_data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def heldout_talk(phrase: str) -> bool:
    return int(hashlib.blake2b(phrase.encode(), digest_size=4).hexdigest(), 16) % 100 < HELDOUT_TALK


def command_classes(extra: list[str] | None = None) -> list[list[str]]:
    """The short commands, grouped by plan: [[phrasing, ...], ...] (the grammar's own, Linux bindings)."""
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.neighbours import Neighbours

    g = GrammarInterpreter(platform="linux")
    phrases = [p for p in Neighbours(g.spec).whole if len(p.split()) <= MAX_WORDS
               and not any(w[0] == "f" and w[1:].isdigit() for w in p.split())]
    groups: dict[str, list[str]] = {}
    for p in dict.fromkeys([*phrases, *(load_data()["commands"] if extra is None else extra)]):
        plan = g.parse(p).actions
        if not plan:
            raise ValueError(f"{p!r} is no command of the grammar")
        groups.setdefault(json.dumps([c.model_dump() for c in plan], sort_keys=True), []).append(p)
    return list(groups.values())


def cut_as_heard(say: str, voice: str) -> dict[str, Any]:
    """The perturbation of a clean clip as the open microphone cuts it (200 ms before the speech, the 300 ms end
    silence after), at a level drawn from the phrase and voice: the stream's commands are clean speech."""
    level = int(hashlib.blake2b(f"{say}|{voice}".encode(), digest_size=4).hexdigest(), 16) % 61
    return {"gain": round(0.3 + level / 100, 2), "lead_s": 0.2, "trail_s": 0.3, "seed": 0}


def clips(phrases: list[str], voices: list[str], variants: int, spelled: dict[str, str], clean: bool = True) -> Any:
    """(phrase, voice, audio) for each phrase in each voice: `variants` perturbations each and (`clean`) one
    clip cut as the open microphone cuts it (cached by devset)."""
    from voxctl.agent.benchmarks import devset

    for voice in voices:
        for phrase in phrases:
            say = " ".join(spelled.get(w, w) for w in phrase.split())
            for k in range(variants + clean):
                spec = devset.choose_perturbation(f"{say}#{k}", voice) if k < variants else cut_as_heard(say, voice)
                audio = devset._cached({"say": say, "voice": voice, "spec": spec, "for": "sounds"},
                                       lambda say=say, voice=voice, spec=spec: devset.perturb(
                                           devset.synthesize(say, voice), spec))
                yield phrase, voice, audio


def featurize(window: Any, items: Any, log: Any) -> tuple[np.ndarray, list[tuple[str, str]]]:
    rows, names, t0 = [], [], time.perf_counter()
    for i, (phrase, voice, audio) in enumerate(items):
        rows.append(features(window, audio))
        names.append((phrase, voice))
        if i % 500 == 499:
            log(f"  {i + 1} clips, {time.perf_counter() - t0:.0f} s")
    return np.stack(rows), names


def fit(x: np.ndarray, y: np.ndarray, n_out: int, seed: int = 0, epochs: int = EPOCHS) -> dict[str, np.ndarray]:
    """The two-layer head trained on standardised features (full batch, AdamW, dropout)."""
    import torch

    torch.manual_seed(seed)
    mu, sd = x.mean(0), x.std(0) + 1e-5
    xt, yt = torch.tensor((x - mu) / sd, dtype=torch.float32), torch.tensor(y)
    net = torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(x.shape[1], HIDDEN), torch.nn.ReLU(),
                              torch.nn.Dropout(0.2), torch.nn.Linear(HIDDEN, n_out))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    for _ in range(epochs):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(xt), yt).backward()
        opt.step()
    first, last = net[1], net[4]
    return {"w1": first.weight.detach().numpy().T, "b1": first.bias.detach().numpy(),
            "w2": last.weight.detach().numpy().T, "b2": last.bias.detach().numpy(), "mu": mu, "sd": sd}


def save(folder: Path, weights: dict[str, np.ndarray], classes: list[list[str]], meta: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "head.npz", **{k: v.astype(np.float16 if k.startswith("w") else np.float32)
                                                  for k, v in weights.items()})
    (folder / "meta.json").write_text(json.dumps({**meta, "classes": classes}, indent=1) + "\n", encoding="utf-8")


def train(out: Path, transcriber: Any, voices: list[str], commands: list[list[str]], talk: list[str],
          variants: int = VARIANTS, epochs: int = EPOCHS, log: Any = print) -> SoundHead:
    """Train on `commands` (classes of phrasings) and `talk` in `voices`; write `out`; the head loaded back."""
    spelled = load_data().get("spelled", {})
    label = {p: i for i, group in enumerate(commands) for p in group}
    phrases = [*label, *talk]
    log(f"{len(commands)} command classes ({len(label)} phrasings), {len(talk)} talk phrases, {len(voices)} voices")
    x, names = featurize(transcriber.window, clips(phrases, voices, variants, spelled), log)
    y = np.array([label.get(p, len(commands)) for p, _ in names])
    weights = fit(x, y, len(commands) + 1, epochs=epochs)
    save(out, weights, commands, {"voices": voices, "variants": variants, "clean": True, "talk": talk, "clips": len(y),
                                  "talk_class": TALK})
    return SoundHead(out)


def report(head: SoundHead, transcriber: Any, voices: list[str], talk: list[str], log: Any = print) -> dict[str, Any]:
    """On voices and talk phrases never trained on: short commands named right, talk taken for a command."""
    from voxctl.agent.interpret.understand.sounds import MIN_PROB

    label = {p: i for i, group in enumerate(head.classes) for p in group}
    spelled = load_data().get("spelled", {})
    x, names = featurize(transcriber.window, clips([*label, *talk], voices, 1, spelled, clean=False), log)
    p = head.probs(x)
    top, sure = p.argmax(1), p.max(1) >= MIN_PROB
    cmd = np.array([n[0] in label for n in names])
    want = np.array([label.get(n[0], -1) for n in names])
    out = {"commands": int(cmd.sum()), "named_right": int(((top == want) & sure & cmd).sum()),
           "named_wrong": int(((top != want) & (top < len(head.classes)) & sure & cmd).sum()),
           "talk": int((~cmd).sum()), "talk_named": int(((top < len(head.classes)) & sure & ~cmd).sum())}
    log(json.dumps(out))
    return out


def main(argv: list[str] | None = None) -> int:
    from voxctl.agent.benchmarks.devset import VOICES_DEV, VOICES_HELDOUT
    from voxctl.agent.listen.asr import Transcriber

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(SHIPPED), help="the folder to write (default: the shipped head)")
    p.add_argument("--variants", type=int, default=VARIANTS)
    args = p.parse_args(argv)
    data = load_data()
    talk = [t for t in data["talk"] if not heldout_talk(t)]
    held = [t for t in data["talk"] if heldout_talk(t)]
    tr = Transcriber()
    head = train(Path(args.out), tr, list(VOICES_DEV), command_classes(), talk, args.variants)
    print("held-out voices and talk:", file=sys.stderr)
    report(head, tr, list(VOICES_HELDOUT), held, log=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
