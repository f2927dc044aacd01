"""What the look by sound costs where it runs (a short utterance no other look made a command of), beside the
full 30 s window's decoding of the same clip in the same run, idle or with `--load N` CPU-bound workers.

    nice -n 5 .venv/bin/python scripts/bench_sounds_cost.py [--load 2]

Clips: misread short commands and short talk the look weighed on scripts/bench_sounds.py, perturbation variant
10, read twice. The look's time is the head (its own short encoding) and Whisper's forced scoring with the hint.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

CLIPS = [("show numbers", "en-us+m3"), ("bold", "en-us+f3"), ("cut that", "en-us+f3"), ("new tab", "en-us+f3"),
         ("home", "en-us+klatt2"), ("paste", "kal"), ("and do", "kal16"), ("next time", "slt")]


def main(argv: list[str] | None = None) -> int:
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.benchmarks.load import busy, describe
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.sound_look import by_sound
    from voxctl.agent.listen.asr import Transcriber

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--load", type=int, default=0, help="CPU-bound workers alongside (default 0: idle)")
    args = p.parse_args(argv)
    cfg = load_config()
    tr = Transcriber(cfg.asr)
    g = GrammarInterpreter(cfg, devset.macros(), tr)
    audios = [devset.perturb(devset.synthesize(s, v), devset.choose_perturbation(f"{s}#10", v)).astype("float32")
              for s, v in CLIPS]
    by_sound(g, audios[0], tr.transcribe(audios[0]).text)  # the head loaded, the decoder warm
    look, full = [], []
    with busy(args.load) as info:
        for audio in audios * 2:
            text = tr.transcribe(audio).text
            t0 = time.perf_counter()
            by_sound(g, audio, text)
            look.append((time.perf_counter() - t0) * 1000)
            tr.forget()
            t0 = time.perf_counter()
            tr.window.decode(audio, full=True)
            full.append((time.perf_counter() - t0) * 1000)

    def q(x: list[float]) -> str:
        return f"p50 {statistics.median(x):.0f} / p95 {sorted(x)[int(0.95 * (len(x) - 1))]:.0f} ms"

    print(f"look by sound {q(look)}; full-window decoding {q(full)}; ratio of p50s "
          f"{statistics.median(look) / statistics.median(full):.2f}; {describe(info)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
