"""Red team: talk said to people near the microphone (a video call, a shared office: blind probe set 14) runs nothing.
Real parts: the default hybrid with the shipped model and grammar, on the sentences as said and as the bundled
Whisper read them in slt, en-us+m1 and en-us+f2 (scripts/bench_blind.py --voices, 2026-12-06), each of which ran a
plan before its fix: a person's name set off first or last (agent/interpret/addressed.py; since 2026-12-07 a
given name or a word a person is called by: any other word set off first is the speaker's own, "allora, go back"),
"your" things and "anyone" (understand/no_instruction.py, grounded.py), "please" inside a macro's name, a wait of
minutes (understand/fill.py: read in seconds, past the wait tool's bound). Commands with an interjection first, a
filler last or a name in dictated text still run."""

from __future__ import annotations

import pytest

from voxctl.agent.interpret.addressed import by_name
from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.utterance import Utterance


def _plan(hybrid: HybridInterpreter, said: str):
    return hybrid.interpret(Utterance.from_text(said))


@pytest.mark.parametrize("said", [
    "priya, just close that tab, it's distracting",  # each ran a plan on its first read (2026-12-06)
    "could you go back to the previous slide please, tom",
    "anna, can you zoom in a bit, the text is tiny on my end",
    "can you make that heading bold, jess",
    "start recording the meeting please, sam",  # the grammar's: a macro named "meeting please, sam"
    "next slide please, jen",
    "honey, scroll down so i can see",  # a word a person is called by (grounded.ENDEARMENTS)
    "delete that message before the tutor sees it, haha",  # a laugh set off is shared with someone (blind probe 17)
    "mr garcia, i think you're still on mute, can you unmute",  # a title and any name (blind probe set 47: mute)
    "next slide please, dr okafor",
])
def test_said_to_someone_by_name_runs_nothing(typed_hybrid: HybridInterpreter, said: str) -> None:
    plan = _plan(typed_hybrid, said)
    assert plan.actions == [] and "by name" in (plan.reason or ""), (said, plan)


@pytest.mark.parametrize(("said", "tool"), [
    ("oops, undo", "press_keys"),  # an interjection set off is no name
    ("actually, cancel that dialog", "press_keys"),
    ("scroll down, please", "scroll"),  # a filler the grammar knows
    ("computer, scroll down", "scroll"),
    ("type see you soon, sam", "type_text"),  # a name inside dictated text is a word of it
    # a word of the speaker's own language set off is no name (blind probe sets 51, 52, 54: each was "said to" it)
    ("allora, go back", "press_keys"),
    ("tamam, close this tab", "press_keys"),
    ("dạ, could you scroll down a little please", "scroll"),
    ("grazie, now print this please", "press_keys"),
])
def test_a_word_set_off_that_is_no_name_still_runs(typed_hybrid: HybridInterpreter, said: str, tool: str) -> None:
    plan = _plan(typed_hybrid, said)
    assert [a.tool for a in plan.actions][:1] == [tool], (said, plan)


def test_a_name_is_a_word_no_command_says(typed_hybrid: HybridInterpreter) -> None:
    spec = typed_hybrid.grammar.spec
    assert by_name("priya, close the tab", spec) == "priya"
    assert by_name("close the tab, priya.", spec) == "priya"
    assert by_name("close the tab, please", spec) is None  # fillers, numbers, command words are no names
    assert by_name("scroll down, five", spec) is None
    assert by_name("close the tab please priya", spec) is None  # not set off
    # a word beside a correction is a command said or taken back (blind probe set 20), whatever the "no" is said as
    for said in ("forward, no, reply", "forward, nah, reply", "reply, no wait, reply to all", "click on approve, er no, reject"):
        assert by_name(said, spec) is None, said
    assert by_name("close the tab, no thanks, priya", spec) == "priya"  # "no thanks" is no correction
    # a name is a given name (given_names.txt) or what a person is called: not any word the grammar does not know
    assert by_name("kofi, close the tab", spec) == "kofi" and by_name("siobhan, next slide", spec) == "siobhan"
    assert by_name("bro, close the tab", spec) == "bro"
    for said in ("boh, go back", "magari, zoom out a bit", "şey, scroll down a bit", "ecco, pause the music"):
        assert by_name(said, spec) is None, said


@pytest.mark.parametrize("said", ["can you scroll down on your screen",
                                  "maximize your window, the share is cutting off the sidebar",
                                  "give me two minutes", "yes i'm on a call, give me five minutes",
                                  # slt's readings on the spoken first read (2026-12-06), each ran a plan
                                  "copy anyone.", "go ahead and share your screen project.",
                                  "maximize your window. the share is cutting off the sidebar.",
                                  "Start recording the meeting please Sam."])
def test_talk_to_a_person_about_their_things_or_minutes_runs_nothing(typed_hybrid: HybridInterpreter,
                                                                    said: str) -> None:
    plan = _plan(typed_hybrid, said)
    assert plan.actions == [], (said, plan)


def test_a_wait_in_seconds_still_runs(typed_hybrid: HybridInterpreter) -> None:
    assert [a.tool for a in _plan(typed_hybrid, "wait two seconds").actions] == ["wait"]


def test_a_question_and_its_answer_is_said_between_people(typed_hybrid: HybridInterpreter) -> None:
    # en-us+m1 and en-us+f2 read "can you make that heading bold, jess" so, and the model ran ctrl+b (2026-12-06)
    plan = _plan(typed_hybrid, "can you make that heading bold? yes.")
    assert plan.actions == [] and "question and its answer" in (plan.reason or ""), plan
    assert [a.args.keys for a in _plan(typed_hybrid, "can you make that heading bold?").actions] == [["ctrl", "b"]]
    assert [a.args.keys for a in _plan(typed_hybrid, "hit control shift t for me. would you?").actions] == [
        ["ctrl", "shift", "t"]]
