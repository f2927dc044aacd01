"""`voxctl doctor` on real parts: the test X server, a real PulseAudio daemon as the microphone, the real
tesseract and espeak-ng (hidden by emptying PATH), the bundled Whisper model and model folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.xdisplay import wait_for

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pulse_runtime(tmp_path_factory):
    """A PulseAudio daemon of our own (a null sink, whose monitor is an input device); yields its
    XDG_RUNTIME_DIR. PortAudio reaches it through ALSA's pulse plugin."""
    if not shutil.which("pulseaudio"):
        pytest.skip("pulseaudio is not installed (apt-get install pulseaudio)")
    run_dir = tmp_path_factory.mktemp("pulse")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(run_dir), "HOME": str(run_dir)}
    proc = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes",
         "-L", "module-native-protocol-unix", "-L", "module-null-sink"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    up = wait_for(lambda: subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0, 10)
    if not up:
        proc.kill()
        pytest.skip("PulseAudio did not start")
    yield str(run_dir)
    proc.terminate()
    proc.wait(timeout=5)


def doctor(env: dict[str, str], config: str | None = None, tmp: Path | None = None) -> tuple[int, dict[str, str], str]:
    """Runs `voxctl doctor`; returns (exit code, {check name: its line}, all output)."""
    full = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "XDG_RUNTIME_DIR", "VOXCTL_CONFIG")}
    full.update(env)
    if config is not None:
        cfg = tmp / "config.yaml"
        cfg.write_text(config, encoding="utf-8")
        full["VOXCTL_CONFIG"] = str(cfg)
    p = subprocess.run([sys.executable, "-m", "voxctl.agent", "doctor"], cwd=ROOT, env=full, capture_output=True,
                       text=True, timeout=60)
    lines = {}
    for line in p.stdout.splitlines():
        parts = line.split(None, 1)
        if parts and parts[0] in ("OK", "MISSING"):
            name = next(n for n in ("display", "window manager", "mouse/keyboard", "tesseract",
                                    "espeak-ng", "PortAudio", "microphone", "speech model", "LLM",
                                    "configuration", "macros", "history", "free speech")
                        if parts[1].startswith(n))
            lines[name] = line
    return p.returncode, lines, p.stdout + p.stderr


@pytest.mark.display
@pytest.mark.audio
def test_everything_essential_present_exits_0(xdisplay, window_manager, pulse_runtime, tmp_path):
    rc, lines, out = doctor({"DISPLAY": xdisplay, "XDG_RUNTIME_DIR": pulse_runtime})
    assert rc == 0, out
    for name in ("display", "window manager", "mouse/keyboard", "PortAudio", "microphone", "speech model"):
        assert lines[name].startswith("OK"), out
    assert "Openbox" in lines["window manager"] and "1280x800" in lines["display"]
    assert "voxctl is ready" in out


def test_no_display_is_missing_with_the_fix_and_exits_1(tmp_path):
    rc, lines, out = doctor({"XDG_RUNTIME_DIR": str(tmp_path)})
    assert rc == 1
    assert lines["display"].startswith("MISSING") and "set DISPLAY" in lines["display"] and "fix:" in lines["display"]
    assert "not ready: fix display" in out


@pytest.mark.display
def test_missing_programs_are_optional_and_name_their_package(xdisplay, pulse_runtime, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    rc, lines, out = doctor({"DISPLAY": xdisplay, "XDG_RUNTIME_DIR": pulse_runtime, "PATH": str(empty)})
    for name, package in (("tesseract", "tesseract-ocr"), ("espeak-ng", "espeak-ng")):
        assert lines[name].startswith("MISSING"), out
        assert f"apt-get install -y {package}" in lines[name] and lines[name].endswith("(optional)")
    assert rc == 0, out  # none of them is essential by default ...
    # ... but espeak-ng is when voxctl is asked to speak.
    rc, lines, out = doctor({"DISPLAY": xdisplay, "XDG_RUNTIME_DIR": pulse_runtime, "PATH": str(empty)},
                            "feedback: {speak: true}\n", tmp_path)
    assert rc == 1 and not lines["espeak-ng"].endswith("(optional)") and "fix espeak-ng" in out


@pytest.mark.display
def test_configured_models_and_devices_are_checked(xdisplay, pulse_runtime, tmp_path):
    env = {"DISPLAY": xdisplay, "XDG_RUNTIME_DIR": pulse_runtime}
    model = tmp_path / "tiny-lm"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    rc, lines, out = doctor(env, f"interpreter: {{cascade: {{model: '{model}'}}}}\n", tmp_path)
    assert rc == 0 and lines["LLM"].startswith("OK") and str(model) in lines["LLM"], out

    rc, lines, out = doctor(env, "interpreter: {cascade: {model: /nonexistent/voxctl-lm}}\n", tmp_path)
    assert rc == 1 and lines["LLM"].startswith("MISSING") and "/nonexistent/voxctl-lm" in lines["LLM"], out

    rc, lines, out = doctor(env, "interpreter: {audio_llm: {model: voxctl-test/not-downloaded}}\n", tmp_path)
    assert rc == 1 and "not downloaded" in lines["LLM"] and "hf download voxctl-test/not-downloaded" in lines["LLM"]

    rc, lines, out = doctor(env, "audio: {device: no-such-microphone}\n", tmp_path)
    assert rc == 1 and lines["microphone"].startswith("MISSING") and "no-such-microphone" in lines["microphone"]


def test_a_check_line_reads_ok_or_missing_with_its_fix():
    from voxctl.agent.commands.doctor import Check

    assert Check("tesseract", True, "5.3.0").line() == "OK       tesseract      5.3.0"
    line = Check("tesseract", False, "not found", "sudo apt-get install -y tesseract-ocr", essential=False).line()
    assert line == "MISSING  tesseract      not found — fix: sudo apt-get install -y tesseract-ocr (optional)"


def test_doctor_reads_the_macros_file_as_the_session_does(tmp_path):
    from voxctl.agent.commands.doctor import check_macros
    from voxctl.agent.config import Config

    good = tmp_path / "macros.yaml"
    good.write_text("tidy: [{tool: click}]\nsave_all: [{tool: press_keys, args: {keys: [ctrl, s]}}]\n")
    ok = check_macros(Config.model_validate({"interpreter": {"macros_file": str(good)}}))[0]
    assert ok.ok and ok.line().startswith("OK       macros         2 macro(s) from ")
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [{tool: fly}]\nb: [{tool: run_macro, args: {name: b}}]\n")
    miss = check_macros(Config.model_validate({"interpreter": {"macros_file": str(bad)}}))[0]
    assert not miss.ok and miss.essential and "unknown tool 'fly'" in miss.detail and "1 more" in miss.detail
