"""CPU time per spoken command with the reread on the 30 s window (`asr.reread_pad_s: 0`, before 2026-12-04)
and on the padded window (5 s, the default), alternated clip by clip in one process, beside the full-window
decoding of the same clip. Process time counts this process's threads only, so the load of other jobs on a
shared box hardly enters (wall time does: it is kept too). docs/BENCHMARKS.md, "The reread on a padded window".

    HF_HUB_OFFLINE=1 .venv/bin/python bench/reread_cpu.py slt,rms,awb,kal16 40 bench/results/reread-cpu-....json
"""

from __future__ import annotations

import json
import sys
import time

from voxctl.agent.benchmarks.interpret import load_spoken_set, same_plan, synthesize
from voxctl.agent.benchmarks.recognition import full_window
from voxctl.agent.config import load_config
from voxctl.agent.interpret.factory import LazyTranscriber, make_interpreter
from voxctl.agent.listen.vad import gate
from voxctl.agent.session import Session
from voxctl.agent.utterance import Utterance


def main(voices: list[str], limit: int, out: str) -> None:
    cfg = load_config(None, {})
    macros, commands = load_spoken_set()
    lazy = LazyTranscriber(cfg.asr)
    asr = lazy.get()
    interp = make_interpreter(Session.build(cfg, macros=macros), transcriber=lazy, notify=lambda m: None)
    getattr(interp, "warm", lambda: None)()
    confs = {w: asr.config.model_copy(update={"reread_pad_s": pad}) for w, pad in (("before", 0.0), ("after", 5.0))}
    rows = []
    for voice in voices:
        for i, c in enumerate(commands[:limit]):
            speech = gate(synthesize(c.say, voice), cfg.audio)
            if speech is None:
                continue
            row: dict = {"voice": voice, "say": c.say, "s": round(len(speech) / 16000, 2)}
            for which in (["before", "after", "ref"] if i % 2 == 0 else ["ref", "after", "before"]):
                asr.forget()
                asr.spent.take()
                c0, w0 = time.process_time(), time.perf_counter()
                if which == "ref":
                    full_window(asr, speech)
                else:
                    asr.config = confs[which]
                    plan = interp.interpret(Utterance(audio=speech))
                    spent = asr.spent.take()
                    row.update({f"{which}_ok": bool(plan.actions) and same_plan(list(plan.actions), c.plan),
                                f"{which}_heard": plan.transcript, f"{which}_steps": spent["ms"],
                                f"{which}_notes": spent["notes"]})
                row[f"{which}_cpu"] = round((time.process_time() - c0) * 1000)
                row[f"{which}_wall"] = round((time.perf_counter() - w0) * 1000)
            rows.append(row)
            print(json.dumps(row), flush=True)
    with open(out, "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1].split(","), int(sys.argv[2]), sys.argv[3])
