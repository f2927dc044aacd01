"""Which window to read a looping or unsure short reading again on: on the dev set's command clips whose
short-window reading (agent/listen/window.py) loops or is unsure (below asr.UNSURE_SCORE), the 30 s window's
reading beside rereads with S<p> (p s of padding, spliced in front of the padding's encoding, as
`Transcriber._reread`) or F<n> (n mel frames, not spliced): text, score, time, exact plan, degenerate.
docs/BENCHMARKS.md, "The reread on a padded window".

    HF_HUB_OFFLINE=1 .venv/bin/python bench/reread_windows.py dev 30 out.json [skip: clips of --limit N left out]
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from voxctl.agent.benchmarks import devset
from voxctl.agent.benchmarks.interpret import same_plan
from voxctl.agent.benchmarks.recognition import _reader
from voxctl.agent.config import load_config
from voxctl.agent.interpret.factory import LazyTranscriber
from voxctl.agent.listen.asr import UNSURE_SCORE
from voxctl.agent.listen.hallucination import COMPRESSION_LIMIT, compression_ratio, looping
from voxctl.agent.listen.vad import gate
from voxctl.agent.listen.window import FULL_FRAMES, SAMPLE_RATE, Hypothesis, _storage, max_tokens

VARIANTS = ("S3", "S5", "S10", "F1500")


def main(split: str, limit: int, out: str, skip: int = 0) -> None:
    cfg = load_config(None, {})
    lazy = LazyTranscriber(cfg.asr)
    asr = lazy.get()
    win = asr.window
    _, grammar = _reader(cfg, lazy, devset.macros(), "grammar")
    clips = [c for c in devset.build_devset(split, None, limit) if c.kind == "command"]
    if skip:
        seen = {(c.voice, c.say) for c in devset.build_devset(split, None, skip)}
        clips = [c for c in clips if (c.voice, c.say) not in seen]

    def exact(text: str, plan: list) -> bool:
        got = grammar.analyse(text, None)
        return bool(got.plan.actions) and same_plan(list(got.plan.actions), plan)

    def reread(audio: np.ndarray, name: str) -> dict:
        seconds, own = len(audio) / SAMPLE_RATE, len(audio) * 100 // SAMPLE_RATE
        frames = int(name[1:]) if name[0] == "F" else min(FULL_FRAMES, own + int(float(name[1:]) * 100))
        frames += frames % 2
        t0 = time.perf_counter()
        mel = asr.model.feature_extractor(audio)[:, :frames]
        mel = np.pad(mel, ((0, 0), (0, frames - mel.shape[1]))) if mel.shape[1] < frames else mel
        enc = win.model.encode(_storage(mel[None]), to_cpu=False)
        if name[0] == "S" and frames < FULL_FRAMES:
            short = np.array(enc)
            enc = _storage(np.concatenate([short, win.silence()[:, short.shape[1]:]], axis=1))
        prompt = win.prompt(asr.hint)
        r = win.model.generate(enc, [prompt], beam_size=1, return_scores=True, suppress_blank=True,
                               suppress_tokens=win.suppress, max_length=min(len(prompt) + max_tokens(seconds), 448))[0]
        text = win.tokenizer.decode(r.sequences_ids[0]).strip()
        bad = looping(text) or len(r.sequences_ids[0]) >= max_tokens(seconds) or compression_ratio(text) > COMPRESSION_LIMIT
        return {"text": text, "score": round(float(r.scores[0]), 3), "ms": round((time.perf_counter() - t0) * 1000),
                "degenerate": bad, "frames": frames}

    rows = []
    for c in clips:
        speech = gate(c.audio, cfg.audio)
        if speech is None or len(speech) / SAMPLE_RATE > 10:
            continue
        seconds = len(speech) / SAMPLE_RATE
        first = win.decode(speech, asr.hint, 1).hypotheses
        best = first[0] if first else Hypothesis("", 0.0)
        why = "looping" if looping(best.text) else None
        if why is None:
            _, removed = asr._resolve_loop(speech, best.text, asr.hint)
            why = "degenerate" if not removed and asr._degenerate(best, seconds) else (
                "unsure" if best.score < UNSURE_SCORE else None)
        if why is None:
            continue
        t0 = time.perf_counter()
        full = asr._decode_full(speech, asr.hint, 1, {})
        row = {"voice": c.voice, "say": c.say, "dur": round(seconds, 2), "why": why, "short": best.text,
               "short_score": round(best.score, 3), "short_ok": exact(best.text, c.plan), "full": full.text,
               "full_score": round(full.score or 0, 3), "full_ms": round((time.perf_counter() - t0) * 1000),
               "full_ok": exact(full.text, c.plan)}
        for v in VARIANTS:
            row[v] = reread(speech, v)
            row[v].update(ok=exact(row[v]["text"], c.plan), same_as_full=row[v]["text"] == full.text)
        rows.append(row)
        print(json.dumps(row), flush=True)
    with open(out, "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 0)
