"""Dictation mode's hint against the command hint: are its ways out heard, and is dictated text read as said?

    .venv/bin/python scripts/bench_dictation_hint.py [--voices slt,rms,...] [--out F.json]

Each voice says the ways out ("stop dictation", "command mode") three times each (clean, then twice perturbed
as the dev set is: devset.perturb) and 36 dictated texts of the blind probe sets (every other one perturbed),
plus four with a way out's words in them ("stop by later"). Each clip is read with the command hint as
`voxctl listen` gives it in command mode (examples, apps, macros) and with dictation mode's (the grammar's
`hint_sentences`); counted: ways out read exactly, texts read word for word, texts read as a way out.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from pathlib import Path

VOICES = "slt,rms,awb,kal16,en-us+m1,en-us+f2,en-us+m5,en-us+klatt,en-us+m3,kal"
EXITS = ("command mode", "stop dictation")


def texts() -> list[str]:
    found = set()
    for f in sorted(glob.glob(str(Path(__file__).resolve().parents[1] / "tests/data/blind/*.jsonl"))):
        for line in open(f, encoding="utf-8"):
            plan = json.loads(line).get("plan") or []
            if len(plan) == 1 and plan[0]["tool"] == "type_text":
                found.add(plan[0]["args"]["text"])
    return sorted(found)[::2][:40] + ["stop by later", "stop the car", "the dictation was fine", "common mode of failure"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--voices", default=VOICES)
    ap.add_argument("--out")
    a = ap.parse_args()
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.benchmarks.interpret import plain
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.dictation_mode import DictationMode
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.vocabulary import build_hotwords
    from voxctl.agent.session import Session

    config = load_config(None)
    t = Transcriber(config.asr)
    devset.hint_as_listen(t, config, devset.macros())
    session = Session.build(config)
    g = GrammarInterpreter(config, session.macros, None, spec=session.grammar)
    g.dictation_mode = DictationMode(True)
    hints = {"commands": t.hint, "dictation": build_hotwords(examples=g.hint_sentences())}
    per: dict[str, dict[str, dict[str, int]]] = {}
    for v in a.voices.split(","):
        items = [("exit", p) for p in EXITS] * 3 + [("text", x) for x in texts()]
        per[v] = {h: {"exit_ok": 0, "exit_n": 0, "text_ok": 0, "text_n": 0, "false_exit": 0} for h in hints}
        for k, (kind, said) in enumerate(items):
            audio = devset.synthesize(said, v)
            if (kind == "exit" and k >= 2) or (kind == "text" and k % 2):
                audio = devset.perturb(audio, devset.choose_perturbation(said + str(k), v))
            for name, hint in hints.items():
                r, c = plain(t.transcribe(audio, hotwords=hint).text), per[v][name]
                if kind == "exit":
                    c["exit_n"] += 1
                    c["exit_ok"] += r == said
                else:
                    c["text_n"] += 1
                    c["text_ok"] += r == plain(said)
                    c["false_exit"] += r in EXITS
        print(v, json.dumps(per[v]), flush=True)
    total = {h: {k: sum(per[v][h][k] for v in per) for k in per[next(iter(per))][h]} for h in hints}
    print("total", json.dumps(total))
    if a.out:
        Path(a.out).write_text(json.dumps({"hints": hints, "per_voice": per, "total": total}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
