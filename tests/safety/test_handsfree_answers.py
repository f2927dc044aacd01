"""Red team of hands-free (`hotkey.mode: always`, 2026-12-03): no key, so what is heard must not confirm,
run or outlive what the person meant.

Real parts: the listen loop and its VoiceControl as `voxctl listen` builds them (in process, the dry-run
desktop), the open microphone's `judge` on utterances of real synthesized speech (flite, espeak-ng), the
bundled Whisper with the answer hint, the LangGraph agent. Holes found and fixed at their mechanism:

- a yes inside a sentence ("yes, I think we should go to the park tomorrow", a video, another person, or
  voxctl's own read-back cut short) confirmed the open question: a yes is now the whole utterance
  (agent/answers.py `match_answer`, prompts/answers.yaml `fillers`);
- a hesitation ("um", "er", "eh") was heard as "Confirm."/"Yes."/"Yeah." with the answer hint: a yes now
  counts only when the same audio read with no hint is a yes too (agent/answer_sources.py
  `VoiceSource.unprimed`);
- an utterance cut before the question was put but judged after it (the microphone's thread busy) was
  taken as its answer: an answer now ends after the question (agent/listen/open_mic.py, `asked_at`);
- a command heard while a plan ran stayed queued and ran after the voice "stop" that ended that plan, or
  after "go to sleep": commands heard before a stop or a sleep are dropped (agent/voice_control.py `stale`);
- "stop" said while a command was being interpreted or judged was dropped ("nothing is running") and the
  plan then ran: a voice stop acts while the loop handles a command, as the chord does (agent/loop.py `busy`).
"""

from __future__ import annotations

import io
import time

import numpy as np
import pytest

from tests.safety import report
from voxctl.agent.answers import match_answer
from voxctl.agent.config import Config
from voxctl.agent.listen.always import Segment, Segmenter

OVERHEARD = [  # (what is heard, voice): sentences with a yes word in them that answer nothing
    ("yes I think we should go to the park tomorrow", "espeak:en-us+m3"),
    ("about to focus the window OK", "espeak:en"),  # voxctl's own read-back (feedback.voice), cut short
]
# Hesitations the answer hint made tiny.en hear as a yes ("Confirm.", "Yeah."): a dev voice and a held-out
# one of the measurement in agent/answer_sources.py's VoiceSource.
HESITATIONS = [("um", "rms"), ("eh", "awb")]
ANSWERS = [("yes", "slt")]


@pytest.fixture(scope="module")
def hands_free(tmp_path_factory, transcriber):
    from rich.console import Console

    from voxctl.agent.feedback import Feedback
    from voxctl.agent.graph import Agent
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.loop import ListenLoop
    from voxctl.agent.session import Session
    from voxctl.agent.voice_control import VoiceControl

    tmp = tmp_path_factory.mktemp("handsfree")
    config = Config.model_validate({
        "history": {"path": str(tmp / "h.sqlite")}, "desktop": {"backend": "dry_run", "action_pause": 0},
        "interpreter": {"backend": "grammar", "macros_file": None}, "hotkey": {"mode": "always"},
        "handsfree": {"earcons": "off"}, "confirm": {"timeout_s": 10, "by_keys": False},
        "policy": {"max_plans_per_minute": 1000}})
    session = Session.build(config)
    loop = ListenLoop(config, dry_run=True, feedback=Feedback(config.feedback, console=Console(file=io.StringIO())))
    loop.transcriber = transcriber
    interpreter = make_interpreter(session, transcriber=transcriber, notify=lambda m: None)
    loop.agent = Agent(session, interpreter=interpreter, dry_run=True, stop=loop.stop)
    loop.voice = VoiceControl(loop, session, interpreter)
    yield loop
    loop.voice.close()
    loop.agent.close()


def cut(speech, text: str, voice: str = "slt") -> Segment:
    """An utterance as the VAD hands it over, its end decided now."""
    audio = speech(text, voice)
    return Segment(audio, len(audio) / 16, time.monotonic())


def ran(loop) -> list[str]:
    return loop.agent.desktop.describe()


def answer_to(loop, audio):
    """What the listen loop's own voice source (the one a question uses) makes of one utterance: True, False,
    or None (unclear: it would keep listening), and what it heard."""
    import threading

    voice = next(s for s in loop._sources() if s.name == "voice")
    clips, got, unclear, done = [audio], [], [], threading.Event()
    voice.capture = lambda d: clips.pop() if clips else None
    voice.on_unclear = lambda text: (unclear.append(text), done.set())
    voice.listen(lambda a: (got.append(a), done.set()), done)
    return (got[0].approved, got[0].heard) if got else (None, unclear[0] if unclear else "")


