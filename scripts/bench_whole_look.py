"""The whole short commands' look (agent/interpret/second_look.py `whole_look`, off by default): its trade-off
between short commands rescued and everyday short talk turned into actions, per margin.

    nice -n 10 .venv/bin/python scripts/bench_whole_look.py --out bench/results/whole-look-dev.json

Clips: the dev split's spoken commands of at most 3 words (tests/data/spoken_commands.yaml, via the dev set)
and TALK, everyday short phrases written for this check (in no data set), each in the dev voices below with
the dev set's perturbation and hotkey silence (agent/benchmarks/devset.py). Every clip is read once as the
app reads it with the look off (GrammarInterpreter.read); where the reading is no command, `whole_look` runs
on the same readings at each margin (the recogniser's forced scores cached across margins). Reported per
margin: commands rescued (the right plan), commands given a wrong plan, talk that acts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from typing import Any

TALK = ("same", "same here", "and you", "move in", "time", "thank you", "all of it", "and do", "the end",
        "fine thanks", "nice one", "sure thing", "me too", "see you later", "no way", "that's it", "not now",
        "sounds good", "good night", "you know", "come in", "find out", "do that", "do it", "and that", "new one",
        "go on", "find it", "cut it out", "next time", "close call", "copy mine", "say it", "same thing",
        "end it", "that's fine", "go ahead", "all done", "time out", "come back")
VOICES = ("en-us+m5", "en-us+m7", "en-us+f1", "en-us+f2", "en-us+klatt", "rms", "awb", "kal16")
MARGINS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


class Cached:
    """The transcriber with its forced scores remembered per (audio, texts, prompt)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.memo = inner, {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def score(self, audio: Any, texts: Any, hotwords: str | None = None) -> Any:
        key = (hashlib.blake2b(audio.tobytes(), digest_size=16).digest(), tuple(texts), hotwords)
        if key not in self.memo:
            self.memo[key] = self.inner.score(audio, list(texts), hotwords=hotwords)
        return self.memo[key]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--voices", default=",".join(VOICES))
    p.add_argument("--margins", default=",".join(map(str, MARGINS)))
    p.add_argument("--limit", type=int, default=None, help="at most N phrases of each kind")
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.forced_look import whole_look
    from voxctl.agent.interpret.grammar import FLOOR, GrammarInterpreter
    from voxctl.agent.listen.asr import Transcriber

    voices = args.voices.split(",")
    margins = [float(m) for m in args.margins.split(",")]
    commands = [it for it in devset._phrases() if it.kind == "command" and len(it.say.split()) <= 3
                and devset.phrase_split(it.say) == "dev"][:args.limit]
    talk = list(TALK[:args.limit])
    cfg = load_config()
    tr = Cached(Transcriber(cfg.asr))
    g = GrammarInterpreter(cfg, devset.macros(), tr)
    assert g.whole_margin is None  # read as the app reads by default
    rows = []
    t0 = time.perf_counter()
    for kind, items in (("command", [(it.say, it.plan) for it in commands]), ("talk", [(t, []) for t in talk])):
        for say, plan in items:
            for v in voices:
                spec = devset.choose_perturbation(say, v)
                audio = devset._cached({"say": say, "voice": v, "spec": spec},
                                       lambda say=say, v=v, spec=spec: devset.perturb(devset.synthesize(say, v), spec))
                audio = audio.copy()
                got = g.read(audio)
                want = [c.model_dump() for c in plan] if kind == "command" else []
                row: dict[str, Any] = {"kind": kind, "say": say, "voice": v, "free": got.free_text,
                                       "acted": [c.model_dump() for c in got.plan.actions], "whole": {}}
                row["right"] = kind == "command" and row["acted"] == want
                if not got.plan.actions and got.free_text and got.hypotheses:
                    readings = [got.free_text, *(h.text for h in got.hypotheses)]
                    barred = {h.text for h in got.hypotheses if h.score is not None and h.score < FLOOR}
                    for m in margins:
                        g.whole_margin = m
                        w, seen, _ = whole_look(g, audio, None, readings, barred)
                        g.whole_margin = None
                        acts = [c.model_dump() for c in w.plan.actions] if w is not None else []
                        row["whole"][str(m)] = {"chosen": w.chosen_text if w is not None else "", "actions": acts,
                                                "right": kind == "command" and bool(acts) and acts == want}
                    row["considered"] = [(c.text, round(c.score, 3), c.verdict) for c in seen]
                rows.append(row)
                print(f"{kind:7} {say!r:22} {v:12} {got.free_text!r}", file=sys.stderr, flush=True)
    curve = []
    for m in margins:
        k = str(m)
        rescued = sum(1 for r in rows if r["whole"].get(k, {}).get("right"))
        wrong = sum(1 for r in rows if r["kind"] == "command" and r["whole"].get(k, {}).get("actions")
                    and not r["whole"][k]["right"])
        false = sum(1 for r in rows if r["kind"] == "talk" and r["whole"].get(k, {}).get("actions"))
        curve.append({"margin": m, "rescued": rescued, "wrong_plan": wrong, "talk_acting": false})
    cmd = [r for r in rows if r["kind"] == "command"]
    summary = {"voices": voices, "commands": len(cmd), "commands_right_without": sum(r["right"] for r in cmd),
               "talk": len(rows) - len(cmd), "talk_acting_without": sum(1 for r in rows if r["kind"] == "talk" and r["acted"]),
               "curve": curve, "seconds": round(time.perf_counter() - t0, 1)}
    print(json.dumps(summary, indent=1))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"summary": summary, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
