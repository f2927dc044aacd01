"""The look by sound (agent/interpret/sound_look.py, understand/sounds.py): short commands it rescues and talk it
turns into actions, on voices and talk it was never trained on, read as the app reads in hold mode; per gate.

    nice -n 10 .venv/bin/python scripts/bench_sounds.py --out bench/results/sounds-heldout.json

Commands: every phrasing of the head's command classes in the held-out voices
(devset.VOICES_HELDOUT: never trained on), with perturbations the training never drew (variants VARIANT_BASE
...). Talk: bench_whole_look.TALK (40 everyday short phrases, in no training set) in every voice. Each clip is
read by GrammarInterpreter.read with the look off; where that gives no plan, the look (sound_look.by_sound) runs
with open gates and its class, probability and gap are kept, so the curve over (MIN_PROB, MARGIN) is paired on
the same readings: at a gate, the look takes a row when prob >= p and gap <= m and its plan may be taken. The
product's own gates (sounds.MIN_PROB, MARGIN) are one point of the curve.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_whole_look import TALK  # noqa: E402

VARIANT_BASE = 10  # perturbation variants the training (sounds_train.VARIANTS: 0, 1) never used
PROBS = (0.9, 0.95, 0.98, 0.99)
MARGINS = (1.0, 2.0, 3.0, 4.0, float("inf"))


def taken(r: dict[str, Any], p: float, m: float, gap: str = "gap") -> bool:
    return bool(r.get("takeable")) and r["prob"] >= p and r.get(gap) is not None and r[gap] <= m


def base(rows: list[dict[str, Any]]) -> dict[str, int]:
    cmd = [r for r in rows if r["kind"] == "command"]
    return {"commands": len(cmd), "right": sum(r["right"] for r in cmd), "talk": len(rows) - len(cmd),
            "talk_acting": sum(bool(r["acted"]) for r in rows if r["kind"] == "talk")}


def gate(rows: list[dict[str, Any]], p: float, m: float, gap: str = "gap") -> dict[str, Any]:
    """What the look adds at gates (p, m): commands rescued, given a wrong plan, and talk that acts; `gap`: which
    forced scoring ("gap": the product's, "gap_hinted" / "gap_plain": the other)."""
    return {"min_prob": p, "margin": m if m != float("inf") else None, "gap": gap,
            "rescued": sum(taken(r, p, m, gap) and r["look_right"] for r in rows),
            "wrong": sum(taken(r, p, m, gap) and not r["look_right"] for r in rows if r["kind"] == "command"),
            "talk_acting": sum(taken(r, p, m, gap) for r in rows if r["kind"] == "talk")}


def per_voice(rows: list[dict[str, Any]], voices: list[str], p: float, m: float) -> dict[str, str]:
    out = {}
    for v in voices:
        mine = [r for r in rows if r["kind"] == "command" and r["voice"] == v]
        before = sum(r["right"] for r in mine)
        after = before + sum(taken(r, p, m) and r["look_right"] for r in mine)
        out[v] = f"{before} -> {after} / {len(mine)}"
    return out


def main(argv: list[str] | None = None) -> int:
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.sound_look import by_sound
    from voxctl.agent.interpret.understand.sounds import HINTED, MARGIN, MIN_PROB, shipped
    from voxctl.agent.listen.asr import Transcriber

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--voices", default=",".join(devset.VOICES_HELDOUT), help="voices of the commands")
    p.add_argument("--talk-voices", default=",".join((*devset.VOICES_DEV, *devset.VOICES_HELDOUT)))
    p.add_argument("--variants", type=int, default=1, help="perturbations of each command clip")
    p.add_argument("--limit", type=int, default=None, help="at most N phrases of each kind")
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)
    head = shipped()
    if head is None:
        print("bench_sounds: no sound head shipped", file=sys.stderr)
        return 2
    commands = [p for c in head.classes for p in c][:args.limit]
    talk = list(TALK[:args.limit])
    cfg = load_config()
    g = GrammarInterpreter(cfg, devset.macros(), Transcriber(cfg.asr))
    rows: list[dict[str, Any]] = []
    other = "gap_plain" if HINTED else "gap_hinted"  # the forced scoring the product does not use
    t0 = time.perf_counter()
    jobs = [("command", s, v) for v in args.voices.split(",") for s in commands] + \
           [("talk", s, v) for v in args.talk_voices.split(",") for s in talk]
    for kind, say, voice in jobs:
        speech = devset.synthesize(say, voice)
        for k in range(VARIANT_BASE, VARIANT_BASE + (args.variants if kind == "command" else 1)):
            audio = devset.perturb(speech, devset.choose_perturbation(f"{say}#{k}", voice)).astype("float32")
            g.by_sound = False
            got = g.read(audio.copy())
            want = [c.model_dump() for c in g.parse(say).actions] if kind == "command" else []
            row = {"kind": kind, "say": say, "voice": voice, "variant": k, "free": got.free_text,
                   "acted": [c.model_dump() for c in got.plan.actions], "candidate": None}
            row["right"] = kind == "command" and row["acted"] == want
            if not got.plan.actions and got.free_text:
                look, _, heard = by_sound(g, audio, got.free_text, min_prob=0.0, margin=float("inf"))
                row.update(candidate=heard.candidate, prob=heard.prob, gap=heard.gap, takeable=look is not None,
                           look_right=look is not None and [c.model_dump() for c in look.plan.actions] == want
                           and kind == "command")
                if heard.gap is not None:  # the same forced the other way (sounds.HINTED)
                    _, _, hinted = by_sound(g, audio, got.free_text, min_prob=0.0, margin=float("inf"),
                                            hinted=not HINTED)
                    row[other] = hinted.gap
            rows.append(row)
        print(f"{kind:7} {say!r:22} {voice:13} {row['free']!r:28} {row['candidate']} {row.get('prob')} "
              f"{row.get('gap')}", file=sys.stderr, flush=True)
    summary = {"base": base(rows), "curve": [gate(rows, p, m, k) for k in ("gap", other) for p in PROBS
                                             for m in MARGINS],
               "product": gate(rows, MIN_PROB, MARGIN), "seconds": round(time.perf_counter() - t0, 1),
               "per_voice": per_voice(rows, args.voices.split(","), MIN_PROB, MARGIN)}
    print(json.dumps(summary, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps({"summary": summary, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
