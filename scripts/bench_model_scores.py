"""Each blind-set line spoken (synthesized and perturbed as scripts/bench_blind.py --voices does, read as `voxctl
listen` reads it): which part made the plan (grammar, understand), whether it was right, and the recogniser's score
of the reading. One JSON line per line and voice; the figures behind fallback.HEARD_FLOOR (docs/BENCHMARKS.md).

    .venv/bin/python scripts/bench_model_scores.py probe5,probe6,probe7 slt,en-us+m1 rows.jsonl
    .venv/bin/python scripts/bench_model_scores.py probe1,probe2,probe3,probe4 en-us+f2,en-us+m3 rows.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_blind

    from voxctl.agent.benchmarks import blind, devset
    from voxctl.agent.listen.vad import gate
    from voxctl.agent.utterance import ScreenState, Utterance

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets")
    ap.add_argument("voices")
    ap.add_argument("out")
    args = ap.parse_args()
    config, hybrid = bench_blind._hybrid(True)
    grammar = hybrid.grammar
    last: dict[str, Any] = {}
    commit = grammar.commit

    def keep(parse: Any) -> Any:  # the grammar's parse of the audio, for its scores
        last["parse"] = parse
        return commit(parse)

    grammar.commit = keep
    with open(args.out, "w", encoding="utf-8") as f:
        for name in args.sets.split(","):
            for voice in args.voices.split(","):
                for line in blind.load(name):
                    clip = devset._speech_clip(devset._Item(line["say"], [], "command"), voice)
                    speech = gate(clip.audio, config.audio)
                    if speech is None:
                        continue
                    last.clear()
                    plan = hybrid.interpret(Utterance(audio=speech, screen=ScreenState()))
                    p = last.get("parse")
                    row = {"set": name, "voice": voice, "say": line["say"], "talk": not line["plan"],
                           "right": blind.right(plan.actions, line) if line["plan"] else not plan.actions,
                           "acted": bool(plan.actions), "source": plan.source, "heard": plan.transcript,
                           "free_score": getattr(p, "free_score", None), "chosen_score": getattr(p, "chosen_score", None),
                           "free_text": getattr(p, "free_text", None), "retried": getattr(p, "retried", None),
                           "got": [a.model_dump(mode="json") for a in plan.actions]}
                    f.write(json.dumps(row) + "\n")
                    f.flush()


if __name__ == "__main__":
    main()
