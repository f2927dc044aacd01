"""Audio files in: wav/flac/ogg/mp3 at any sample rate and channel count -> 16 kHz mono float32.

soundfile (libsndfile >= 1.1 reads mp3 too) is tried first; what it cannot open goes to PyAV through
`faster_whisper.decode_audio` (m4a, opus in webm, ...). Every problem a user can cause is an
`AudioFileError` whose str() is one line naming the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from agent.utterance import SAMPLE_RATE

DEFAULT_MAX_SECONDS = 300.0


class AudioFileError(Exception):
    """A file that cannot be used as speech; str() is the one-line message for the user."""


def to_mono_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    """Downmix (mean of channels) and resample with soxr to 16 kHz float32."""
    a = np.asarray(audio, dtype=np.float32)
    if a.ndim == 2:
        a = a.mean(axis=1) if a.shape[1] > 1 else a[:, 0]
    if rate != SAMPLE_RATE and len(a):
        import soxr

        a = soxr.resample(a, rate, SAMPLE_RATE, quality="HQ")
    return np.ascontiguousarray(a, dtype=np.float32)


def _too_long(path: Path, seconds: float, max_seconds: float) -> AudioFileError:
    return AudioFileError(f"{path}: too long ({seconds:.0f} s; at most {max_seconds:.0f} s is accepted)")


def _read_soundfile(path: Path, max_seconds: float) -> np.ndarray | None:
    """The file's audio, or None when libsndfile does not know the format."""
    import soundfile as sf

    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError):
        return None
    if info.samplerate > 0 and info.frames > 0 and info.frames / info.samplerate > max_seconds:
        raise _too_long(path, info.frames / info.samplerate, max_seconds)
    try:
        audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as e:
        raise AudioFileError(f"{path}: cannot decode audio: {e}") from None
    return to_mono_16k(audio, rate)


def _read_pyav(path: Path) -> np.ndarray:
    try:
        from faster_whisper.audio import decode_audio

        return np.asarray(decode_audio(str(path), sampling_rate=SAMPLE_RATE), dtype=np.float32)
    except Exception:  # PyAV raises its own zoo of errors for non-media files
        raise AudioFileError(f"{path}: not an audio file (or a format neither libsndfile nor ffmpeg reads)") \
            from None


def load_audio(path: str | Path, max_seconds: float = DEFAULT_MAX_SECONDS) -> np.ndarray:
    """16 kHz mono float32 samples of `path`. Raises AudioFileError (missing, not audio, empty, too long)."""
    p = Path(path)
    if not p.exists():
        raise AudioFileError(f"{p}: no such file")
    if p.is_dir():
        raise AudioFileError(f"{p}: is a directory, not an audio file")
    try:
        size = p.stat().st_size
        with p.open("rb"):
            pass
    except OSError as e:
        raise AudioFileError(f"{p}: cannot read: {e.strerror}") from None
    if size == 0:
        raise AudioFileError(f"{p}: empty file")
    audio = _read_soundfile(p, max_seconds)
    if audio is None:
        audio = _read_pyav(p)
    if len(audio) == 0:
        raise AudioFileError(f"{p}: contains no audio samples")
    if len(audio) / SAMPLE_RATE > max_seconds:
        raise _too_long(p, len(audio) / SAMPLE_RATE, max_seconds)
    return audio
