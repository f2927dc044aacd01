"""Daily-use faults of the command line (issue 15 item 6), as a user meets them: real `voxctl`
subprocesses in a clean home. A closed pipe ends quietly; `doctor` sees a broken configuration, macros
file or history path; a failure names its tool once; the "no LLM configured" hint is shown once per
setup (doctor always says it); spoken feedback says the question and the outcome, as documented."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def env_for(tmp: Path, config: str = "") -> dict[str, str]:
    cfg = tmp / "config.yaml"
    cfg.write_text(f"history: {{path: '{tmp / 'history.sqlite'}'}}\n{config}", encoding="utf-8")
    env = dict(os.environ, HOME=str(tmp), VOXCTL_CONFIG=str(cfg), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"), XDG_STATE_HOME=str(tmp / "state"), COLUMNS="200")
    env.pop("DISPLAY", None)
    return env


def voxctl(tmp: Path, *args: str, config: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voxctl.agent", *args], cwd=ROOT, env=env_for(tmp, config),
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("args", [["tools", "--json"], ["tools"], ["interpret", "--text", "press enter"]])
def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path, args):
    # `voxctl tools --json | head -1`, made certain: the reading end is closed before voxctl writes.
    p = subprocess.Popen([sys.executable, "-m", "voxctl.agent", *args], cwd=ROOT, env=env_for(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(60)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err, err
    # 141 (128 + SIGPIPE) as a C filter ends; rich's tables end with 1 on their own. Never 0: output was lost.
    assert p.returncode in (141, 1) and "voxctl: " not in err.replace("voxctl: no LLM", ""), (p.returncode, err)


def test_doctor_checks_the_configuration_the_macros_file_and_the_history(tmp_path):
    macros = tmp_path / "macros.yaml"
    macros.write_text("tidy: [{tool: fly, args: {}}]\n", encoding="utf-8")
    p = voxctl(tmp_path, "doctor", config=f"interpreter: {{macros_file: '{macros}'}}\n")
    line = next(x for x in p.stdout.splitlines() if x.split()[1:2] == ["macros"])
    assert line.startswith("MISSING") and "unknown tool 'fly'" in line and "not ready" in p.stdout, p.stdout
    assert p.returncode == 1
    # A configuration that does not load is a check of its own; the others still run on the defaults.
    p = voxctl(tmp_path, "doctor", config="hotkey: {talk: nope}\n")
    first = p.stdout.splitlines()[0]
    assert first.startswith("MISSING  configuration") and "hotkey.talk" in first, p.stdout + p.stderr
    assert "speech model" in p.stdout and p.returncode == 1 and "Traceback" not in p.stderr
    (tmp_path / "adir").mkdir()
    p = voxctl(tmp_path, "doctor", config=f"history: {{path: '{tmp_path / 'adir'}'}}\n")
    line = next(x for x in p.stdout.splitlines() if x.split()[1:2] == ["history"])
    assert line.startswith("MISSING") and "is a directory" in line and p.returncode == 1, p.stdout
    p = voxctl(tmp_path, "doctor")
    assert [x for x in p.stdout.splitlines() if x.startswith("OK       configuration")], p.stdout
    assert str(tmp_path / "config.yaml") in p.stdout


def test_a_failure_names_its_tool_once(tmp_path):
    # A plan run as written (`voxctl exec`): said, a place off the screen is heard wrong and never reaches the tool
    plan = tmp_path / "plan.json"
    plan.write_text('[{"tool": "click", "args": {"x": 5000, "y": 5000}}]')
    p = voxctl(tmp_path, "exec", "--dry-run", str(plan), config="interpreter: {backend: grammar}\n")
    out = p.stdout + p.stderr
    assert "click: point (5000, 5000) is off the screen" in out, out
    assert "click: click:" not in out
    said = voxctl(tmp_path, "do", "--dry-run", "click at 5000 5000", config="interpreter: {backend: grammar}\n")
    assert "(5000, 5000) is off the screen" in said.stdout + said.stderr and "click: point" not in said.stdout


def test_the_no_llm_hint_is_shown_once_per_setup_and_always_by_doctor(tmp_path):
    hint = "no LLM configured (interpreter.cascade.model)"
    first = voxctl(tmp_path, "do", "--dry-run", "press control s")
    again = voxctl(tmp_path, "do", "--dry-run", "press control s")
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert hint in first.stdout + first.stderr
    assert hint not in again.stdout + again.stderr
    # Another setup (another fallback backend) says its own hint once.
    other = voxctl(tmp_path, "do", "--dry-run", "press control s", config="interpreter: {llm_backend: audio_llm}\n")
    assert "no LLM configured (interpreter.audio_llm.model)" in other.stdout + other.stderr
    doc = voxctl(tmp_path, "doctor")  # after the hint was shown: doctor says it all the same
    assert "free speech" in doc.stdout and hint in doc.stdout, doc.stdout


def test_spoken_feedback_says_the_question_and_every_outcome(tmp_path):
    """What `feedback.speak` reads out (the README's promise): the confirmation question, and the outcome
    of every run, "done" included. espeak-ng itself is replaced by a recorder of what would be said."""
    from rich.console import Console

    from voxctl.agent.config import Config
    from voxctl.agent.feedback import Feedback
    from voxctl.agent.runner import one_shot

    class Spoken(Feedback):
        def __init__(self, config):
            super().__init__(config.feedback, console=Console(file=io.StringIO()))
            self.said: list[str] = []

        def say(self, text):
            if self.config.speak:
                self.said.append(text)

    config = Config.model_validate({"history": {"path": str(tmp_path / "h.sqlite")}, "feedback": {"speak": True},
                                    "interpreter": {"backend": "grammar", "macros_file": None}})
    runs = {"low": [{"tool": "press_keys", "args": {"keys": ["ctrl", "s"]}}],
            "asks": [{"tool": "close_window"}],
            "fails": [{"tool": "focus_window", "args": {"title": "no such window at all"}}]}
    said = {}
    for name, actions in runs.items():
        fb = Spoken(config)
        one_shot(config, dry_run=True, yes=False, plan={"actions": actions}, feedback=fb)
        said[name] = fb.said
    assert said["low"] == ["done"], said
    assert said["asks"][0].startswith("About to ") and said["asks"][0].endswith("Yes or no?"), said
    assert said["asks"][-1] == "done" and len(said["asks"]) == 2, said
    assert len(said["fails"]) == 1 and "no such window at all" in said["fails"][0], said
    quiet = Spoken(config.model_copy(update={"feedback": config.feedback.model_copy(update={"speak": False})}))
    one_shot(config, dry_run=True, yes=False, plan={"actions": runs["asks"]}, feedback=quiet)
    assert quiet.said == []
