"""The check of commands heard only with the recogniser's command hint (agent/interpret/unhinted.py), on spoken
blind probe lines: each read as `voxctl listen` reads it (the hinted reading, GrammarInterpreter._read), and where
the grammar reads a command, read again without the hint and both forced through Whisper without it.

    .venv/bin/python scripts/bench_unhinted.py --collect bench/results/unhinted-DATE-readings.jsonl
    .venv/bin/python scripts/bench_unhinted.py --report bench/results/unhinted-DATE-readings.jsonl

`--collect` (about 8 minutes on 2 cores): probe1's commands in slt and en-us+m1, the talk of every probe set in
en-us+m1 and probe4's in slt (dev voices; the held-out set is not read). `--report`: for the shipped rule and a
sweep of MARGIN and PLAIN_SURE, the commands read right that it would stop, the wrong commands and the talk that
acted that it would stop.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys


def collect(out_path: str) -> None:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import bench_blind

    from voxctl.agent.benchmarks import blind, devset
    from voxctl.agent.interpret.unhinted import restyled
    from voxctl.agent.listen.vad import gate

    config, hybrid = bench_blind._hybrid(True)
    grammar = hybrid.grammar
    tr = grammar.transcriber.get()
    items = [(line, v, "cmd") for line in blind.load("probe1") if line["plan"] for v in ("slt", "en-us+m1")]
    items += [(line, "en-us+m1", "talk") for s in blind.DEV_SETS for line in blind.load(s) if not line["plan"]]
    items += [(line, "slt", "talk") for line in blind.load("probe4") if not line["plan"]]
    with open(out_path, "w", encoding="utf-8") as out:
        for n, (line, voice, kind) in enumerate(items, 1):
            speech = gate(devset._speech_clip(devset._Item(line["say"], [], "command"), voice).audio, config.audio)
            if speech is None:
                continue
            p = grammar._read(speech)
            row = {"kind": kind, "voice": voice, "say": line["say"], "acts": bool(p.plan.actions),
                   "right": blind.right(p.plan.actions, line) if line["plan"] else not p.plan.actions}
            if p.plan.actions and not p.refused:
                chosen = (p.chosen_text or p.plan.transcript).strip()
                plain = tr.transcribe(speech, hotwords="").text.strip()
                row.update(chosen=chosen, plain=plain, plain_cmd=bool(plain) and bool(grammar.analyse(plain).plan.actions))
                if plain:
                    a, b = tr.score(speech, [restyled(chosen), plain])
                    row.update(s_chosen=a.score, s_plain=b.score)
            out.write(json.dumps(row) + "\n")
            if n % 50 == 0:
                print(f"{n}/{len(items)}", file=sys.stderr, flush=True)


def report(path: str) -> None:
    from voxctl.agent.interpret import unhinted

    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    cmd = [r for r in rows if r["kind"] == "cmd"]
    talk = [r for r in rows if r["kind"] == "talk"]
    print(f"{len(rows)} lines: commands read right by the hinted grammar {sum(r['right'] for r in cmd)}/{len(cmd)}, "
          f"talk it read as a command {sum(r['acts'] for r in talk)}/{len(talk)}")

    def stopped(r: dict, margin: float, sure: float) -> bool:
        if not r["acts"] or "s_plain" not in r or r["plain_cmd"] or not unhinted.left_out(r["chosen"], r["plain"]):
            return False
        return unhinted.made_by_hint(r["s_chosen"], r["s_plain"], margin, sure)

    print("MARGIN PLAIN_SURE  right stopped  wrong stopped  talk stopped")
    for margin, sure in itertools.product((0.0, 0.2, 0.4, 0.7, 1.0), (-9.0, -1.5, -1.2, -1.0, -0.8)):
        mark = "  <- shipped" if (margin, sure) == (unhinted.MARGIN, unhinted.PLAIN_SURE) else ""
        print(f"{margin:6} {sure:10}  {sum(r['right'] and stopped(r, margin, sure) for r in cmd):13}  "
              f"{sum(r['acts'] and not r['right'] and stopped(r, margin, sure) for r in cmd):13}  "
              f"{sum(stopped(r, margin, sure) for r in talk):12}{mark}")
    for r in rows:
        if stopped(r, unhinted.MARGIN, unhinted.PLAIN_SURE):
            print(f"  stopped ({r['kind']}, {'right' if r['right'] else 'wrong'}): {r['chosen']!r} <- {r['plain']!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--collect", metavar="OUT")
    ap.add_argument("--report", metavar="FILE")
    a = ap.parse_args()
    if a.collect:
        collect(a.collect)
    if a.report:
        report(a.report)


if __name__ == "__main__":
    main()
