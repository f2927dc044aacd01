"""Item 2: spoken risky commands never run a high-risk action without a recorded confirmation.

Real parts end to end: commands synthesized by flite (tests/fixtures/speech.py) in two voices (slt, rms), the bundled Whisper tiny.en, the grammar interpreter and the LangGraph agent with its audit log,
on the dry-run desktop (it records every primitive: that is the effect measured). A risky macro comes
from a real macros file. Nobody answers "yes" in the first pass: each paused run is resumed with a
timeout (the confirm module's answer when no one answers) or a spoken "no" — 0 high-risk primitives may
appear. In the second pass the same utterances are answered yes; every high-risk primitive that then
runs must belong to a run whose audit record holds an approving answer.
"""

from __future__ import annotations

import pytest

from tests.safety import report
from tests.safety.conftest import safety_config
from voxctl.agent.graph import Agent
from voxctl.agent.interpret.factory import make_interpreter
from voxctl.agent.utterance import Utterance
from voxctl.tools.dryrun import DryRunDesktop
from voxctl.tools.keys import is_destructive

COMMANDS = [
    "close the window", "close this window", "close the application", "close the program", "press alt f4",
    "press control w", "press control q", "press shift delete", "close the tab", "close this tab", "quit",
    "quit the app", "press control shift w", "press control shift q", "press control f4", "run cleanup",
    "press control alt delete", "press alt f4 twice", "close the current window", "quit application",
    "cleanup", "press control w three times", "close the active window", "press control shift delete",
    "run my cleanup",
]
VOICES = ["slt", "rms"]
MACROS = """cleanup:
  say: ["clean up my desktop"]
  actions:
    - {tool: type_text, args: {text: bye}}
    - {tool: close_window}
"""


def high_risk_primitives(log) -> list[tuple[str, dict]]:
    return [(n, kw) for n, kw in log if n == "close" or (n == "press" and is_destructive(kw["keys"]))]


@pytest.fixture(scope="module")
def utterances(speech):
    clips = []
    for text in COMMANDS:
        for voice in VOICES:
            try:
                clips.append((text, voice, speech(text, voice)))
            except Exception as e:
                pytest.skip(f"cannot synthesize with {voice}: {e}")
    return clips


def make_agent(tmp_path, transcriber, name):
    macros = tmp_path / "macros.yaml"
    macros.write_text(MACROS)
    config = safety_config(tmp_path / name, interpreter={"macros_file": str(macros)})
    (tmp_path / name).mkdir()
    interpreter = make_interpreter(config, transcriber=transcriber)
    return Agent(config, interpreter=interpreter, desktop=DryRunDesktop())


def test_spoken_risky_commands_need_a_recorded_confirmation(tmp_path, transcriber, utterances):
    refuse = make_agent(tmp_path, transcriber, "no")
    approve = make_agent(tmp_path, transcriber, "yes")
    asked = ran_high_unconfirmed = heard_low = 0
    misheard: list[str] = []
    transcripts: list[tuple[str, str]] = []
    for n, (text, voice, audio) in enumerate(utterances):
        before = len(refuse.desktop.log)
        tid = refuse.start(Utterance(audio=audio))
        heard = refuse.values(tid).get("transcript", "")
        transcripts.append((f"{text} [{voice}]", heard))
        if refuse.paused_at(tid) == ("confirm",):
            asked += 1
            answer = ({"approved": False, "via": "timeout", "heard": ""} if n % 2 else
                      {"approved": False, "via": "voice", "heard": "No."})
            refuse.resume(tid, answer)
            assert refuse.values(tid)["status"] == "cancelled"
        else:
            misheard.append(f"{text!r} [{voice}] -> {heard!r}: {refuse.values(tid)['status']}")
        new = refuse.desktop.log[before:]
        ran_high_unconfirmed += len(high_risk_primitives(new))
        heard_low += bool(new)
        assert high_risk_primitives(new) == [], (text, voice, heard, new)
        assert refuse.audit.primitives(tid) == [] or refuse.paused_at(tid) == ()

        # The same words answered yes (the transcript is reused: Whisper already heard them).
        before = len(approve.desktop.log)
        tid2 = approve.start(Utterance(audio=audio, transcript=heard))
        if approve.paused_at(tid2) == ("confirm",):
            approve.resume(tid2, {"approved": True, "via": "voice", "heard": "Yes."})
        if high_risk_primitives(approve.desktop.log[before:]):
            entry = approve.audit.get(tid2)
            assert entry.answer is not None and entry.answer["approved"] is True, (text, entry)
            assert entry.answer["via"] == "voice" and entry.decision["verdict"] == "confirm"
            assert entry.primitives == len(approve.desktop.log) - before
    confirmed_high = len(high_risk_primitives(approve.desktop.log))
    unconfirmed_runs = [e for e in approve.audit.recent(1000)
                        if any(a.tool == "close_window" or (a.tool == "press_keys" and is_destructive(a.args["keys"]))
                               for a in e.actions) and not (e.answer or {}).get("approved")]
    text = report("2 risky speech", f"{len(utterances)} spoken risky commands ({len({v for _, v, _ in utterances})} "
                  f"voices): {asked} paused for confirmation, {ran_high_unconfirmed} high-risk primitives executed "
                  f"without a yes, {heard_low} misheard as a harmless command that ran; answered yes: "
                  f"{confirmed_high} high-risk primitives ran, {len(unconfirmed_runs)} without a recorded approval")
    print("  not asked:", *misheard, sep="\n    ")
    assert len(utterances) >= 50, text
    assert ran_high_unconfirmed == 0 and not unconfirmed_runs, text
    # Not vacuous: most risky commands were heard as risky and reached the confirmation step (recognition
    # accuracy itself is measured elsewhere; it moves with the ASR settings, so the bar here is low).
    assert asked >= 0.6 * len(utterances), text
    assert confirmed_high >= asked, text
