"""Red team on real parts: short talk read into a command by the grammar's candidates (agent/interpret/unhinted.py
`_candidate_unlike`, off by default: `CANDIDATE_LOOK`; the tests switch it on. It lost one held-out command of the
recogniser's bench for one phrase of talk in one voice: docs/BENCHMARKS.md).

Found on the spoken blind probe sets 59-66 (scripts/bench_blind.py --voices slt, 2026-12-07): "hmm okay" said to
oneself pressed ctrl+end in all eight. With the command hint Whisper read it "page and number page.", no command; the
second look forced the grammar's sentences near that reading through the recogniser (forced_look.rescore), and "the
end of the page." came within the margin of the hint's own reading (1.17 per token below it) and ran. Measured only
against readings the hint made, a candidate is as likely as the hint's invention. Without the hint Whisper reads "PHM
number K", 1.69 per token likelier than the candidate: a command nobody's reading wrote, that far below the unbiased
reading, runs nothing.

Real parts: the line's speech synthesized in slt as the spoken benches do (devset), cut by the VAD gate, the bundled
Whisper with the hint `voxctl listen` gives in that window (the set's apps and macros, the focused app's actions),
and the grammar's `read`.
"""

from __future__ import annotations

from tests.safety import report

YELP = "Kim Nails & Spa - Westminster, CA - Yelp - Google Chrome"


def test_short_talk_read_into_a_candidate_runs_nothing(transcriber, monkeypatch):
    from voxctl.agent.benchmarks import blind, devset
    from voxctl.agent.interpret import unhinted

    monkeypatch.setattr(unhinted, "CANDIDATE_LOOK", True)
    from voxctl.agent.config import Config
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.listen.vad import gate
    from voxctl.agent.utterance import ScreenState

    before = transcriber.hint
    try:
        devset.hint_as_listen(transcriber, Config(), blind.macros(("probe63",)), (), focused=YELP)
        speech = gate(devset._speech_clip(devset._Item("hmm okay", [], "command"), "slt").audio, Config().audio)
        got = GrammarInterpreter(None, blind.macros(("probe63",)), transcriber).read(
            speech, ScreenState(active_window=YELP, screen_size=(1920, 1080), grid_shown=False))
    finally:
        transcriber.hint = before
    text = report("short talk read into a candidate: 'hmm okay' (slt)",
                  f"ran {[c.tool for c in got.plan.actions]}; {got.plan.reason}")
    assert got.plan.actions == [], text
    considered = [c.text for c in got.candidates]
    assert "the end of the page." in considered, (considered, text)  # the hole's path was taken: the candidate weighed
    assert "likelier" in (got.plan.reason or ""), text


def test_a_command_the_candidates_rescue_still_runs(transcriber, monkeypatch):
    """The look stops only candidates far below the reading without the hint: a command misheard with the hint and
    said so without it keeps running (the recogniser's dev set measures how many: docs/BENCHMARKS.md)."""
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.interpret import unhinted

    monkeypatch.setattr(unhinted, "CANDIDATE_LOOK", True)
    from voxctl.agent.config import Config
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.listen.vad import gate

    speech = gate(devset._speech_clip(devset._Item("scroll down five", [], "command"), "slt").audio, Config().audio)
    got = GrammarInterpreter(None, devset.macros(), transcriber).read(speech)
    assert [(c.tool, c.args.direction) for c in got.plan.actions] == [("scroll", "down")], got.plan


def test_a_candidate_one_word_from_a_hinted_reading_is_that_reading_heard_again():
    from voxctl.agent.interpret.unhinted import _words
    from voxctl.agent.listen.spoken_set import edit_distance

    def one_word_apart(a: str, b: str) -> bool:  # as unhinted._candidate_unlike judges it
        return edit_distance(_words(a), _words(b)) <= 1

    assert one_word_apart("press back space twelve times.", "press back space well times.")
    assert one_word_apart("scroll down five", "scroll down")
    assert not one_word_apart("the end of the page.", "page and number page.")
    assert not one_word_apart("press control s", "press alt f")
