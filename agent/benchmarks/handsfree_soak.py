"""`voxctl bench handsfree --soak N`: the open microphone's own code path, faster than real time.

No PulseAudio and no wall clock: the audio goes straight into the `Segmenter` (agent/listen/always.py)
that the recorder feeds in always mode, and each utterance it cuts through `OpenMic.judge` (Whisper
tiny.en, the exact grammar), on this thread. Two figures:

- segmentation: each command of the stream (handsfree.COMMANDS and the voice phrases) in SEG_VOICES,
  between silences, cut by the segmenter and recognised, against the same clip trimmed by the offline
  gate (what `hold` mode decodes). A miss is "split" (not one utterance: segmentation), "cut" (only the
  segmented audio is misread: segmentation) or "recognition" (the clip is misread either way).
- memory: N utterances (commands and passages in several voices, random gaps, faint noise) and the RSS
  every SAMPLE_EVERY of them; "after warm-up" is after handsfree.WARM_UTTERANCES.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any

import numpy as np

from voxctl.agent.benchmarks.handsfree import _rss_mb
from voxctl.agent.benchmarks.handsfree_score import WARM_UTTERANCES
from voxctl.agent.benchmarks.handsfree_stream import COMMAND_VOICES, COMMANDS, PASSAGES, VOICES

SEG_VOICES = (*COMMAND_VOICES, "espeak:en-us+m3", "espeak:en-us+f2")
PHRASES = ("stop", "wake up", "go to sleep")  # said alone: right when heard word for word
SAMPLE_EVERY = 20


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.listen.asr_model import bound_native_memory

    bound_native_memory()  # as `voxctl listen` does, before anything is decoded
    from voxctl.agent.config import Config
    from voxctl.agent.handsfree import HandsFree, grammar_doubt, words
    from voxctl.agent.listen.always import Segmenter
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.mic_hooks import Hooks
    from voxctl.agent.listen.open_mic import OpenMic
    from voxctl.agent.listen.vad import trim_speech
    from voxctl.agent.session import Session
    from voxctl.agent.voice_control import exact_grammar

    data = config.model_dump()
    data["hotkey"]["mode"] = "always"
    data["interpreter"].update(backend="grammar", macros_file=None)
    cfg = Config.model_validate(data)
    session = Session.build(cfg)
    transcriber = Transcriber(cfg.asr)
    grammar = exact_grammar(session, transcriber)
    hf = cfg.handsfree

    def right(text: str, said: str) -> bool:
        if said in PHRASES:
            return words(text) == said
        plan = [(a["tool"], a.get("args")) for a in grammar.parse(text).to_json()["actions"]]
        want = [(a["tool"], a.get("args")) for a in grammar.parse(said).to_json()["actions"]]
        return bool(want) and plan == want

    from voxctl.agent.benchmarks.interpret import synthesize

    print("segmentation…")
    model = None
    counts = {"right": 0, "split": 0, "cut": 0, "recognition": 0}
    misses = []
    for said in (*COMMANDS, *PHRASES):
        for voice in SEG_VOICES:
            clip = synthesize(said, voice) * 0.8
            x = np.concatenate([np.zeros(9600, np.float32), clip, np.zeros(16000, np.float32)])
            cut: list[Any] = []
            seg = Segmenter(cut.append, threshold=cfg.audio.vad_threshold, end_silence_ms=hf.end_silence_ms,
                            min_speech_ms=hf.min_speech_ms, max_seconds=hf.max_utterance_s, model=model)
            model = seg.model
            for i in range(0, len(x), 1024):
                seg.feed(x[i:i + 1024])
            heard = [transcriber.transcribe(c.audio).text for c in cut]
            if len(heard) == 1 and right(heard[0], said):
                counts["right"] += 1
                continue
            gated = trim_speech(clip, cfg.audio.vad_threshold)
            offline = transcriber.transcribe(gated).text if gated is not None else ""
            kind = "split" if len(heard) != 1 else "recognition" if not right(offline, said) else "cut"
            counts[kind] += 1
            misses.append((said, voice, kind, heard, offline))
    n = sum(counts.values())
    segmentation = {"clips": n, **counts, "right_pct": round(100 * counts["right"] / n, 1), "misses": misses}
    print(f"  {segmentation}")

    utterances = int(args.soak)
    print(f"memory over {utterances} utterances…")
    pick = random.Random(5)
    clips = [synthesize(c, v) for c in COMMANDS for v in COMMAND_VOICES[:2]]
    clips += [synthesize(p, pick.choice(VOICES)) for p in PASSAGES[:20]]
    nothing = lambda *a: None  # noqa: E731
    mic = OpenMic(transcriber, HandsFree(hf), Hooks(
        accept=lambda text: grammar_doubt(grammar, text, apps=session.app_aliases), on_command=nothing,
        on_answer=nothing, on_stop=nothing, on_drop=nothing, executing=lambda: False, answering=lambda: False),
        vad_threshold=cfg.audio.vad_threshold, min_speech_ms=hf.min_speech_ms)
    mic.segmenter.on_utterance = mic.judge  # on this thread: as fast as the CPU goes
    noise = np.random.default_rng(0)
    series: list[tuple[int, float]] = [(0, _rss_mb())]
    t0, cpu0 = time.monotonic(), time.process_time()
    while mic.heard < utterances:
        clip = clips[pick.randrange(len(clips))] * pick.uniform(0.5, 1.0)
        x = np.concatenate([np.zeros(int(pick.uniform(0.3, 1.2) * 16000), np.float32), clip,
                            np.zeros(int(pick.uniform(0.5, 1.0) * 16000), np.float32)])
        x = (x + noise.normal(0, 0.003, len(x))).astype(np.float32)
        before = mic.heard
        for i in range(0, len(x), 1024):
            mic.feed(x[i:i + 1024])
        if mic.heard // SAMPLE_EVERY > before // SAMPLE_EVERY or mic.heard >= utterances:
            series.append((mic.heard, _rss_mb()))
    warm = next((rss for heard, rss in series if heard >= WARM_UTTERANCES), series[-1][1])
    memory = {
        "utterances": mic.heard, "seconds": round(time.monotonic() - t0, 1),
        "cpu_ms_per_utterance": round(1000 * (time.process_time() - cpu0) / max(1, mic.heard)),
        "rss_mb_start": series[0][1], "rss_mb_after_warmup": warm, "rss_mb_end": series[-1][1],
        "rss_mb_max": max(r for _, r in series), "rss_growth_after_warmup_mb": round(series[-1][1] - warm, 1),
        "onednn_cache": os.environ.get("ONEDNN_PRIMITIVE_CACHE_CAPACITY"), "series": series,
    }
    for k, v in memory.items():
        print(f"  {k}: {v}")
    return {"segmentation": segmentation, "memory": memory}