def test_only_a_yes_said_as_one_confirms(hands_free, speech):
    loop = hands_free
    pad = np.zeros(3200, np.float32)  # the 200 ms the VAD keeps on either side of an utterance
    heard = {(t, v): answer_to(loop, np.concatenate([pad, speech(t, v), pad])) for t, v in OVERHEARD + HESITATIONS + ANSWERS}
    wrong = [f"{t!r} ({v})" for (t, v), (yes, _) in heard.items() if yes and (t, v) not in ANSWERS]
    answered = [t for (t, v), (yes, _) in heard.items() if yes and (t, v) in ANSWERS]
    text = report("red team: overheard yes and hesitations (bundled Whisper, the loop's voice source)",
                  f"sentences with a yes word and hesitations approved: {len(wrong)}/{len(OVERHEARD + HESITATIONS)} "
                  f"{wrong}; spoken answers approved: {len(answered)}/{len(ANSWERS)}; heard "
                  + "; ".join(f"{h!r}" for _, h in heard.values()))
    assert wrong == [], text
    assert answered == [t for t, _ in ANSWERS], text
    # Words, not substrings: "undo it" holds "do it".
    assert match_answer("undo it") is None and match_answer("rerun it") is None


def test_an_utterance_cut_before_the_question_answers_nothing(hands_free, speech):
    from voxctl.agent.runner import answer_pending, interactive_asker
    from voxctl.agent.utterance import Utterance

    loop, mic = hands_free, hands_free.voice.mic
    before = len(ran(loop))
    tid = loop.agent.start(utterance=Utterance.from_text("close the window"))
    assert loop.agent.paused_at(tid) == ("confirm",)
    stale = cut(speech, "yes")  # said as the plan was being judged; cut before the question was put
    time.sleep(0.02)
    real = interactive_asker(loop.config, loop.feedback, loop._sources())
    kinds = []

    def asker(payload):
        kinds.append(mic.judge(stale).kind)  # judged late: the microphone's thread was busy
        kinds.append(mic.judge(cut(speech, "no")).kind)  # the answer, said after the question
        return real(payload)

    final = answer_pending(loop.agent, tid, loop._answering(asker), loop.feedback)
    text = report("red team: stale answer (open microphone, real Whisper)",
                  f"'yes' cut before the question, then 'no': routed {kinds}; run {final.get('status')}; "
                  f"primitives {ran(loop)[before:]}")
    assert kinds == ["drop", "answer"] and final.get("status") == "cancelled", text
    assert ran(loop)[before:] == [], text


def test_nothing_heard_before_a_stop_or_a_sleep_runs_after_it(hands_free, speech):
    import contextlib

    loop, mic, voice = hands_free, hands_free.voice.mic, hands_free.voice
    before = len(ran(loop))
    steps = []
    # 1. While a plan runs, a command is heard (queued behind it), then "stop".
    with voice.while_executing(contextlib.nullcontext)():
        steps.append(mic.judge(cut(speech, "press control s")).kind)
        steps.append(mic.judge(cut(speech, "stop")).kind)
    assert loop.stop.is_set()
    steps.append(loop.handle(loop.commands.get_nowait()))
    # 2. A command is heard, then "go to sleep" before the loop gets to it.
    steps.append(mic.judge(cut(speech, "press control s", "rms")).kind)
    steps.append(mic.judge(cut(speech, "go to sleep")).kind)
    steps.append(loop.handle(loop.commands.get_nowait()))
    steps.append(mic.judge(cut(speech, "wake up")).kind)
    # 3. "stop" said while the next command is still being judged, before any of it runs.
    said_stop = []
    on_update = voice.on_update

    def hear_stop_while_judging(node, update):
        on_update(node, update)
        if node == "policy" and not said_stop:
            said_stop.append(mic.judge(cut(speech, "stop", "rms")).kind)

    voice.on_update = hear_stop_while_judging
    try:
        steps.append(mic.judge(cut(speech, "press control s")).kind)
        steps.append(loop.handle(loop.commands.get_nowait()))
    finally:
        voice.on_update = on_update
    after = ran(loop)[before:]
    text = report("red team: voice stop and sleep vs queued commands (open microphone, real Whisper)",
                  f"verdicts and runs {steps}, stop while judging: {said_stop}; primitives after them: {after}")
    assert steps == ["command", "stop", "drop", "command", "sleep", "drop", "wake", "command", "stopped"], text
    assert said_stop == ["stop"] and after == [], text


def test_voxctls_own_earcons_are_never_an_answer(hands_free):
    """Probe (no hole): the earcons are pure tones; the open microphone's VAD cuts none of them into an
    utterance, and Whisper with the answer hint hears nothing in the one played as a question opens."""
    import numpy as np
    import soxr

    from voxctl.agent.earcons import CUES, RATE, tone

    segments: list = []
    vad = Segmenter(segments.append)  # the open microphone's cutter, its own state
    silence = np.zeros(8000, np.float32)
    for cue in CUES:
        vad.feed(np.concatenate([silence, soxr.resample(tone(cue), RATE, 16000).astype(np.float32), silence, silence]))
    confirm = np.concatenate([silence, soxr.resample(tone("confirm"), RATE, 16000).astype(np.float32), silence])
    heard = hands_free._transcribe_answer(confirm)
    report("red team: earcons as answers (silero VAD, bundled Whisper)",
           f"{len(CUES)} cues: utterances cut {len(segments)}; the 'confirm' cue heard as {heard!r}")
    assert segments == [] and match_answer(heard) is None, (segments, heard)
