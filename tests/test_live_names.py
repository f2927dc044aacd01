"""The names a person says, in the recogniser's hint as `voxctl listen` gives it (ListenLoop.hint_names).

tiny.en writes what its language model expects: "switch to slack" is "switch to slide", "firefox" "fire
flash", "spotify" "speed of eye", unless the hint (text Whisper takes as said just before) holds the name.
The loop gives it the configured apps, the installed apps the grammar knows, the macros and the titles of the
windows open now, at start and after each plan. Real parts: the loop in process with the bundled Whisper, the
default hybrid interpreter, a dry-run desktop whose window list changes, and the spoken dev set's own clip
(flite slt, perturbed) of a phrasing from the blind probe sets that slt misheard without the name.
"""

from __future__ import annotations

import io

import pytest
import yaml
from rich.console import Console

from voxctl.agent.config import Config
from voxctl.agent.feedback import Feedback
from voxctl.tools.desktop import Window


@pytest.fixture
def loop(tmp_path):
    return _loop(tmp_path, titles=True)


def _loop(tmp_path, titles: bool):
    from voxctl.agent.graph import Agent
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.loop import ListenLoop
    from voxctl.agent.session import Session

    (tmp_path / "macros.yaml").write_text("standup:\n  - {tool: type_text, args: {text: standup notes}}\n",
                                          encoding="utf-8")
    config = Config.model_validate(yaml.safe_load(f"""
history: {{path: "{tmp_path / 'h.sqlite'}"}}
interpreter: {{macros_file: "{tmp_path / 'macros.yaml'}"}}
desktop: {{backend: dry_run, app_aliases: {{music: spotify}}}}
asr: {{hint_window_titles: {str(titles).lower()}}}
"""))
    out = io.StringIO()
    loop = ListenLoop(config, dry_run=True, feedback=Feedback(config.feedback, console=Console(file=out, width=200)))
    session = Session.build(config)
    loop.transcriber = Transcriber(config.asr)
    loop.agent = Agent(session, interpreter=make_interpreter(session, transcriber=loop.transcriber,
                                                             notify=lambda m: None), dry_run=True, stop=loop.stop)
    loop.vocabulary = session.vocabulary()
    loop.out = out
    return loop


def clip(say: str, voice: str):
    from voxctl.agent.benchmarks import devset

    try:
        return devset._speech_clip(devset._Item(say, [], "command"), voice).audio
    except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
        pytest.skip(f"cannot synthesize with {voice}: {e}")


def test_the_hint_holds_the_apps_the_macros_and_the_windows_open_now(loop):
    desktop = loop.agent.desktop
    desktop.open_windows = [Window("0x1", "Terminal"), Window("0x2", "Inbox - Thunderbird")]
    loop.hint_names()
    hint = loop.transcriber.hint
    assert hint.startswith("press control c.")  # the example sentences stay
    assert "switch to Inbox Thunderbird." in hint and "open music." in hint and "run standup." in hint, hint
    desktop.open_windows = [Window("0x1", "Terminal")]
    loop.hint_names()
    assert "Thunderbird" not in loop.transcriber.hint  # a window closed: its name goes


def test_a_window_opened_reaches_the_hint_after_the_plan_and_its_name_is_heard(loop):
    """slt's perturbed "copy this then switch to slack and paste" is "copy the send switch to second paste." with
    no Slack window open (blind probe4, 2026-12-05): nothing runs. A Slack window opened meanwhile (by a plan or
    by hand) is in the hint once that utterance's plan is over; the same clip is then read with its name."""
    desktop = loop.agent.desktop
    desktop.open_windows = [Window("0x1", "Terminal")]
    loop.hint_names()
    audio = clip("copy this then switch to slack and paste", "slt")
    desktop.open_windows = [Window("0x1", "Terminal"), Window("0x2", "Slack")]
    loop.handle(audio)
    assert desktop.describe() == [], (desktop.describe(), loop.out.getvalue())
    assert "switch to Slack." in loop.transcriber.hint  # refreshed after the utterance
    loop.handle(audio)
    assert desktop.describe() == ["press(keys=['ctrl', 'c'])", "activate(window='Slack')",
                                  "press(keys=['ctrl', 'v'])"], (desktop.describe(), loop.out.getvalue())


