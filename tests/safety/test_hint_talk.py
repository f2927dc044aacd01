"""Talk the recogniser's command hint turned into a command does not run (agent/interpret/unhinted.py).

Real parts: blind probe sentences of talk (tests/data/blind/probe*.jsonl) synthesized and perturbed as the
spoken benches do (agent/benchmarks/devset.py), cut by the VAD gate as `voxctl listen` cuts them, the bundled
Whisper tiny.en with its default vocabulary hint, the grammar's `read`, and the shipped understanding model.
Holes found on the spoken blind probe sets (scripts/bench_blind.py --voices, 2026-12-05):
- "it says press enter to continue but nothing happens" (slt) was heard "press enter to continue but nothing
  happens." and pressed Enter: the hint left out "It says", which Whisper hears without it;
- "we should switch to the new library next sprint" (slt) was heard "switch to the new library next." and
  focused a window;
- "could you open the window, it's really hot in here" (en-us+m1) was heard "click open the window. it's really
  hot in here." and clicked the text "open the window" (en-us+f2: "... really hard in here.", whose later words
  the plain reading does not hold);
- on the recognition dev set (`voxctl bench recognition --split dev`): "you should switch to decaf after lunch"
  (en-us+f5) heard "switch to the adapter." focused a window; "the kids are playing in the garden" (en-us+f5) heard
  "click here.", a sentence of the hint's own, clicked;
- "why won't this window close" (en-us+m1) was heard "white one to this window close." and the understanding
  model closed the window; without the hint it is "Why won't this win no close?", a question.
"""

from __future__ import annotations

import pytest

from tests.safety import found_hint, report


@pytest.fixture()
def found(transcriber):
    """The transcriber with the hint the holes below were found with (tests/safety/__init__.py, FOUND_WITH)."""
    with found_hint(transcriber):
        yield transcriber


def _clip(say: str, voice: str):
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.config import Config
    from voxctl.agent.listen.vad import gate

    try:
        return gate(devset._speech_clip(devset._Item(say, [], "non_command"), voice).audio, Config().audio)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")


@pytest.mark.parametrize(("say", "voice"), [("it says press enter to continue but nothing happens", "slt"),
                                            ("we should switch to the new library next sprint", "slt"),
                                            # heard "click open the window. it's really hard in here.": its last
                                            # words differ from the plain reading's ("hot"), 2026-12-05
                                            ("could you open the window it's really hot in here", "en-us+f2"),
                                            ("you should switch to decaf after lunch", "en-us+f5"),
                                            ("the kids are playing in the garden", "en-us+f5")])
def test_a_command_the_hint_made_by_leaving_words_out_does_not_run(found, say, voice):
    transcriber = found
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    grammar = GrammarInterpreter(None, devset.macros(), transcriber)
    audio = _clip(say, voice)
    hinted = grammar._read(audio)  # the hole: the hinted reading alone is a command
    got = grammar.read(audio)
    text = report(f"hint talk: {say!r} ({voice})", f"hinted {hinted.plan.transcript!r} ran "
                  f"{[c.tool for c in hinted.plan.actions]}; now {[c.tool for c in got.plan.actions]}: {got.rejected}")
    assert hinted.plan.actions, f"the hinted reading is no command any more: the case is gone; {text}"
    assert got.plan.actions == [] and "only with the command hint" in got.rejected, text
    # the plain reading kept the words left out
    assert len(got.plan.transcript.split()) > len(hinted.plan.transcript.split()), got.plan.transcript


