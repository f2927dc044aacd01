"""Red team of hands-free (`hotkey.mode: always`, 2026-12-05): short remarks in conversation, not addressed to
voxctl, that acted.

Real parts: the listen loop and its VoiceControl as `voxctl listen` builds them with the default `hybrid` backend
(the grammar, then the shipped understanding model), the dry-run desktop, the open microphone's `judge` on real
synthesized speech perturbed as the spoken benches do (agent/benchmarks/devset.py), the bundled Whisper with the
hint `voxctl listen` gives it (the example sentences, the apps and macros), the LangGraph agent. Holes found with
short remarks spoken in twelve dev voices (93 remarks of one to four words, /work/notes/shorttalk.py's list):

- "in the end" (slt; rms since the sound head was retrained, 2026-12-06) was heard "end" with the hint: the open
  microphone accepted it (the grammar's "end"); in the
  graph the grammar read it again and found the hint had made it ("In the end." without it: unhinted.py), and
  the hybrid then handed "In the end." to the understanding model, which pressed ctrl+end (91% sure). The README
  promises no model fallback in always mode: an utterance hands-free accepted is now the grammar's alone
  (`Utterance.grammar_only`, agent/interpret/hybrid.py);
- "wait what" (slt) was heard "wait one.": a plan that only waits changes nothing, and is no command hands-free
  (agent/handsfree.py `_doubt_of`).
"""

from __future__ import annotations

import io

import pytest

from tests.safety import found_hint, report
from voxctl.agent.config import Config
from voxctl.agent.listen.always import Segment


@pytest.fixture(scope="module")
def hands_free(tmp_path_factory, transcriber):
    from rich.console import Console

    from voxctl.agent.benchmarks import devset
    from voxctl.agent.feedback import Feedback
    from voxctl.agent.graph import Agent
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.loop import ListenLoop
    from voxctl.agent.session import Session
    from voxctl.agent.voice_control import VoiceControl

    tmp = tmp_path_factory.mktemp("shorttalk")
    config = Config.model_validate({
        "history": {"path": str(tmp / "h.sqlite")}, "desktop": {"backend": "dry_run", "action_pause": 0},
        "interpreter": {"macros_file": None}, "hotkey": {"mode": "always"},
        "handsfree": {"earcons": "off"}, "confirm": {"timeout_s": 10, "by_keys": False},
        "policy": {"max_plans_per_minute": 1000}})
    assert config.interpreter.backend == "hybrid"  # the default: the understanding model behind the grammar
    session = Session.build(config, macros=devset.macros())
    # the example sentences of the hint these holes were found with (tests/hinting.py), put back after
    with found_hint(transcriber):
        loop = ListenLoop(config, dry_run=True, feedback=Feedback(config.feedback, console=Console(file=io.StringIO())))
        loop.transcriber = transcriber
        interpreter = make_interpreter(session, transcriber=transcriber, notify=lambda m: None)
        loop.agent = Agent(session, interpreter=interpreter, dry_run=True, stop=loop.stop)
        loop.voice = VoiceControl(loop, session, interpreter)
        loop.vocabulary = session.vocabulary()  # a user with the macro "standup": its name is in the hint
        loop.hint_names()  # as `voxctl listen` gives it, at the start and after each plan
        assert "run standup." in transcriber.hint, transcriber.hint
        yield loop
        loop.voice.close()
        loop.agent.close()


def _segment(say: str, voice: str) -> Segment:
    """The utterance as the open microphone's segmenter cuts it from the clip (perturbed, with the silence of
    the dev set) between silences: what `voxctl bench handsfree --short-talk` judges."""
    import numpy as np

    from voxctl.agent.benchmarks import devset
    from voxctl.agent.listen.always import Segmenter

    try:
        speech = np.asarray(devset._speech_clip(devset._Item(say, [], "non_command"), voice).audio, np.float32)
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")
    cfg = Config()
    cut: list[Segment] = []
    seg = Segmenter(cut.append, threshold=cfg.audio.vad_threshold, end_silence_ms=cfg.handsfree.end_silence_ms,
                    min_speech_ms=cfg.handsfree.min_speech_ms, max_seconds=cfg.handsfree.max_utterance_s)
    x = np.concatenate([np.zeros(9600, np.float32), speech, np.zeros(16000, np.float32)])
    for i in range(0, len(x), 1024):
        seg.feed(x[i:i + 1024])
    assert len(cut) == 1, f"{say!r} ({voice}) was cut into {len(cut)} utterances"
    return cut[0]


