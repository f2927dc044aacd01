"""The microphones PortAudio offers: loading sounddevice, listing the input devices, finding the one
`audio.device` names, and the one-line `RecorderError` for what a user can get wrong (no PortAudio, no
or wrong device, busy, unplugged). Used by the recorder (agent/listen/recorder.py) and `voxctl devices`.
"""

from __future__ import annotations

from typing import Any


class RecorderError(Exception):
    """The microphone cannot be used; str() is the one-line message for the user."""


def import_sounddevice() -> Any:
    try:
        import sounddevice
    except OSError:  # raised when the PortAudio shared library is missing
        raise RecorderError("the PortAudio library is missing: install it (Debian/Ubuntu: "
                            "sudo apt-get install libportaudio2; macOS: brew install portaudio)") from None
    return sounddevice


def input_devices() -> list[dict[str, Any]]:
    """Every device that can record: index, name, hostapi, channels, default rate, default flag."""
    sd = import_sounddevice()
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0]
        hostapis = sd.query_hostapis()
    except sd.PortAudioError as e:
        raise RecorderError(f"cannot list audio devices: {e}") from None
    return [
        {"index": i, "name": d["name"], "hostapi": hostapis[d["hostapi"]]["name"],
         "channels": d["max_input_channels"], "rate": d["default_samplerate"], "default": i == default_in}
        for i, d in enumerate(devices) if d["max_input_channels"] > 0
    ]


def resolve_device(spec: str | int | None) -> int | None:
    """The PortAudio index for `audio.device` (None: the default input). Raises RecorderError."""
    devices = input_devices()
    if not devices:
        raise RecorderError("no audio input device found (is a microphone connected, or PulseAudio running?)")
    if spec is None or spec == "":
        return None
    if isinstance(spec, int) or str(spec).strip().isdigit():
        idx = int(spec)
        if any(d["index"] == idx for d in devices):
            return idx
        raise RecorderError(f"audio.device {idx} is not an input device; see `voxctl devices`")
    want = str(spec).casefold()
    hits = [d for d in devices if want in d["name"].casefold()]
    if not hits:
        names = ", ".join(repr(d["name"]) for d in devices)
        raise RecorderError(f"no input device matches {spec!r} (available: {names}); see `voxctl devices`")
    return hits[0]["index"]


def _open_error(e: Exception, device: Any) -> RecorderError:
    msg = str(e)
    low = msg.lower()
    name = "the default input" if device is None else f"input device {device}"
    if "unavailable" in low or "busy" in low or "-9985" in low:
        return RecorderError(f"{name} is busy or unavailable (another program using it, or unplugged?)")
    return RecorderError(f"cannot open {name}: {msg.splitlines()[0] if msg else type(e).__name__}")
