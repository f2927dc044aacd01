"""Letter keys heard with and without the recogniser's command hint: "press [control|alt] <letter>" for a-z in each
voice (the modifier rotates with the letter and the voice), read as `voxctl listen` reads it (the hinted reading,
GrammarInterpreter._read) and once more without the hint (one greedy decoding of the same encoding).

    .venv/bin/python scripts/bench_letters.py --voices slt,en-us+m1,en-us+f2,en-us+m5,rms,awb --out F.jsonl
    .venv/bin/python scripts/bench_letters.py --report F.jsonl

About 3 minutes for six voices on 2 cores. One JSON line per clip: what was said, the keys wanted, each reading and
the keys the grammar reads from it.
"""

from __future__ import annotations

import argparse
import json
import sys

MODIFIERS = ("control", "alt", "")


def collect(voices: list[str], out_path: str) -> None:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import bench_blind

    from voxctl.agent.benchmarks import devset
    from voxctl.agent.listen.vad import gate

    config, hybrid = bench_blind._hybrid(True)
    grammar = hybrid.grammar
    tr = grammar.transcriber.get()

    def keys(plan) -> list:
        return [a.args.model_dump(mode="json").get("keys") for a in plan.actions]

    with open(out_path, "w", encoding="utf-8") as out:
        for v, voice in enumerate(voices):
            for i, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
                mod = MODIFIERS[(i + v) % 3]
                say = f"press {mod} {letter}".replace("  ", " ")
                want = ([{"control": "ctrl"}.get(mod, mod)] if mod else []) + [letter]
                speech = gate(devset._speech_clip(devset._Item(say, [], "command"), voice).audio, config.audio)
                if speech is None:
                    continue
                p = grammar._read(speech)
                plain = tr.nbest(speech, 1, hotwords="")
                plain_text = plain[0].text.strip() if plain else ""
                out.write(json.dumps({"voice": voice, "say": say, "want": want,
                                      "chosen": (p.chosen_text or p.plan.transcript).strip(), "got": keys(p.plan),
                                      "plain": plain_text, "plain_got": keys(grammar.analyse(plain_text).plan)}) + "\n")


def report(path: str) -> None:
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    right = [r["got"] == [r["want"]] for r in rows]
    plain = [r["plain_got"] == [r["want"]] for r in rows]
    pairs = list(zip(right, plain, strict=True))
    print(f"{len(rows)} clips: right with the hint {sum(right)}, without it {sum(plain)}; they differ on "
          f"{sum(a != b for a, b in pairs)}: hint right {sum(a and not b for a, b in pairs)}, "
          f"plain right {sum(b and not a for a, b in pairs)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--voices", default="slt,en-us+m1,en-us+f2,en-us+m5,rms,awb")
    ap.add_argument("--out", metavar="F.jsonl")
    ap.add_argument("--report", metavar="F.jsonl")
    a = ap.parse_args()
    if a.out:
        collect(a.voices.split(","), a.out)
    if a.report:
        report(a.report)


if __name__ == "__main__":
    main()
