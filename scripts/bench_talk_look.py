"""The second look before and after a change, paired on identical readings: short talk, short commands and the
dev set's clips, each read by `GrammarInterpreter.read` (hold mode, grammar backend) with an old copy of
agent/interpret/second_look.py and with the tree's, the recogniser's answers memoised (recognition.Recorded).

    git show HEAD:agent/interpret/second_look.py > /tmp/second_look_old.py
    nice -n 10 .venv/bin/python scripts/bench_talk_look.py talk-dev /tmp/second_look_old.py --out rows.jsonl

Sets: talk-dev / talk-heldout (bench_whole_look.TALK in 4 dev voices / the 4 held-out voices), short-dev /
short-heldout (spoken commands of at most 3 words of that split), dev / heldout (devset.build_devset, `--limit`
per voice, gated as `voxctl bench recognition` gates). Variants: "old", "new" (the tree's defaults) and the
off-by-default rules of second_look.py switched on ("rev": REVERSED_ONLY, "f25": REFERENCE_FLOOR -2.5).
Prints exact plans on commands and false actions on the rest per variant, per voice, and every changed plan.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import sys
from typing import Any

VOICES4 = ("en-us+m7", "en-us+f2", "awb", "kal16")
VARIANTS = {"new": {}, "rev": {"REVERSED_ONLY": True}, "f25": {"REFERENCE_FLOOR": -2.5}, "old": None}


def clips(which: str, limit: int | None) -> list[tuple[Any, str, list[Any], str, str]]:
    """(audio, said, plan, voice, kind) of a set."""
    from bench_whole_look import TALK

    from voxctl.agent.benchmarks import devset

    def synth(say: str, v: str) -> Any:
        spec = devset.choose_perturbation(say, v)
        return devset._cached({"say": say, "voice": v, "spec": spec},
                              lambda: devset.perturb(devset.synthesize(say, v), spec))

    split = which.split("-")[-1]
    voices = VOICES4 if split == "dev" else devset.VOICES_HELDOUT
    if which.startswith("talk"):
        return [(synth(t, v), t, [], v, "talk") for t in TALK for v in voices]
    if which.startswith("short"):
        its = [it for it in devset._phrases() if it.kind == "command" and len(it.say.split()) <= 3
               and devset.phrase_split(it.say) == split]
        return [(synth(it.say, v), it.say, it.plan, v, "command") for it in its for v in voices]
    return [(c.audio, c.say, c.plan, c.voice, c.kind) for c in devset.build_devset(which, None, limit)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("set", choices=["talk-dev", "talk-heldout", "short-dev", "short-heldout", "dev", "heldout"])
    p.add_argument("old", help="a copy of the old agent/interpret/second_look.py")
    p.add_argument("--limit", type=int, default=6, help="clips per voice (dev / heldout)")
    p.add_argument("--out", default=None, help="one JSON row per clip")
    args = p.parse_args(argv)
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.benchmarks.interpret import same_plan
    from voxctl.agent.benchmarks.recognition import Recorded
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret import second_look as new
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.vad import gate

    spec = importlib.util.spec_from_file_location("second_look_old", args.old)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    names = ("look_again",)  # the key press check is key_check.py's, not swapped
    mine = {n: getattr(new, n) for n in names}
    defaults = {k: getattr(new, k) for k in ("REVERSED_ONLY", "REFERENCE_FLOOR")}
    cfg = load_config()
    tr = Recorded(Transcriber(cfg.asr))
    tr.replay = True  # every variant reads the answers the first one got
    g = GrammarInterpreter(cfg, devset.macros(), tr)
    rows = []
    out = open(args.out, "w") if args.out else None
    for audio, say, plan, voice, kind in clips(args.set, args.limit):
        speech = audio if args.set.startswith(("talk", "short")) else gate(audio, cfg.audio)
        row: dict[str, Any] = {"kind": kind, "say": say, "voice": voice}
        for name, switches in VARIANTS.items():
            for n in names:
                setattr(new, n, getattr(old, n) if switches is None else mine[n])
            for k, v in {**defaults, **(switches or {})}.items():
                setattr(new, k, v)
            got = g.read(speech.copy()) if speech is not None else None
            acts = [a.model_dump(mode="json") for a in got.plan.actions] if got is not None else []
            row[name] = {"acts": acts, "chosen": got.chosen_text if got is not None else "",
                         "exact": kind == "command" and got is not None and same_plan(got.plan.actions, plan)}
        for n in names:
            setattr(new, n, mine[n])
        for k, v in defaults.items():
            setattr(new, k, v)
        rows.append(row)
        if out:
            out.write(json.dumps(row) + "\n")
            out.flush()
    report(rows)
    return 0


def report(rows: list[dict[str, Any]]) -> None:
    def fig(rs: list[dict[str, Any]], n: str) -> str:
        cmd = [r for r in rs if r["kind"] == "command"]
        non = [r for r in rs if r["kind"] != "command"]
        return (f"exact {sum(r[n]['exact'] for r in cmd)}/{len(cmd)}, "
                f"false {sum(bool(r[n]['acts']) for r in non)}/{len(non)}")

    print("; ".join(f"{n}: {fig(rows, n)}" for n in VARIANTS))
    by = collections.defaultdict(list)
    for r in rows:
        by[r["voice"]].append(r)
    for v, rs in sorted(by.items()):
        print(f"  {v:14} old {fig(rs, 'old')} -> new {fig(rs, 'new')}")
    for r in rows:
        for n in VARIANTS:
            if n != "old" and r[n]["acts"] != r["old"]["acts"]:
                print(f"  changed [{n}] {r['kind']} {r['say']!r} {r['voice']}: {r['old']['chosen']!r} -> {r[n]['chosen']!r}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_whole_look.TALK
    sys.exit(main())