def test_what_hands_free_accepted_is_not_handed_to_the_model(hands_free):
    from voxctl.agent.utterance import Utterance

    loop, mic = hands_free, hands_free.voice.mic
    seg = _segment("in the end", "rms")  # slt's is no longer accepted since the sound head was retrained (2026-12-06)
    verdict = mic.judge(seg)
    assert verdict.kind == "command", f"the open microphone no longer accepts it: the case is gone ({verdict})"
    item = loop.commands.get_nowait()
    # The hole, on the same parts: the hybrid reading the accepted utterance as hold mode reads one.
    model = loop.agent.interpreter.interpret(Utterance(audio=item.audio, transcript=item.text))
    before = len(loop.agent.desktop.describe())
    status = loop.handle(item)
    after = loop.agent.desktop.describe()[before:]
    text = report("red team: short talk hands-free, the model behind the grammar (bundled Whisper, rms)",
                  f"'in the end' accepted as {item.text!r}; read as in hold mode: {[c.model_dump() for c in model.actions]} "
                  f"({model.source}); hands-free: {status}, primitives {after}")
    assert model.actions and model.source == "understand", f"the model no longer acts on it: the case is gone; {text}"
    assert after == [], text


def test_a_command_that_only_waits_is_no_command_hands_free(hands_free):
    loop, mic = hands_free, hands_free.voice.mic
    seg = _segment("wait what", "slt")
    heard = mic.transcriber.transcribe(seg.audio, hotwords=mic._hint()).text
    verdict = mic.judge(seg)
    text = report("red team: short talk hands-free, a plan that only waits (bundled Whisper, slt)",
                  f"'wait what' heard {heard!r}: {verdict.kind} ({verdict.reason})")
    grammar = loop.agent.interpreter.grammar
    assert [c.tool for c in grammar.analyse(heard).plan.actions] == ["wait"], f"the case is gone; {text}"
    assert verdict.kind == "drop" and "only waits" in verdict.reason, text
    assert loop.commands.empty()


def test_a_short_command_still_runs_hands_free(hands_free):
    loop, mic = hands_free, hands_free.voice.mic
    before = len(loop.agent.desktop.describe())
    verdict = mic.judge(_segment("scroll down", "slt"))
    assert verdict.kind == "command", verdict
    status = loop.handle(loop.commands.get_nowait())
    assert status == "done" and loop.agent.desktop.describe()[before:], status


# Short remarks the command hint turned into one of its own sentences, word for word (the short-talk bench's dev
# voices, 2026-12-05); "one sec" ran the macro "standup".
ECHOES = [("one sec", "en-us+m2", "run standup"), ("me too", "awb", "switch to the editor"),
          ("space it out", "en-us+m2", "open text editor")]


@pytest.mark.parametrize(("say", "voice", "echo"), ECHOES)
def test_a_sentence_of_the_hint_heard_in_short_talk_is_no_command(hands_free, say, voice, echo):
    from voxctl.agent.handsfree import words

    loop, mic = hands_free, hands_free.voice.mic
    seg = _segment(say, voice)
    heard = mic.transcriber.transcribe(seg.audio).text
    verdict = mic.judge(seg)
    text = report(f"red team: short talk hands-free, the hint's own sentence: {say!r} ({voice})",
                  f"heard {heard!r}: {verdict.kind} ({verdict.reason})")
    assert words(heard) == echo, f"the case is gone; {text}"
    assert verdict.kind == "drop" and "sentence of the command hint's own" in verdict.reason, text
    assert loop.commands.empty()


