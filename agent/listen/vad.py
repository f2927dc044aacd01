"""The silence gate: silero VAD (the copy shipped inside faster-whisper) trims a recording to its speech.

`trim_speech` returns the speech with a little padding, or None when there is too little of it: the
caller says "heard nothing" and the utterance never reaches the interpreter. Pauses inside a command
("press control ... s") shorter than `MERGE_GAP_MS` are kept, so words are not glued together.
"""

from __future__ import annotations

import numpy as np

from voxctl.agent.utterance import SAMPLE_RATE

HEARD_NOTHING = "heard nothing"
PAD_MS = 200  # speech kept on each side of what silero marks: soft onsets ("f", "s") score low
MERGE_GAP_MS = 600  # shorter pauses stay inside one speech span


def speech_spans(audio: np.ndarray, threshold: float = 0.5, min_span_ms: int = 60,
                 min_silence_ms: int = MERGE_GAP_MS) -> list[tuple[int, int]]:
    """(start, end) sample ranges silero VAD calls speech, without padding. A span ends after
    `min_silence_ms` of non-speech (a short value finds the end of speech soon after it happens)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) < 512:  # one silero window; less cannot hold a word
        return []
    opts = VadOptions(threshold=threshold, min_speech_duration_ms=min_span_ms,
                      min_silence_duration_ms=min_silence_ms, speech_pad_ms=0)
    stamps = get_speech_timestamps(np.asarray(audio, dtype=np.float32), opts, sampling_rate=SAMPLE_RATE)
    return [(int(s["start"]), int(s["end"])) for s in stamps]


def speech_ms(spans: list[tuple[int, int]]) -> float:
    return sum(e - s for s, e in spans) * 1000 / SAMPLE_RATE


def trim_speech(
    audio: np.ndarray, threshold: float = 0.5, min_speech_ms: int = 200, pad_ms: int = PAD_MS
) -> np.ndarray | None:
    """The speech in `audio` (spans padded and joined), or None when under `min_speech_ms` of speech."""
    return trim_to_spans(audio, speech_spans(audio, threshold), min_speech_ms, pad_ms)


def trim_to_spans(audio: np.ndarray, spans: list[tuple[int, int]], min_speech_ms: int = 200,
                  pad_ms: int = PAD_MS) -> np.ndarray | None:
    """`audio` cut to `spans` (padded; pauses under MERGE_GAP_MS kept), or None with too little speech."""
    if not spans or speech_ms(spans) < min_speech_ms:
        return None
    gap = MERGE_GAP_MS * SAMPLE_RATE // 1000
    joined: list[tuple[int, int]] = []
    for s, e in spans:  # spans found with a shorter silence: close their short pauses as the gate does
        if joined and s - joined[-1][1] < gap:
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    pad = pad_ms * SAMPLE_RATE // 1000
    padded = [(max(0, s - pad), min(len(audio), e + pad)) for s, e in joined]
    merged: list[list[int]] = []
    for s, e in padded:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return np.concatenate([audio[s:e] for s, e in merged]).astype(np.float32, copy=False)


def gate(audio: np.ndarray, audio_config) -> np.ndarray | None:
    """`trim_speech` with the thresholds of `config.audio`."""
    return trim_speech(audio, audio_config.vad_threshold, audio_config.min_speech_ms)
