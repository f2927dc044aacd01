"""Chords the recogniser's hint quotes, read with and without their check on the audio (key_check.quoted).

    .venv/bin/python scripts/bench_quoted_chords.py [--voices V1,V2] [--phrases "press alt tab|alt tab|..."] [--out F]

Each phrase is synthesized in each voice clean and as the spoken dev set perturbs it, gated, and read by the grammar
(GrammarInterpreter._read, the bundled Whisper with the hint `voxctl listen` gives) twice: with
grammar.QUOTED_RECHECK off and on. Prints both plans per clip, the likeliest other candidate's forced-score gap over
the reading, and the counts of clips changed to right, changed to wrong and changed between two wrong plans.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

PHRASES = {  # said -> the keys it presses
    "press alt tab": ["alt", "tab"], "alt tab": ["alt", "tab"], "hit alt tab": ["alt", "tab"],
    "switch windows with alt tab": ["alt", "tab"], "press alt f": ["alt", "f"], "press control c": ["ctrl", "c"],
    "press control z": ["ctrl", "z"], "press control x": ["ctrl", "x"], "press control a": ["ctrl", "a"],
    "select everything": ["ctrl", "a"],
}
VOICES = "slt,rms,awb,kal16,en-us+m1,en-us+f2,en-us+m5,en-us+klatt,en-us+m3,kal"


def main() -> None:
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret import grammar as gm
    from voxctl.agent.interpret.factory import LazyTranscriber
    from voxctl.agent.listen.vad import gate

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--voices", default=VOICES)
    ap.add_argument("--phrases", default="|".join(PHRASES))
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    config = load_config(None)
    tr = LazyTranscriber(config.asr).get()
    macros = devset.macros()
    devset.hint_as_listen(tr, config, macros, ())
    g = gm.GrammarInterpreter(config, macros, tr)
    rows: list[dict[str, Any]] = []
    counts = {"fixed": 0, "broken": 0, "wrong_to_wrong": 0, "clips": 0}
    for said in a.phrases.split("|"):
        want = PHRASES.get(said)
        for voice in a.voices.split(","):
            for perturbed in (False, True):
                audio = devset._speech_clip(devset._Item(said, [], "command"), voice).audio if perturbed \
                    else devset.synthesize(said, voice)
                speech = gate(audio, config.audio)
                if speech is None:
                    continue
                got = {}
                for on in (False, True):
                    gm.QUOTED_RECHECK = on
                    r = g._read(speech)
                    ref = next((c.score for c in r.candidates or () if c.text == r.free_text), None)
                    best = max(((c.score, c.text) for c in r.candidates or () if c.text != r.free_text
                                and c.score is not None), default=(None, None))
                    got[on] = {"read": r.chosen_text or r.free_text,
                               "keys": [getattr(c.args, "keys", c.tool) for c in r.plan.actions],
                               "gap": None if ref is None or best[0] is None else round(best[0] - ref, 2),
                               "other": best[1]}
                counts["clips"] += 1
                if got[False]["keys"] != got[True]["keys"]:
                    right = [[*want]] if want else None
                    if got[True]["keys"] == right:
                        counts["fixed"] += 1
                    elif got[False]["keys"] == right:
                        counts["broken"] += 1
                    else:
                        counts["wrong_to_wrong"] += 1
                rows.append({"said": said, "voice": voice, "perturbed": perturbed, "off": got[False], "on": got[True]})
                print(json.dumps(rows[-1]), flush=True)
    gm.QUOTED_RECHECK = True
    print(json.dumps(counts))
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump({"counts": counts, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