def test_a_command_said_as_a_sentence_of_the_hint_still_runs(hands_free):
    """"run standup" said (the macro's name is a sentence of the hint) is never refused as the hint's own sentence: heard
    right, it is taken hands-free; with the key held (N best, rescoring) it runs in every flite voice. slt's greedy
    reading is "press standup." on this box (CTranslate2 4.8.5, 2026-12-07; the beam's first is "run standup."), which
    hands-free drops as no command, as it would any misheard command: at least three voices must be heard right."""
    from voxctl.agent.handsfree import words

    loop, mic = hands_free, hands_free.voice.mic
    right = 0
    for voice in ("slt", "rms", "awb", "kal16"):
        seg = _segment("run standup", voice)
        heard = mic.transcriber.transcribe(seg.audio, hotwords=mic._hint()).text
        verdict = mic.judge(seg)
        assert "sentence of the command hint's own" not in verdict.reason, (voice, verdict)
        if words(heard) == "run standup":
            right += 1
            assert verdict.kind == "command" and "standup" in verdict.text, (voice, verdict)
            loop.commands.get_nowait()
        held = loop.agent.interpreter.grammar.read(seg.audio)  # with the key held
        assert [c.tool for c in held.plan.actions] == ["run_macro"], (voice, held.plan.reason)
    assert right >= 3, right


@pytest.mark.parametrize(("say", "voice", "primitive"), [("okay now scroll up", "kal16", "scroll("),
                                                          ("okay so open the terminal", "en-us+klatt", "launch(")])
def test_where_two_readings_agree_the_command_accepted_runs(hands_free, say, voice, primitive):
    """The other side of "in the end": the grammar accepted the utterance, and in the graph the grammar's own
    read no longer finds a command (the hint's doing, unhinted.py); the model's plan of what is left runs because
    it is the very plan accepted (two readings agree), and says so."""
    from voxctl.agent.utterance import Utterance

    loop, mic = hands_free, hands_free.voice.mic
    verdict = mic.judge(_segment(say, voice))
    assert verdict.kind == "command", verdict
    item = loop.commands.get_nowait()
    parse = loop.agent.interpreter.grammar.read(item.audio, None, item.text)
    plan = loop.agent.interpreter.interpret(Utterance(audio=item.audio, transcript=item.text, grammar_only=True))
    before = len(loop.agent.desktop.describe())
    status = loop.handle(item)
    after = loop.agent.desktop.describe()[before:]
    text = report(f"hands-free: two readings agree: {say!r} ({voice})",
                  f"accepted {item.text!r}; the grammar's read {parse.plan.transcript!r}: {parse.plan.reason}; "
                  f"{plan.reason}; {status}; primitives {after}")
    assert not parse.plan.actions, f"the grammar's read finds the command itself: the case is gone; {text}"
    assert "the plan accepted hands-free" in (plan.reason or ""), text
    assert status == "done" and len(after) == 1 and after[0].startswith(primitive), text


def test_undo_that_runs_hands_free_in_every_flite_voice(hands_free):
    """"undo" said alone sounds like "and do" (README, hands-free): "undo that", the form to say, is read "and do
    that." / "do that." and taken by its sound in each voice (2026-12-06)."""
    from tests.safety import SHIPPED_EXAMPLES
    from voxctl.agent.listen import vocabulary

    loop, mic = hands_free, hands_free.voice.mic
    with pytest.MonkeyPatch.context() as mp:  # the shipped hint, not the one the holes above were found with
        mp.setattr(vocabulary, "EXAMPLE_COMMANDS", SHIPPED_EXAMPLES)
        loop.hint_names()
        assert "mouse grid." in mic.transcriber.hint, mic.transcriber.hint
        try:
            _undo_that(loop, mic)
        finally:
            mp.undo()
            loop.hint_names()


def _undo_that(loop, mic) -> None:
    for voice in ("slt", "rms", "awb", "kal16"):
        verdict = mic.judge(_segment("undo that", voice))
        assert verdict.kind == "command", (voice, verdict)
        item = loop.commands.get_nowait()
        before = len(loop.agent.desktop.describe())
        status = loop.handle(item)
        after = loop.agent.desktop.describe()[before:]
        assert status == "done" and after and "z" in after[0], (voice, item.text, status, after)
