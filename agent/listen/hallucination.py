"""Whisper's phrases for near-silence ("Thank you.", "Thanks for watching!", "[Music]") are not speech.

Whisper was trained on subtitles, so on silence, breath or hum it writes what subtitles say there.
`strip_hallucinations` removes sentences that are only such a phrase; a real command that contains
the words ("press enter thank you") is a different sentence and stays.

With a vocabulary hint, non-speech that got past the silence gate (a noise burst, hum, a sweep) makes
tiny.en write hint words instead: "press press. press press press ..." `degenerate_segment` spots
those by Whisper's own signals. Measured on the spoken set (108 synthesized commands, hint on): real
speech had no_speech_prob <= 0.12, confidence >= 0.52 and compression ratio <= 1.03; the hallucinations
on noise had no_speech_prob 0.38-0.79 with looping text (compression ratio far above 2.4) or
confidence 0.17-0.19. (The silence gate before Whisper rejected all those noises anyway.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


COMPRESSION_LIMIT = 2.4  # Whisper's own threshold for a decoding stuck in a loop
NO_SPEECH_LIMIT = 0.5
LOW_CONFIDENCE = 0.5


def looping(text: str) -> bool:
    """Few distinct words repeated many times ("press press press press press press")."""
    words = _key(text).split()
    if len(words) >= 3 and len(set(words)) == 1:
        return True
    return len(words) >= 6 and len(set(words)) / len(words) < 0.35


def degenerate_segment(text: str, no_speech_prob: float, confidence: float, compression_ratio: float,
                       seconds: float | None = None) -> bool:
    """True for a segment that is Whisper talking over non-speech rather than transcribing speech. With the
    `seconds` of short audio it was read from, a word or a few said a few times over (`said_again`) is no loop:
    the caller counts the copies on the audio (asr.Transcriber._resolve_loop)."""
    if compression_ratio > COMPRESSION_LIMIT:
        return True
    if looping(text) and not (seconds and no_speech_prob <= SAID_AGAIN_SPEECH and said_again(text, seconds)):
        return True
    # Unsure that there was speech and unsure of the words: the hint talking, not the speaker.
    return (no_speech_prob > NO_SPEECH_LIMIT and confidence < LOW_CONFIDENCE) or (
        no_speech_prob > 0.3 and confidence < 0.3)


def strip_hallucinations(text: str) -> tuple[str, list[str]]:
    """(`text` without near-silence sentences at its start or end, the sentences removed)."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    removed: list[str] = []
    while sentences and is_hallucination(sentences[-1]):
        removed.insert(0, sentences.pop())
    while sentences and is_hallucination(sentences[0]):
        removed.append(sentences.pop(0))
    return " ".join(sentences), removed


def compression_ratio(text: str) -> float:
    """Whisper's measure of repetition: text bytes over zlib-compressed bytes (loops compress well)."""
    import zlib

    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


# --- a sentence heard more times than it was said ------------------------------------------------------
# A decoder stuck in a loop writes what it heard again ("press control s. press control s."), and a
# grammar would run it twice. A person can say a command twice, too ("scroll down. scroll down."). The
# transcript alone cannot tell them apart; the audio can: k copies need time for k copies, and each
# k-th of the audio of a real repetition reads as one copy, while a k-th of one copy reads as a piece.
MAX_WORDS_PER_S = 7.0  # beyond any speaker (synthesized speech at tempo 1.3 peaks at 6.6 words/s)
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Repeat:
    unit: tuple[str, ...]  # the words of one copy (lower case)
    copies: int  # whole copies in the text (a cut-off copy at the end is not counted)
    end_of_first: int  # character offset in the text just after the first copy (and its punctuation)

    def plausible(self, copies: int, seconds: float) -> bool:
        """Whether `seconds` of audio can hold `copies` copies at a speaking rate people reach."""
        return len(self.unit) * copies <= MAX_WORDS_PER_S * seconds

    def text_of(self, text: str, copies: int) -> str:
        """`text` cut after its first `copies` copies."""
        words = list(_WORD.finditer(text))
        if copies * len(self.unit) >= len(words):
            return text.strip()
        end = words[copies * len(self.unit) - 1].end()
        while end < len(text) and text[end] in ".,!?;:":
            end += 1
        return text[:end].strip()


# "undo, undo, undo", "tab tab tab": people say a short command a few times over, and tiny.en writes one copy more
# now and then ("undo. undo. undo. undo."). A repeat of at most this many copies, all of them within the words
# per second people reach, may be speech; more is a loop. Before this, every such reading was dropped as a loop
# and nothing ran (blind probe sets spoken: "undo, undo, undo" in every dev voice, "tab tab tab").
MAX_COPIES_SAID = 5
# ... and only where Whisper is sure there was speech: its loops of hint words over noise came with a no_speech_prob
# of 0.38-0.79 (module docstring), the repeats said in the dev voices with 0.14 at most.
SAID_AGAIN_SPEECH = 0.2


def said_again(text: str, seconds: float) -> bool:
    """Whether `text` is a unit repeated a few times (at most MAX_COPIES_SAID) that `seconds` of audio can hold."""
    rep = repeat_of(text)
    return rep is not None and rep.copies <= MAX_COPIES_SAID and rep.plausible(rep.copies, seconds)


def repeat_of(text: str) -> Repeat | None:
    """The shortest unit the whole text repeats, at least twice ("scroll down. scroll down." -> 2 x
    "scroll down"); a cut-off last copy ("press f. press f. pre") belongs to the loop. None: no repeat."""
    words = [(m.group().lower(), m.end()) for m in _WORD.finditer(text)]
    n = len(words)
    for p in range(1, n // 2 + 1):
        if all(words[i][0] == words[i % p][0] for i in range(n - 1)) and (
                words[n - 1][0] == words[(n - 1) % p][0] or (n % p and words[(n - 1) % p][0].startswith(words[n - 1][0]))):
            end = words[p - 1][1]
            while end < len(text) and text[end] in ".,!?;:":
                end += 1
            return Repeat(tuple(w for w, _ in words[:p]), n // p, end)
    return None


def same_words(unit: tuple[str, ...], text: str, tolerance: int | None = None) -> bool:
    """`text` reads as `unit`, allowing `tolerance` words to differ (default: one in three)."""
    from voxctl.agent.listen.spoken_set import edit_distance

    got = [m.group().lower() for m in _WORD.finditer(text)]
    return edit_distance(unit, got) <= (len(unit) // 3 if tolerance is None else tolerance)