def test_the_rooms_window_heard_with_the_hint_does_not_run(found):
    """en-us+m1's "could you open the window it's really hot in here", heard "click open the window. it's really hot
    in here." with the hint, clicked the text "open the window". Since 2026-12-06 the grammar reads a window named with
    what the air is like after a pause as the room's (chain.ROOM_WINDOW), before the reading without the hint is
    needed: nothing runs either way."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    grammar = GrammarInterpreter(None, devset.macros(), found)
    audio = _clip("could you open the window it's really hot in here", "en-us+m1")
    got = grammar.read(audio)
    text = report("hint talk: the room's window (en-us+m1)", f"{got.plan.transcript!r}: {got.plan.reason}")
    assert got.plan.actions == [], text


def test_a_verb_the_hint_put_where_other_words_were_with_its_own_small_words(found):
    """With the names of six open windows in the hint (as `voxctl listen` gives them, 2026-12-05), en-us+m1's
    "could you open the window it's really hot in here" is "click to open window. it's really hard to hear.": the
    hint's "click" for "could you", then "to open window" where the plain reading has "you open the window". It
    clicked; the words after the verb follow the plain reading's (one of substance early on), so it is no command."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    transcriber = found
    before = transcriber.hint
    try:
        transcriber.set_vocabulary(window_titles=["Mozilla Firefox", "notes.txt - gedit", "Terminal", "Slack",
                                                  "Inbox - Thunderbird", "Spotify"],
                                   apps=["terminal", "text editor", "xterm"], macros=["standup", "start my day"])
        grammar = GrammarInterpreter(None, devset.macros(), transcriber)
        say, voice = "could you open the window it's really hot in here", "en-us+m1"
        audio = _clip(say, voice)
        hinted = grammar._read(audio)
        got = grammar.read(audio)
    finally:
        transcriber.hint = before
    text = report(f"hint talk, window titles in the hint: {say!r} ({voice})", f"hinted {hinted.plan.transcript!r} ran "
                  f"{[c.tool for c in hinted.plan.actions]}; now {[c.tool for c in got.plan.actions]}: {got.rejected}")
    assert [c.tool for c in hinted.plan.actions] == ["click"], f"the case is gone: {text}"
    assert got.plan.actions == [] and "only with the command hint" in got.rejected, text


def test_the_model_reads_talk_heard_without_the_hint_as_talk(transcriber):
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.utterance import Utterance

    hybrid = make_interpreter(load_config(None), transcriber=transcriber, notify=lambda m: None)
    say, voice = "why won't this window close", "en-us+m1"
    audio = _clip(say, voice)
    parse = hybrid.grammar._read(audio)
    assert not parse.plan.actions and parse.plan.transcript.lower().startswith("white one"), parse.plan.transcript
    plan = hybrid.interpret(Utterance(audio=audio))
    text = report(f"hint talk to the model: {say!r} ({voice})", f"ran {[c.tool for c in plan.actions]}: {plan.reason}")
    assert plan.actions == [] and "without the command hint" in (plan.reason or ""), text


def test_a_command_stands(transcriber):
    """Commands said are not taken for hint-made ones, under the hint the holes were found with and the shipped one
    (under which slt's "go to the end of the file and press enter twice" is heard "... of the fellow in ...": a
    recognition miss, no rejection, 2026-12-06)."""
    from contextlib import nullcontext

    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    grammar = GrammarInterpreter(None, devset.macros(), transcriber)
    for pinned, said in ((True, (("go to the end of the file and press enter twice", "slt"), ("select all and delete", "slt"))),
                         (False, (("select all and delete", "slt"), ("scroll down five", "en-us+m1")))):
        with found_hint(transcriber) if pinned else nullcontext():
            for say, voice in said:
                got = grammar.read(_clip(say, voice))
                assert [c.tool for c in got.plan.actions] and not got.rejected, (pinned, say, got.recognition())


def test_what_the_hint_left_out():
    from voxctl.agent.interpret.unhinted import left_out

    assert left_out("press enter to continue but nothing happens.", "It says press enter to continue but nothing happens.")
    assert left_out("click open the window.", "Could you open the window?")  # a verb where words were
    assert left_out("switch to the adapter.", "You should switch to the capacitor launch.")  # the lead left out
    assert left_out("click here.", "The kids are playing in the card.")  # the hint's own sentence
    hint = "press control c. click here. switch to the editor."
    assert left_out("click open the window. it's really hard in here.", "Got you open the window, it's really hot in here.",
                    hint)
    # ... each reading with its own small words after the verb (en-us+m1, window titles in the hint)
    assert left_out("click to open window. it's really hard to hear.", "Could you open the window? It's really hot in here.",
                    hint)
    # ... only a verb the hint says: "record" said was read "for toward" without the hint (slt)
    assert not left_out("record a new macro name deployed.", "for toward a new macro main deploy.", hint)
    # a command misheard without the hint is no command left out: the hint made it clear
    assert not left_out("undo three times.", "and do free times.")
    assert not left_out("select all.", "She left it tall.")
    assert not left_out("scroll down five.", "roll down five.")
    assert not left_out("press escape.", "press SK")
    # ... nor its first words misheard as sounding alike (espeak-ng's phonemes, unhinted.misheard_first): the spoken
    # blind sets' readings (slt, en-us+f2) that had been refused as left out
    assert not left_out("highlight the previous word.", "I like the previous word.")
    assert not left_out("select all in copy.", "So like all in copy.")
    assert not left_out("bookmark this page for me.", "But mark this page for me.")
    assert not left_out("reopen closed tab.", "We open closed tab.")
    assert not left_out("select all in copy.", "So like all in copy.", "select all. press control c.")  # the hint's verb
    # ... but not where the plain reading says the verb itself, otherwise ("I'm zoomed out a bit."), nor where the hint
    # cut the end too (a dictation cut short)
    assert left_out("zoom out a bit.", "I'm zoomed out a bit.")
    assert left_out("write cap thank you so much for the certificate.",
                    "Right, Cap, thank you so much for the certificate, come see you next month.")


