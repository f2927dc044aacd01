"""Dictation into a terminal read again with a shell's words in the recogniser's hint (agent/interpret/shell_look.py).

Real parts: the bundled Whisper (tiny.en), a line synthesized in en-us+m3 as the blind bench speaks it, under the hint
`voxctl listen` gives for the focused window; the grammar's plans. Under the command hint alone tiny.en hears "type
git pull origin main" in en-us+m3 as "type good phone origin main." (spoken blind probe set 25)."""

from __future__ import annotations

import pytest

from voxctl.agent.config_policy import COMMAND_WINDOWS
from voxctl.agent.interpret import shell_look
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.utterance import ScreenState

TERMINAL = "ops@bastion: ~/deploy"
EDITOR = "notes.txt - gedit"


@pytest.mark.parametrize(("title", "wm_class", "runs"), [
    (TERMINAL, (), True), ("~/thesis : bash — Konsole", (), True), ("vim", ("xterm", "XTerm"), True),
    (EDITOR, (), False), ("Inbox - Mozilla Thunderbird", (), False), ("", (), False)])
def test_in_terminal(title: str, wm_class: tuple[str, ...], runs: bool) -> None:
    screen = ScreenState(active_window=title, active_class=wm_class)
    assert shell_look.in_terminal(screen, COMMAND_WINDOWS) is runs


@pytest.mark.parametrize(("first", "again", "same"), [
    ("type good phone origin main", "type git pull origin main", True),
    ("press control r and type ssh", "press control r and type sssh", True),
    ("type pytest and hit enter", "type pytest and git enter", False),  # the tail's command heard otherwise
    ("type ls and press enter", "type ls and press escape", False),
    ("type clear", "type clear", True)])
def test_same_plan_but_the_text(first: str, again: str, same: bool) -> None:
    g = GrammarInterpreter()
    assert shell_look._same_but_text(g.analyse(first).plan, g.analyse(again).plan) is same


def test_the_trigger_ends_the_forced_words() -> None:
    spec = GrammarInterpreter().spec
    text = "press control r and type good phone"
    assert text[:shell_look._trigger_end(text, spec)] == "press control r and type"
    assert shell_look._trigger_end("scroll down", spec) is None


def test_the_hint_names_the_grammar_s_shell_programs() -> None:
    """The hint's lines begin with programs `run` knows (grammar.yaml shell_programs): one list of the shell's programs."""
    programs = GrammarInterpreter().spec.shell_programs
    firsts = {line.split()[0] for line in shell_look.SHELL_HINT.split(".") if line.strip()}
    assert firsts <= set(programs), firsts - set(programs)


def _heard(whisper, window: str):
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import load_config
    from voxctl.agent.listen.vad import gate
    from voxctl.agent.session import Session

    config = load_config(None)
    vocabulary = Session.build(config, macros={}).vocabulary()
    try:
        audio = gate(devset._speech_clip(devset._Item("type git pull origin main", [], "command"), "en-us+m3").audio,
                     config.audio)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with en-us+m3: {e}")
    devset.hint_as_listen(whisper, config, {}, (), focused=window, vocabulary=vocabulary)
    g = GrammarInterpreter(config, transcriber=whisper)
    return g.read(audio, ScreenState(active_window=window))


def test_spoken_into_a_terminal_types_the_shell_s_words(bundled_whisper) -> None:
    try:
        parse = _heard(bundled_whisper, TERMINAL)
        elsewhere = _heard(bundled_whisper, EDITOR)
    finally:
        bundled_whisper.set_vocabulary()  # the default hint again, for the tests after this one
    typed = [(c.tool, c.args.text) for c in parse.plan.actions]
    assert typed == [("type_text", "git pull origin main")], (typed, parse.free_text, parse.hypotheses)
    assert any("shell" in h.verdict for h in parse.hypotheses), parse.hypotheses
    # the same audio typed into an editor is read once, as heard: the look is what made the terminal's reading
    assert [c.tool for c in elsewhere.plan.actions] == ["type_text"], elsewhere.plan
    assert elsewhere.plan.actions[0].args.text != "git pull origin main", elsewhere.free_text
    assert not any("shell" in h.verdict for h in elsewhere.hypotheses)


class _NoSecondRead:
    hint = None

    def nbest(self, *a, **kw):
        raise AssertionError("read again")


def test_dictation_mode_and_other_windows_are_not_read_again() -> None:
    """In dictation mode everything is prose ("I will type the report" has no trigger of a command), and a window
    that runs no commands gets what was heard: the recogniser is not asked again."""
    import numpy as np

    from voxctl.agent.interpret.dictation_mode import DictationMode

    g = GrammarInterpreter(transcriber=_NoSecondRead())
    parse = g.analyse("type good phone origin main")
    audio = np.zeros(16000, np.float32)
    assert shell_look.look(g, audio, parse, ScreenState(active_window=EDITOR)) is parse
    g.dictation_mode = DictationMode(True)
    assert shell_look.look(g, audio, parse, ScreenState(active_window=TERMINAL)) is parse
    g.dictation_mode = DictationMode(False)
    with pytest.raises(AssertionError, match="read again"):
        shell_look.look(g, audio, parse, ScreenState(active_window=TERMINAL))


@pytest.mark.parametrize(("first", "again", "taken"), [
    ("type good phone origin main", "type git pull origin main", True),
    ("type k u d c d l get pods", "type kubectl get pods", True),
    ("type good morning", "type a good morning", False),  # prose heard right stays (the hands-free session's xterm)
    ("type good phone origin main", "type git phone origin maine", False),
    ("type clear", "type clear", False)])
def test_a_second_reading_brings_only_a_shell_s_words(first: str, again: str, taken: bool) -> None:
    assert shell_look.brings_only_shell_words(first, again, GrammarInterpreter().spec) is taken
