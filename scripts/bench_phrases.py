"""A list of phrases, one per line, spoken in dev voices and read as `voxctl listen` reads them (the hybrid from
audio, as scripts/bench_blind.py --voices): what was heard and what ran, per phrase, and how many ran per voice.

    .venv/bin/python scripts/bench_phrases.py bench/phrases/write-commands.txt --voices slt,en-us+m1,en-us+f2,rms,awb,en-us+m5
    .venv/bin/python scripts/bench_phrases.py bench/phrases/right-talk.txt --voices slt,en-us+m1,rms

A line that is a command should run; a line of talk should not: the lists say which they hold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_blind

    from voxctl.agent.benchmarks import devset
    from voxctl.agent.benchmarks.understand import _after
    from voxctl.agent.listen.vad import gate

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("phrases")
    ap.add_argument("--voices", default="slt,en-us+m1,en-us+f2")
    args = ap.parse_args()
    config, hybrid = bench_blind._hybrid(True)
    lines = [s.strip() for s in Path(args.phrases).read_text(encoding="utf-8").splitlines() if s.strip()]
    ran: dict[str, int] = {}
    for voice in args.voices.split(","):
        ran[voice] = 0
        for say in lines:
            speech = gate(devset._speech_clip(devset._Item(say, [], "command"), voice).audio, config.audio)
            if speech is None:
                print(f"    {voice:10s} {say!r:45s} (no speech found)")
                continue
            parse = hybrid.grammar.read(speech)
            plan = _after(hybrid, speech, parse)
            acts = [(a.tool, a.args.model_dump(exclude_none=True)) for a in plan.actions]
            ran[voice] += bool(acts)
            print(f"{'RAN ' if acts else '    '}{voice:10s} {say!r:45s} heard {parse.free_text!r:45s} {acts} "
                  f"[{plan.source}] {(plan.reason or '')[:70]}", flush=True)
    print("ran", ran, "of", len(lines))


if __name__ == "__main__":
    main()
