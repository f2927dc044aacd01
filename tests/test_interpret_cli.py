"""`voxctl interpret`: text and audio files in, one plan per input out (text or JSON Lines), through the
real CLI entry point, the real grammar and the bundled Whisper."""

from __future__ import annotations

import json

import pytest
import soundfile as sf

from voxctl.agent.cli import main

MACROS = """\
standup:
  say: [start my day]
  actions:
    - {tool: open_app, args: {name: terminal}}
"""


@pytest.fixture
def config(tmp_path):
    macros = tmp_path / "macros.yaml"
    macros.write_text(MACROS)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"interpreter:\n  macros_file: {macros}\n")
    return str(cfg)


@pytest.fixture
def wavs(tmp_path, speech):
    out = {}
    for name, text in (("save", "press control s"), ("scroll", "scroll down five")):
        path = tmp_path / f"{name}.wav"
        sf.write(path, speech(text, "rms"), 16000)
        out[name] = str(path)
    bad = tmp_path / "notes.wav"
    bad.write_text("this is not audio")
    out["bad"] = str(bad)
    out["missing"] = str(tmp_path / "missing.wav")
    return out


def test_json_lines_one_per_input_bad_files_reported_and_skipped(config, wavs, capsys, monkeypatch) -> None:
    import voxctl.agent.listen.asr as asr

    loads = []
    real_init = asr.Transcriber.__init__

    def counting_init(self, *a, **kw):  # spy on the real loader: the model must load once for all files
        loads.append(1)
        real_init(self, *a, **kw)

    monkeypatch.setattr(asr.Transcriber, "__init__", counting_init)
    rc = main(["--config", config, "interpret", "--backend", "grammar", "--json",
               "--text", "select all and copy", "--text", "sing me a song",
               wavs["save"], wavs["bad"], wavs["missing"], wavs["scroll"]])
    out, err = capsys.readouterr()
    assert rc == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d.get("text") or d.get("file") for d in lines] == [
        "select all and copy", "sing me a song", wavs["save"], wavs["scroll"]]
    assert [a["args"]["keys"] for a in lines[0]["actions"]] == [["ctrl", "a"], ["ctrl", "c"]]
    assert lines[1]["actions"] == [] and "sing me a song" in lines[1]["reason"]
    assert lines[2]["actions"] == [{"tool": "press_keys", "args": {"keys": ["ctrl", "s"], "repeat": 1}}]
    assert lines[3]["actions"] == [{"tool": "scroll", "args": {"direction": "down", "amount": 5}}]
    for d in lines:
        assert d["source"] == "grammar" and "transcript" in d
        assert ("reason" in d) == (not d["actions"])
    assert "ctrl" in lines[2]["transcript"].lower() or "control" in lines[2]["transcript"].lower()
    problems = err.strip().splitlines()
    assert len(problems) == 2 and "notes.wav" in problems[0] and "missing.wav" in problems[1]
    assert all(p.startswith("voxctl: ") for p in problems) and "Traceback" not in err
    assert len(loads) == 1


def test_plain_output_and_the_hybrid_notice(config, capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the notice is shown once per setup
    rc = main(["--config", config, "interpret", "--text", "scroll down five", "--text", "run my standup workflow",
               "--text", "hello there"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert "scroll down five: \"scroll down five\"\n  -> scroll(direction='down', amount=5)" in out
    assert "-> run_macro(name='standup')" in out
    # By default the shipped understanding model reads what the grammar cannot (issue #10): both say why not.
    assert '(nothing: grammar: not a command I know: "hello there"; understand: understand model' in out
    assert "no LLM configured (interpreter.cascade.model); using the grammar and the small understanding model" in err
    # With it off, hybrid is the grammar alone and says so, once per setup.
    off = tmp_path / "off.yaml"
    off.write_text(open(config).read() + "  understand_fallback: false\n")
    assert main(["--config", str(off), "interpret", "--text", "hello there"]) == 0
    out, err = capsys.readouterr()
    assert '(nothing: not a command I know: "hello there")' in out
    assert "no LLM configured (interpreter.cascade.model); using the grammar alone" in err
    assert main(["--config", str(off), "interpret", "--text", "scroll down five"]) == 0
    assert "no LLM configured" not in capsys.readouterr().err


def test_user_mistakes_are_one_line(tmp_path, config, capsys) -> None:
    assert main(["--config", config, "interpret"]) == 2
    assert "give audio files or --text" in capsys.readouterr().err
    bad = tmp_path / "bad-macros.yaml"
    bad.write_text("deploy:\n  - {tool: press_keys, args: {keys: [ctrl, nope]}}\n")
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(f"interpreter:\n  macros_file: {bad}\n")
    assert main(["--config", str(cfg), "interpret", "--text", "copy"]) == 2
    err = capsys.readouterr().err
    assert "bad-macros.yaml" in err and "'deploy'" in err and "nope" in err and "Traceback" not in err
    assert main(["--config", config, "interpret", "--backend", "cascade", "--text", "copy"]) == 2
    assert "interpreter.cascade.model" in capsys.readouterr().err
