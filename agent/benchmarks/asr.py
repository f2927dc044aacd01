"""`voxctl bench asr`: the configured Whisper model (default: bundled tiny.en) on this machine.

Model load time (cold, in this process), then every phrase of the spoken evaluation set
(tests/data/spoken_commands.yaml, via agent/listen/spoken_set.py) synthesized by flite voices, transcribed one at a time as `voxctl listen`
does (silence gate first, default vocabulary hint): latency per utterance, real-time factor (decode
time / audio time) and word accuracy. The first decoding is a warm-up and not counted.
"""

from __future__ import annotations

import time
from typing import Any

from voxctl.agent.benchmarks.interpret import synthesize, tts_available
from voxctl.agent.benchmarks.stats import stats

VOICES = ("slt", "rms")


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.spoken_set import command_phrases, word_accuracy
    from voxctl.agent.listen.vad import gate

    voices = [v for v in VOICES if tts_available(v)]
    if not voices:
        raise RuntimeError("flite is needed to speak the phrases (apt-get install flite)")
    limit = getattr(args, "limit", None)
    phrases = command_phrases()[:limit] if limit else command_phrases()
    t0 = time.perf_counter()
    asr = Transcriber(config.asr)
    load_ms = (time.perf_counter() - t0) * 1000
    print(f"model {config.asr.model} on {asr.device} ({asr.compute_type}, {config.asr.threads} threads): "
          f"loaded in {load_ms:.0f} ms; {len(phrases)} phrases x {len(voices)} voices")
    results: dict[str, Any] = {"model": config.asr.model, "device": asr.device, "compute_type": asr.compute_type,
                               "load_ms": round(load_ms, 1), "voices": {}}
    for voice in voices:
        clips = [(p, synthesize(p, voice)) for p in phrases]
        asr.transcribe(clips[0][1])  # warm-up
        ms, rtf, pairs, seconds = [], [], [], []
        for phrase, audio in clips:
            speech = gate(audio, config.audio)
            if speech is None:
                pairs.append((phrase, ""))
                continue
            t = time.perf_counter()
            text = asr.transcribe(speech).text
            took = (time.perf_counter() - t) * 1000
            ms.append(took)
            seconds.append(len(speech) / 16000)
            rtf.append(took / 1000 / (len(speech) / 16000))
            pairs.append((phrase, text))
        acc = word_accuracy(pairs)
        v = results["voices"][voice] = {"latency_ms": stats(ms), "rtf": stats(rtf, 3), "audio_s": stats(seconds),
                                        "word_accuracy": round(acc, 3)}
        print(f"  {voice:5} latency p50 {v['latency_ms']['p50']} ms, p95 {v['latency_ms']['p95']} ms; RTF p50 "
              f"{v['rtf']['p50']:.3f}; audio p50 {v['audio_s']['p50']:.2f} s; word accuracy {acc:.3f}")
    return results