def test_titles_stay_out_of_the_hint_by_default_the_apps_and_macros_go_in(tmp_path):
    """`asr.hint_window_titles` is off by default (docs/BENCHMARKS.md: six titles gave +9 commands of 1,822 and +4
    talk readings that acted); the apps and macros are in the hint whatever the windows."""
    loop = _loop(tmp_path, titles=False)
    loop.agent.desktop.open_windows = [Window("0x1", "Terminal"), Window("0x2", "Inbox - Thunderbird")]
    loop.hint_names()
    hint = loop.transcriber.hint
    assert "Thunderbird" not in hint and "switch to Terminal" not in hint, hint
    assert "open music." in hint and "run standup." in hint and hint.startswith("press control c."), hint


def test_in_dictation_mode_the_hint_teaches_its_ways_out_and_they_are_heard(loop):
    """In dictation mode the command sentences are no prior for what is said: slt's perturbed "stop dictation"
    (the spoken dev set's clip) was "start with tation." with them, and typed; the hands-free session test failed
    on the same mishearing ("stop location."). After "start dictation" the hint holds the mode's ways out and
    escapes and no names (none is said there but after "press"); the way out is heard and dictation ends."""
    from voxctl.agent.handsfree import grammar_of

    grammar = grammar_of(loop.agent.interpreter)
    loop.hint_names()
    command_hint = loop.transcriber.hint
    loop.handle(clip("start dictation", "slt"))
    assert grammar.dictation_mode.on, loop.out.getvalue()
    hint = loop.transcriber.hint
    assert "stop dictation." in hint and "command mode." in hint and "scratch that." in hint, hint
    assert "run standup" not in hint and "press control c." not in hint, hint
    audio = clip("stop dictation", "slt")
    assert "stop dictation" not in loop.transcriber.transcribe(audio, hotwords=command_hint).text.lower()
    loop.handle(audio)
    assert not grammar.dictation_mode.on, loop.out.getvalue()
    assert loop.agent.desktop.describe() == [], (loop.agent.desktop.describe(), loop.out.getvalue())
    assert loop.transcriber.hint == command_hint  # command mode: the command sentences and the names again


def test_a_chord_the_hint_quotes_is_checked_against_the_chord_said(loop):
    """The hint's "press alt f" pulls "alt tab" onto itself: en-us+m5's "press alt tab" (clean, as synthesized) was
    read "press alt f." with the hint in every run (other voices' on other CTranslate2 builds). A reading on a chord the hint quotes is checked on the audio,
    forced without the hint, against the same chord with another last key (key_check.quoted): "press alt tab" is
    likelier by 3.1 per token, beyond QUOTED_SWITCH, and alt+tab is pressed. A true "press alt f" stays alt+f."""
    from tests.hinting import found_hint
    from voxctl.agent.benchmarks import devset

    with found_hint(loop.transcriber):  # the hint it was found with: the shipped one reads "press alt tab." right
        loop.hint_names()
        # the voice whose "press alt tab" the hint reads "press alt f.": en-us+m5 where it was found; on CTranslate2
        # 4.8.5 (2026-12-07) m5 reads it right and en-us+m2, m3, f1-f4 read it so
        tab = f = None
        for voice in ("en-us+m5", "en-us+m2", "en-us+m3", "en-us+f1"):
            try:
                said = devset.synthesize("press alt tab", voice)
            except Exception as e:  # noqa: BLE001 - a missing synthesizer is a skip, not a pass
                pytest.skip(f"cannot synthesize: {e}")
            if "press alt f" in loop.transcriber.transcribe(said).text.lower():  # what the hint makes of it
                tab, f = said, devset.synthesize("press alt f", voice)
                break
        assert tab is not None, "no voice's 'press alt tab' is read 'press alt f.' under this hint: the case is gone"
        loop.handle(tab)
        loop.handle(f)
    assert loop.agent.desktop.describe() == ["press(keys=['alt', 'tab'])", "press(keys=['alt', 'f'])"], (
        loop.agent.desktop.describe(), loop.out.getvalue())


