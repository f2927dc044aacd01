"""Audio files in: wav/flac/ogg/mp3 at any sample rate and channel count -> 16 kHz mono float32.

soundfile (libsndfile >= 1.1 reads mp3 too) is tried first; what it cannot open goes to PyAV (m4a,
opus in webm, ...). Every problem a user can cause is an `AudioFileError` whose str() is one line naming
the file. The length limit is checked before decoding wherever the file states its length (a 6 h file
is refused from its header, not after filling gigabytes), and while decoding where it does not. Only a
regular file is read (a FIFO would block forever). libmpg123's "Note:"/"Warning:" lines, printed
straight to the process's stderr, are held back.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from voxctl.agent.utterance import SAMPLE_RATE

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


# What libmpg123 (inside libsndfile) writes to fd 2 on its own: "Note: Illegal Audio-MPEG-Header ...",
# "Warning: Xing stream size off by more than 1% ...", "[src/libmpg123/...] error: ...".
_DECODER_CHATTER = re.compile(r"^(Note|Warning): |^\[src/libmpg123/|^\[\S*mpg123\S*\] ")


@contextlib.contextmanager
def _decoder_chatter_held() -> Iterator[None]:
    """Holds back what C decoders print straight to file descriptor 2 while a file is read; anything
    that is not their chatter is written out afterwards."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            kept = [line for line in held.read().decode("utf-8", "replace").splitlines(keepends=True)
                    if not _DECODER_CHATTER.match(line)]
            if kept:
                os.write(2, "".join(kept).encode())


def _read_soundfile(path: Path, max_seconds: float) -> np.ndarray | None:
    """The file's audio, or None when libsndfile does not know the format."""
    import soundfile as sf

    try:
        with _decoder_chatter_held():
            info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError):
        return None
    if info.samplerate > 0 and info.frames > 0 and info.frames / info.samplerate > max_seconds:
        raise _too_long(path, info.frames / info.samplerate, max_seconds)
    try:
        with _decoder_chatter_held():
            audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as e:
        raise AudioFileError(f"{path}: cannot decode audio: {e}") from None
    return to_mono_16k(audio, rate)


def _not_audio(path: Path) -> AudioFileError:
    return AudioFileError(f"{path}: not an audio file (or a format neither libsndfile nor ffmpeg reads)")


def _read_pyav(path: Path, max_seconds: float) -> np.ndarray:
    """Decodes with PyAV to 16 kHz mono: refused from the stated length when there is one, and cut off
    as soon as the decoded audio passes the limit when there is none (memory stays bounded)."""
    try:
        import av
    except ImportError:
        raise _not_audio(path) from None
    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    decoded = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise _not_audio(path)
            stream = container.streams.audio[0]
            stated = container.duration / av.time_base if container.duration else None
            if stated is None and stream.duration and stream.time_base:
                stated = float(stream.duration * stream.time_base)
            if stated is not None and stated > max_seconds:
                raise _too_long(path, stated, max_seconds)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    decoded += len(chunk)
                if decoded > limit:
                    raise AudioFileError(f"{path}: too long (more than {max_seconds:.0f} s, the most accepted)")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioFileError:
        raise
    except Exception:  # PyAV raises its own zoo of errors for non-media files
        raise _not_audio(path) from None
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def load_audio(path: str | Path, max_seconds: float = DEFAULT_MAX_SECONDS) -> np.ndarray:
    """16 kHz mono float32 samples of `path`. Raises AudioFileError (missing, not audio, empty, too long)."""
    p = Path(path)
    if not p.exists():
        raise AudioFileError(f"{p}: no such file")
    if p.is_dir():
        raise AudioFileError(f"{p}: is a directory, not an audio file")
    try:
        # Opened without blocking and checked on the open file: a FIFO must be refused, not waited on.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
        try:
            st = os.fstat(fd)
        finally:
            os.close(fd)
    except OSError as e:
        raise AudioFileError(f"{p}: cannot read: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise AudioFileError(f"{p}: is {kind}, not a regular file; give a recording saved to a file")
    if st.st_size == 0:
        raise AudioFileError(f"{p}: empty file")
    audio = _read_soundfile(p, max_seconds)
    if audio is None:
        audio = _read_pyav(p, max_seconds)
    if len(audio) == 0:
        raise AudioFileError(f"{p}: contains no audio samples")
    if len(audio) / SAMPLE_RATE > max_seconds:
        raise _too_long(p, len(audio) / SAMPLE_RATE, max_seconds)
    return audio