def test_a_reading_that_trails_off_is_no_command(transcriber):
    """"nah it's fine, ship it" (en-us+m1, blind probe2's talk) was heard "it's fine." with the hint and "Let's
    find..." without it, which the grammar read as "let's" + find: ctrl+f ran (2026-12-05)."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.unhinted import trails_off

    grammar = GrammarInterpreter(None, devset.macros(), transcriber)
    got = grammar.read(_clip("nah it's fine, ship it", "en-us+m1"))
    readings = [h.text for h in got.hypotheses]
    text = report("trailing off: 'nah it's fine, ship it' (en-us+m1)", f"ran {[c.tool for c in got.plan.actions]}; "
                  f"readings {readings}")
    assert any(trails_off(r) and grammar.analyse(r).plan.actions for r in readings), f"the case is gone; {text}"
    assert got.plan.actions == [], text


def test_a_sentence_of_the_hint_found_by_the_beam_alone_is_no_command(transcriber):
    """"hang on i'm on a call" (en-us+m1, blind probe4's talk) was read "hit it on the phone." first and "click
    here.", a sentence of the hint's own with none of its words, by the beam: a click ran (2026-12-05)."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    grammar = GrammarInterpreter(None, devset.macros(), transcriber)
    got = grammar.read(_clip("hang on i'm on a call", "en-us+m1"))
    readings = {h.text: h.verdict for h in got.hypotheses}
    text = report("hint echo: 'hang on i'm on a call' (en-us+m1)", f"ran {[c.tool for c in got.plan.actions]}; {readings}")
    assert "click here." in readings, f"the case is gone; {text}"
    assert got.plan.actions == [], text
    # said, it is still heard and run
    said = grammar.read(_clip("click here", "en-us+m1"))
    assert [c.tool for c in said.plan.actions] == ["click"], said.recognition()


def test_what_the_hint_says_in_place_of_what_was_heard():
    """second_look.hint_echo on readings of the beam (no recogniser: the hint is set on a stand-in)."""
    from types import SimpleNamespace

    from voxctl.agent.interpret.second_look import hint_echo

    g = SimpleNamespace(transcriber=SimpleNamespace(hint="click here. move the mouse to fifty sixty. mouse grid. redo."))
    assert hint_echo(g, "click here.", "hit it on the phone.")  # a sentence of the hint's own, no word heard
    assert hint_echo(g, "click on the mouse.", "hit on the phone.")  # the hint's words where others were heard
    assert not hint_echo(g, "click on the mouse.", "click on the phone.")  # "click" was heard
    assert not hint_echo(g, "click.", "look.")  # one word: a short command misheard, not a sentence made up
    assert not hint_echo(g, "move the mouse to fifty sixty.", "move it to fifty.")  # "move", "fifty" were heard
    assert not hint_echo(SimpleNamespace(transcriber=SimpleNamespace(hint=None)), "click on the mouse.", "hit on the phone.")


def test_phonemes_come_from_espeak_and_nothing_sounds_alike_without_it(tmp_path, monkeypatch):
    """agent/interpret/phonemes.py: espeak-ng's phonemes (the text on stdin: a word that begins with "-" is no option);
    where espeak-ng is missing, nothing is said to sound alike and a first word misheard is refused as before."""
    from voxctl.agent.interpret.phonemes import phonemes, sound_alike
    from voxctl.agent.interpret.unhinted import left_out

    assert phonemes("-into the wall") and sound_alike("i like", "highlight") > 0.5 > sound_alike("could you", "click")
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on it
    phonemes.cache_clear()
    try:
        assert phonemes("so like all") is None and sound_alike("so like", "select") is None
        assert left_out("select all in copy.", "So like all in copy.")
    finally:
        phonemes.cache_clear()  # nothing found without espeak-ng is kept for the tests after this one