def test_words_the_recogniser_was_too_unsure_of_are_no_plan_for_the_model_either(loop):
    """en-us+f2's "not now" (the spoken blind set 6's clip, perturbed) is read "alt f." below the recogniser's floor,
    and the look by sound calls it talk: the grammar runs nothing (its first reading is "go."). The understanding model then read the same words
    and pressed alt+f. A reading the grammar held as too unsure is no plan for the model (fallback._unsure_of)."""
    from voxctl.agent.benchmarks import devset

    devset.hint_as_listen(loop.transcriber, Config(), devset.macros(), ())  # the hint the bench read it with
    audio = clip("not now", "en-us+f2")
    loop.handle(audio)  # read "go.", its N best "alt f." too unsure (below the floor), by sound: talk
    assert loop.agent.desktop.describe() == [], (loop.agent.desktop.describe(), loop.out.getvalue())


def test_the_model_acts_only_on_a_reading_the_recogniser_was_sure_enough_of(loop):
    """en-us+m1's "volume down three notches" (spoken blind set 6's clip, perturbed) is read "mouse you down three
    arches." at -0.95 per token; the understanding model read that as a nudge of the mouse, and moved it. From audio,
    the model now acts only on a reading scored at least fallback.HEARD_FLOOR: below, it says its guess and nothing
    runs. A sure reading still acts: "make the page smaller" (-0.09) zooms out."""
    from voxctl.agent.benchmarks import devset

    devset.hint_as_listen(loop.transcriber, Config(), devset.macros(), ())  # the hint the bench read it with
    loop.handle(clip("volume down three notches", "en-us+m1"))
    assert loop.agent.desktop.describe() == [], (loop.agent.desktop.describe(), loop.out.getvalue())
    assert "heard unsurely" in loop.out.getvalue(), loop.out.getvalue()
    loop.handle(clip("make the page smaller", "en-us+m1"))
    assert loop.agent.desktop.describe() == ["press(keys=['ctrl', 'minus'])"], (loop.agent.desktop.describe(),
                                                                                loop.out.getvalue())


def test_a_not_the_reading_without_the_hint_may_have_misheard_does_not_veto(loop):
    """en-us+m1's "close the current tab" and "cursor go to beginning of line" (spoken blind probe set 7's clips,
    perturbed) are heard word for word with the hint; without it, "Close, not current, tab." and "cursor don't be
    beginning of line": a "not" where the hinted reading has another word vetoed the model's plan as talk that says
    not to. It now vetoes only where the hint could have left it out (fallback._negation_heard): "No, leave the tab
    open." read "leave the tab open." still runs nothing (tests/safety/test_hint_talk.py)."""
    from voxctl.agent.benchmarks import devset

    devset.hint_as_listen(loop.transcriber, Config(), devset.macros(), ())  # the hint the bench read it with
    loop.handle(clip("cursor go to beginning of line", "en-us+m1"))
    assert loop.agent.desktop.describe() == ["press(keys=['home'])"], (loop.agent.desktop.describe(),
                                                                      loop.out.getvalue())


def test_the_focused_apps_own_actions_reach_the_hint_and_are_heard(loop):
    """Under the general command sentences slt's "reply all" was "click light all." (spoken blind probe set 25): a
    click on nothing. With Thunderbird focused the hint also says how its own actions are said ("reply. reply
    all. ..."), and the same clip is Thunderbird's reply all; with a terminal focused those sentences go."""
    desktop = loop.agent.desktop
    desktop.open_windows = [Window("0x2", "Disk usage alert on db-02 - Mozilla Thunderbird"), Window("0x1", "notes.txt - Mousepad")]
    loop.hint_names()
    assert loop.transcriber.hint.startswith("reply. reply all. forward this. send it."), loop.transcriber.hint
    loop.handle(clip("reply all", "slt"))
    assert desktop.describe()[-1:] == ["press(keys=['ctrl', 'shift', 'r'])"], (desktop.describe(), loop.out.getvalue())
    desktop.open_windows = desktop.open_windows[::-1]  # the editor in front: no app of the table
    loop.hint_names()
    assert "reply." not in loop.transcriber.hint and loop.transcriber.hint.startswith("press control c.")

