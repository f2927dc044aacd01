"""Letter keys heard with and without the recogniser's command hint: "press [control|alt] <letter>" for a-z in each
voice (the modifier rotates with the letter and the voice), read as `voxctl listen` reads it with the letter look off
(agent/interpret/letters_look.py) and on, and once more without the hint (one greedy decoding of the same encoding);
where the reading has a letter heard as one, that reading forced through Whisper without the hint with each letter of
the alphabet in its place (what letters_look.MARGIN was chosen on).

    .venv/bin/python scripts/bench_letters.py --voices slt,en-us+m1,en-us+f2,en-us+m5,rms,awb --out F.jsonl
    .venv/bin/python scripts/bench_letters.py --report F.jsonl

About 5 minutes for six voices on 2 cores. One JSON line per clip."""

from __future__ import annotations

import argparse
import json
import string
import sys

MODIFIERS = ("control", "alt", "")


def collect(voices: list[str], out_path: str) -> None:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import bench_blind

    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret import letters_look
    from voxctl.agent.interpret.unhinted import restyled
    from voxctl.agent.listen.vad import gate

    config, hybrid = bench_blind._hybrid(True)
    grammar = hybrid.grammar
    tr = grammar.transcriber.get()

    def keys(plan) -> list:
        return [a.args.model_dump(mode="json").get("keys") for a in plan.actions]

    with open(out_path, "w", encoding="utf-8") as out:
        for v, voice in enumerate(voices):
            for i, letter in enumerate(string.ascii_lowercase):
                mod = MODIFIERS[(i + v) % 3]
                say = f"press {mod} {letter}".replace("  ", " ")
                want = ([{"control": "ctrl"}.get(mod, mod)] if mod else []) + [letter]
                speech = gate(devset._speech_clip(devset._Item(say, [], "command"), voice).audio, config.audio)
                if speech is None:
                    continue
                letters_look.ON = False
                p = grammar.read(speech)
                letters_look.ON = True
                chosen = (p.chosen_text or p.plan.transcript).strip()
                plain = tr.nbest(speech, 1, hotwords="")
                plain_text = plain[0].text.strip() if plain else ""
                row = {"voice": voice, "say": say, "want": want, "letter": letter, "chosen": chosen, "got": keys(p.plan),
                       "plain": plain_text, "plain_got": keys(grammar.analyse(plain_text).plan),
                       "look_got": keys(grammar.read(speech).plan)}
                if letters_look._the_letter(p) is not None:  # each letter in the heard one's place, without the hint
                    text = restyled(chosen)
                    at = letters_look._LETTER.search(text)
                    if at is not None:
                        row["heard"] = at.group(0).lower()
                        row["forced"] = [f.score for f in tr.score(
                            speech, [text[:at.start()] + x.upper() + text[at.end():] for x in string.ascii_lowercase])]
                out.write(json.dumps(row) + "\n")


def report(path: str) -> None:
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    right = [r["got"] == [r["want"]] for r in rows]
    plain = [r["plain_got"] == [r["want"]] for r in rows]
    pairs = list(zip(right, plain, strict=True))
    print(f"{len(rows)} clips: right with the hint {sum(right)}, without it {sum(plain)}; they differ on "
          f"{sum(a != b for a, b in pairs)}: hint right {sum(a and not b for a, b in pairs)}, "
          f"plain right {sum(b and not a for a, b in pairs)}")
    if all("look_got" in r for r in rows):
        print(f"the shipped path, the letter look off / on: {sum(right)} / "
              f"{sum(r['look_got'] == [r['want']] for r in rows)} right")
        print("per voice (letter look off / on, of clips): " + ", ".join(
            f"{v} {sum(r['got'] == [r['want']] for r in rows if r['voice'] == v)}/"
            f"{sum(r['look_got'] == [r['want']] for r in rows if r['voice'] == v)} of "
            f"{sum(r['voice'] == v for r in rows)}" for v in dict.fromkeys(r["voice"] for r in rows)))
    from voxctl.agent.interpret.letters_look import hint_letters
    from voxctl.agent.listen.vocabulary import EXAMPLE_COMMANDS

    own = hint_letters(". ".join(EXAMPLE_COMMANDS))  # the hint's own letters (letters_look)
    for which, scored in (("any letter", [r for r in rows if "forced" in r]),
                          (f"a letter the hint says ({', '.join(sorted(own))})",
                           [r for r in rows if "forced" in r and r["heard"] in own])):
        print(f"{len(scored)} clips with {which} heard as one; a letter MARGIN likelier than the heard one taken:")
        _sweep(scored)


def _sweep(scored: list[dict]) -> None:
    for margin in (0.0, 0.1, 0.2, 0.3, 0.5, 1.0):
        gained = lost = 0
        for r in scored:
            best = max(range(26), key=r["forced"].__getitem__)
            heard = string.ascii_lowercase.index(r["heard"])
            if best == heard or r["forced"][best] - r["forced"][heard] <= margin:
                continue
            was, now = r["got"] == [r["want"]], string.ascii_lowercase[best] == r["letter"]
            gained, lost = gained + (now and not was), lost + (was and not now)
        print(f"  MARGIN {margin}: right gained {gained}, lost {lost} (before the riskier-chord rule)")


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
