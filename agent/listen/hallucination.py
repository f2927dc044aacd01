"""Whisper's phrases for near-silence ("Thank you.", "Thanks for watching!", "[Music]") are not speech.

Whisper was trained on subtitles, so on silence, breath or hum it writes what subtitles say there.
`strip_hallucinations` removes sentences that are only such a phrase; a real command that contains
the words ("press enter thank you") is a different sentence and stays.
"""

from __future__ import annotations

import re

KNOWN_PHRASES: frozenset[str] = frozenset({
    "thank you", "thank you very much", "thank you so much", "thanks", "thanks for watching",
    "thank you for watching", "thanks for listening", "thank you for listening",
    "thank you for watching and ill see you next time", "please subscribe", "subscribe",
    "like and subscribe", "please like and subscribe", "dont forget to subscribe",
    "subscribe to my channel", "see you next time", "ill see you next time", "see you in the next video",
    "bye", "bye bye", "goodbye", "you", "so", "the end", "music", "silence", "applause", "laughter",
    "subtitles by the amaraorg community", "transcribed by", "im sorry", "hmm", "um", "uh",
})

_NON_SPEECH = re.compile(r"^\s*[\[\(\*♪].*[\]\)\*♪]\s*$")  # "[Music]", "(upbeat music)", "*sigh*", "♪ ♪"
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]+", "", text.lower().replace("-", " ")).split())


def is_hallucination(text: str) -> bool:
    """True when all of `text` is a near-silence phrase or a bracketed sound label."""
    t = text.strip()
    if not t:
        return False
    if _NON_SPEECH.match(t):
        return True
    sentences = [s for s in _SENTENCE.findall(t) if _key(s)]
    return bool(sentences) and all(_key(s) in KNOWN_PHRASES or _NON_SPEECH.match(s) for s in sentences)


def strip_hallucinations(text: str) -> tuple[str, list[str]]:
    """(`text` without near-silence sentences at its start or end, the sentences removed)."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    removed: list[str] = []
    while sentences and is_hallucination(sentences[-1]):
        removed.insert(0, sentences.pop())
    while sentences and is_hallucination(sentences[0]):
        removed.append(sentences.pop(0))
    return " ".join(sentences), removed
