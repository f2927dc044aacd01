"""The understanding model (agent/interpret/understand): the shipped model, loaded through the backend
table, reaches its stated figures on the held-out dev set (tests/data/understand_dev.yaml, never trained
on); overheard sentences give no action; a guess below the threshold runs nothing and says what it
guessed; the hybrid backend still asks the grammar first; `voxctl train` on a tiny data set makes a model
that loads and changes a prediction."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from voxctl.agent.benchmarks.interpret import same_plan
from voxctl.agent.config import Config
from voxctl.agent.interpret.factory import make_interpreter
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.hybrid import HybridInterpreter
from voxctl.agent.interpret.understand.interpreter import UnderstandInterpreter
from voxctl.agent.utterance import Utterance
from voxctl.tools.registry import validate_action

DEV = Path(__file__).parent / "data" / "understand_dev.yaml"
MIN_DEV_ACCURACY = 0.90  # exact plans, as text (the target); the shipped model: 100/105, docs/BENCHMARKS.md


def _config(**interp: object) -> Config:
    return Config().model_copy(update={"interpreter": Config().interpreter.model_copy(
        update={"backend": "understand", **interp})})


@pytest.fixture(scope="module")
def understand() -> UnderstandInterpreter:
    interp = make_interpreter(_config(), notify=lambda m: None)
    assert isinstance(interp, UnderstandInterpreter)
    return interp


def test_shipped_model_reaches_its_figures_on_the_dev_set(understand: UnderstandInterpreter) -> None:
    dev = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    said = [c["say"] for c in dev["commands"]]
    readings = understand.model.read_many(said + dev["overheard"])  # one batch: the same model, faster
    threshold = understand.model.threshold
    wrong = [(c["say"], r.guess, round(r.confidence, 2)) for c, r in zip(dev["commands"], readings, strict=False)
             if r.confidence < threshold or not same_plan(r.actions, [validate_action(a)[0] for a in c["plan"]])]
    acc = 1 - len(wrong) / len(said)
    print(f"\nunderstand dev set: {acc:.1%} exact plans of {len(said)}")
    assert acc >= MIN_DEV_ACCURACY, wrong
    acting = [(s, r.guess) for s, r in zip(dev["overheard"], readings[len(said):], strict=False)
              if r.actions and r.confidence >= threshold]
    assert len(dev["overheard"]) >= 50 and acting == []
    # The same through the Interpreter interface, as the agent calls it.
    plan = understand.interpret(Utterance.from_text(said[0]))
    assert plan.source == "understand" and plan.actions
    assert understand.interpret(Utterance.from_text(dev["overheard"][0])).actions == []


def test_a_low_confidence_guess_runs_nothing_and_says_what_it_guessed(understand: UnderstandInterpreter) -> None:
    model = understand.model
    saved = model.threshold
    try:
        model.threshold = 1.01  # no guess is that sure: the mechanism, whatever the model
        plan = understand.interpret(Utterance.from_text("save this document"))
    finally:
        model.threshold = saved
    assert plan.actions == []
    assert "did you mean: save (ctrl+s)?" in plan.reason and "say it again" in plan.reason


def test_hybrid_asks_the_grammar_first_then_the_model(understand: UnderstandInterpreter) -> None:
    hybrid = HybridInterpreter(GrammarInterpreter(), understand, "understand")
    assert hybrid.interpret(Utterance.from_text("press control s")).source == "grammar"
    plan = hybrid.interpret(Utterance.from_text("save the current document"))
    assert plan.source == "understand" and [a.args.keys for a in plan.actions] == [["ctrl", "s"]]
    assert hybrid.interpret(Utterance.from_text("i need to find my wallet")).actions == []


def test_train_on_a_tiny_data_set_makes_a_model_that_changes_a_prediction(tmp_path: Path) -> None:
    from voxctl.agent.cli import main

    said = "engage the warp drive"
    examples = tmp_path / "mine.yaml"
    examples.write_text(yaml.safe_dump([{"say": [said, "warp drive on", "engage warp"],
                                         "plan": [{"tool": "press_keys", "args": {"keys": ["ctrl", "shift", "k"]}}]},
                                        {"say": ["make a note", "note this down"],
                                         "plan": [{"tool": "press_keys", "args": {"keys": ["ctrl", "alt", "n"]}}]}]))
    cfg = tmp_path / "config.yaml"
    out = tmp_path / "model"
    cfg.write_text(f"interpreter:\n  understand_model: {out}\n  understand_examples: {examples}\n")
    # recogniser noise (--heard, heard.py's rows): a negative as heard is trained on; a held-out one only
    # calibrates the speech threshold
    heard = tmp_path / "heard.yaml"
    heard.write_text(yaml.safe_dump([
        {"say": "the weather is nice", "intent": "not_a_command", "voice": "slt", "heard": ["the whether is nice."]},
        {"say": "we ran out of milk", "intent": "not_a_command", "voice": "slt", "heard": ["we ran out of mug."],
         "split": "heldout"}]))
    before = make_interpreter(_config(), notify=lambda m: None).interpret(Utterance.from_text(said))
    assert before.actions == []
    assert main(["--config", str(cfg), "train", "--tiny", "--epochs", "30", "--heard", str(heard)]) == 0
    after = make_interpreter(_config(understand_model=str(out)), notify=lambda m: None)
    plan = after.interpret(Utterance.from_text(said))
    assert [a.args.keys for a in plan.actions] == [["ctrl", "shift", "k"]], plan.reason
    figures = after.model.head.meta["figures"]
    assert figures["heldout_heard_negatives"] == 1 and after.model.speech_threshold == figures["speech_threshold"]
    assert main(["--config", str(cfg), "train", "--tiny", "--heard", str(tmp_path / "missing.yaml")]) == 2


def test_heard_rows_are_trained_on_and_held_out_negatives_only_calibrate() -> None:
    """Recogniser noise (data.heard_examples): each of a clip's readings is an example of its phrasing's
    intent, a negative's readings are not_a_command; rows marked held out stay out of training."""
    from voxctl.agent.interpret.understand.data import heard_examples
    from voxctl.agent.interpret.understand.intents import builtin_intents

    rows = [{"say": "quit the program", "intent": "edit:quit", "voice": "slt",
             "heard": ["quit the program.", "quick the program."]},
            {"say": "close the deal before friday", "intent": "not_a_command", "voice": "slt",
             "heard": ["clothes the deal before friday."]},
            {"say": "we ran out of milk", "intent": "not_a_command", "voice": "kal16", "heard": ["we ran out of mug."],
             "split": "heldout"}]
    got = [(e.text, e.intent, e.split) for e in heard_examples(rows, builtin_intents("linux"))]
    assert got == [("quit the program.", "edit:quit", "train"), ("quick the program.", "edit:quit", "train"),
                   ("clothes the deal before friday.", "not_a_command", "train"),
                   ("we ran out of mug.", "not_a_command", "heldout")]


# --- on by default: the hybrid backend's fallback (issue #10) -------------------------------------------
HELDOUT = Path(__file__).parent / "data" / "understand_heldout.yaml"
MIN_HELDOUT_HYBRID = 0.90  # exact plans as text through the default hybrid; measured 60/60 (docs/BENCHMARKS.md; not blind)


class _Heard:
    def __init__(self, text: str):
        self.text, self.score = text, -0.3


class _SaidTranscriber:
    """A recogniser that hears `text` (set per utterance): the hybrid's audio path without Whisper."""

    text = ""
    others: list[str] = []  # its other readings of the same audio (the N best after the first)

    def transcribe(self, audio, *a, **kw) -> _Heard:
        return _Heard(self.text)

    def nbest(self, audio, n, *a, **kw) -> list[_Heard]:
        return [_Heard(t) for t in [self.text, *self.others]][:n]


@pytest.fixture(scope="module")
def default_hybrid() -> HybridInterpreter:
    from voxctl.agent.config import load_config

    interp = make_interpreter(load_config(None), transcriber=_SaidTranscriber(), notify=lambda m: None)
    assert isinstance(interp, HybridInterpreter) and interp.llm_name == "understand"
    return interp


def test_default_hybrid_reads_natural_phrasings_and_acts_on_no_overheard_sentence(default_hybrid) -> None:
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))  # never trained on, nor tuned on
    wrong = []
    for c in data["commands"]:
        plan = default_hybrid.interpret(Utterance.from_text(c["say"]))
        if not same_plan(plan.actions, [validate_action(a)[0] for a in c["plan"]]):
            wrong.append((c["say"], plan.source, [a.model_dump(exclude_none=True) for a in plan.actions]))
    acc = 1 - len(wrong) / len(data["commands"])
    print(f"\ndefault hybrid on the held-out phrasings: {acc:.1%} exact plans of {len(data['commands'])}")
    assert acc >= MIN_HELDOUT_HYBRID, wrong
    acting = [s for s in data["overheard"] if default_hybrid.interpret(Utterance.from_text(s)).actions]
    assert len(data["overheard"]) >= 30 and acting == []


def K(*keys: str) -> list[dict]:
    return [{"tool": "press_keys", "args": {"keys": list(keys)}}]


FALLBACK_TABLE = [
    # natural phrasings the grammar cannot read
    ("could you scroll down a bit", "grammar", [{"tool": "scroll", "args": {"direction": "down"}}]),  # "a bit": a filler
    ("make the text bigger", "understand", K("ctrl", "plus")),
    ("go back a page", "grammar", K("alt", "left")),  # a phrasing of the grammar's since a blind probe set
    # counted in what the action moves over or makes: pages, tabs
    ("go back two pages", "understand", [{"tool": "press_keys", "args": {"keys": ["alt", "left"], "repeat": 2}}]),
    ("open three new tabs", "understand", [{"tool": "press_keys", "args": {"keys": ["ctrl", "t"], "repeat": 3}}]),
    # where to look is not what to look for
    ("find budget on this page", "grammar", [*K("ctrl", "f"), {"tool": "type_text", "args": {"text": "budget"}}]),  # a rule since probe15
    # an app name as the recogniser writes it: split ("fire fox") and capitalised, given as the grammar does
    ("boot up Fire fox", "understand", [{"tool": "open_app", "args": {"name": "firefox"}}]),
    # "two" heard as "to" before a count of pages (every dev voice, blind probe set 9)
    ("take me back to pages.", "understand", [{"tool": "press_keys", "args": {"keys": ["alt", "left"], "repeat": 2}}]),
    # the grammar filled an open slot with a command's words: the model's surer reading replaces it
    ("switch to a new tab", "understand", K("ctrl", "t")),  # the grammar's focus_window "new tab"
    ("open up a new tab", "grammar", K("ctrl", "t")),  # the grammar's since blind probe set 17 ("open up a new")
    ("give it a double click", "understand", [{"tool": "click", "args": {"count": 2}}]),
    # the grammar presses no modifier alone (slots.py is_chord, issue #9): the model reads it; alt+f4 is
    # high risk, so the policy asks first
    ("press alt and f4", "understand", K("alt", "f4")),
    # the grammar's own readings stand
    ("open firefox", "grammar", [{"tool": "open_app", "args": {"name": "firefox"}}]),
    ("switch to terminal", "grammar", [{"tool": "focus_window", "args": {"title": "terminal"}}]),
    ("press control s", "grammar", K("ctrl", "s")),
    # one unknown word, a statement, an overheard sentence, a destructive near miss: nothing runs
    ("right", "understand", []),
    ("The window is open.", "understand", []),
    ("the next tab over has the best prices i swear", "understand", []),
    ("close the windows", "grammar", []),
]


def test_fallback_table(default_hybrid) -> None:
    got = []
    for said, _, plan in FALLBACK_TABLE:
        p = default_hybrid.interpret(Utterance.from_text(said))
        got.append((said, p.source, same_plan(p.actions, [validate_action(a)[0] for a in plan])))
    assert got == [(said, source, True) for said, source, _ in FALLBACK_TABLE]


def test_from_speech_the_model_must_be_surer(default_hybrid) -> None:
    import numpy as np

    from voxctl.agent.interpret.understand.fallback import speech_threshold

    said = GAP_PHRASE  # the model is sure enough of it for typed text, not for a recogniser's reading
    sure = default_hybrid.llm.model.read(said).confidence
    assert default_hybrid.llm.model.threshold <= sure < speech_threshold(default_hybrid.llm)
    assert default_hybrid.interpret(Utterance.from_text(said)).actions
    default_hybrid.transcriber.text = said
    plan = default_hybrid.interpret(Utterance(audio=np.zeros(16000, np.float32)))
    assert plan.actions == [] and plan.transcript == said
    assert f"did you mean: {GAP_GUESS}?" in plan.reason and "say it again" in plan.reason
    default_hybrid.transcriber.text = "save the current document"  # sure enough from speech too
    plan = default_hybrid.interpret(Utterance(audio=np.zeros(16000, np.float32)))
    assert [a.args.keys for a in plan.actions] == [["ctrl", "s"]] and plan.source == "understand"
    # Whisper's readings of en-us+m1 saying "select all of it": the first alone is not sure enough; three
    # distinct readings that give the same plan, one at the speech threshold, are (fallback.AGREE).
    default_hybrid.transcriber.text = "select all the bits."
    try:
        plan = default_hybrid.interpret(Utterance(audio=np.zeros(16000, np.float32)))
        assert plan.actions == [] and "did you mean" in plan.reason
        default_hybrid.transcriber.others = ["select all the bit.", "select all the bids.", "select all of it."]
        plan = default_hybrid.interpret(Utterance(audio=np.zeros(16000, np.float32)))
    finally:
        default_hybrid.transcriber.others = []
    assert [a.args.keys for a in plan.actions] == [["ctrl", "a"]] and plan.source == "understand"


def test_the_heard_head_reads_only_what_the_recogniser_heard_at_its_own_threshold(default_hybrid) -> None:
    """spoken.combine: a recogniser's reading takes the typed head's plan when it is sure enough for speech,
    else the heard head's at HEARD_MIN; typed text is the typed head's alone. Whisper's readings of
    kal saying "oops undo the last change" (a held-out phrasing) and of "scroll down memory lane with me"."""
    from types import SimpleNamespace as NS

    import numpy as np

    from voxctl.agent.interpret.understand.spoken import HEARD_MIN, combine

    typed, heard = NS(actions=["a"], confidence=0.7), NS(actions=["b"], confidence=HEARD_MIN)
    assert combine(typed, heard, 0.65) is typed and combine(typed, heard, 0.75) is heard
    assert combine(typed, NS(actions=["b"], confidence=HEARD_MIN - 0.01), 0.75) is typed
    assert combine(typed, NS(actions=[], confidence=0.99), 0.75) is typed
    model = default_hybrid.llm.model
    assert model.heard is not None
    misheard = "boot and do the last change."
    assert model.read(misheard).confidence < model.threshold  # typed: not a command it is sure of
    assert default_hybrid.interpret(Utterance.from_text(misheard)).actions == []
    default_hybrid.transcriber.text = misheard
    plan = default_hybrid.interpret(Utterance(audio=np.zeros(16000, np.float32)))
    assert [a.args.keys for a in plan.actions] == [["ctrl", "z"]] and plan.source == "understand", plan.reason
    default_hybrid.transcriber.text = "scroll down memory lane with me."  # the heard head alone scrolled
    assert default_hybrid.interpret(Utterance(audio=np.zeros(16000, np.float32))).actions == []


def test_speech_threshold_is_the_models_calibration_above_the_floor() -> None:
    """From speech the fallback needs the speech threshold the model was calibrated to (on held-out
    negatives as heard, train.evaluate), never less than AUDIO_MIN; a model without one: AUDIO_MIN."""
    from types import SimpleNamespace as NS

    from voxctl.agent.interpret.understand.fallback import speech_threshold
    from voxctl.agent.interpret.understand.spoken import AUDIO_MIN

    assert speech_threshold(NS(model=NS(speech_threshold=0.83))) == 0.83
    assert speech_threshold(NS(model=NS(speech_threshold=AUDIO_MIN - 0.1))) == AUDIO_MIN
    assert speech_threshold(NS(model=NS(speech_threshold=None))) == AUDIO_MIN


# Said by flite's slt, Whisper hears it right; the shipped model reads it at ~52 %: above the typed-text
# threshold, below the speech one (and no three readings of the audio agree on it).
GAP_PHRASE, GAP_GUESS = "open the next tab", "next tab (ctrl+tab)"


@pytest.fixture(scope="module")
def heard_hybrid(bundled_whisper) -> HybridInterpreter:
    """The default hybrid hearing through the bundled Whisper (loaded once per session); the grammar's
    acoustic rescoring off (seconds per utterance on a busy box; not what is tested here)."""
    from voxctl.agent.config import load_config

    cfg = load_config(None)
    cfg = cfg.model_copy(update={"interpreter": cfg.interpreter.model_copy(update={"rescore": "off"})})
    interp = make_interpreter(cfg, transcriber=bundled_whisper, notify=lambda m: None)
    assert isinstance(interp, HybridInterpreter) and interp.llm_name == "understand"
    return interp


def test_from_real_speech_the_model_must_be_surer(heard_hybrid, speech) -> None:
    """The same rule on synthesized speech read by the real recogniser: what Whisper hears of a phrasing the
    grammar cannot read acts only at the speech threshold; below it nothing runs and the reason says what
    the model guessed."""
    from voxctl.agent.interpret.understand.fallback import speech_threshold

    plan = heard_hybrid.interpret(Utterance(audio=speech("save the current document", "slt")))
    assert plan.source == "understand" and [a.args.keys for a in plan.actions] == [["ctrl", "s"]], plan.reason
    said = GAP_PHRASE  # the model is sure enough of it as typed text, not from a recogniser's reading
    plan = heard_hybrid.interpret(Utterance(audio=speech(said, "slt")))
    sure = heard_hybrid.llm.model.read(plan.transcript).confidence
    assert heard_hybrid.llm.model.threshold <= sure < speech_threshold(heard_hybrid.llm), (plan.transcript, sure)
    assert heard_hybrid.interpret(Utterance.from_text(plan.transcript)).actions
    assert plan.actions == [] and f"did you mean: {GAP_GUESS}?" in plan.reason and "say yes" in plan.reason
    # "say yes" (interpret/guessed.py, as the agent takes it): the guess runs on a spoken yes, once
    from voxctl.agent.interpret.guessed import Guesses

    assert [a.args.keys for a in plan.guess] == [["ctrl", "tab"]]
    guesses = Guesses()
    guesses.answer(plan)
    yes = guesses.answer(heard_hybrid.interpret(Utterance(audio=speech("yes", "slt"))))
    assert [a.args.keys for a in yes.actions] == [["ctrl", "tab"]] and yes.source == "understand", (yes.transcript, yes.reason)
    assert guesses.answer(heard_hybrid.interpret(Utterance(audio=speech("yes", "slt")))).actions == []


# Acoustic variants (understand/variants.py, off by default: fallback.VARIANTS). A reading with a word
# swapped for a like-sounding command word is taken only when the model is sure of it and the recogniser's
# forced score of it on the audio is within variants.MARGIN of its likeliest free reading.
def test_a_variant_is_taken_only_when_the_audio_bears_it_out(understand: UnderstandInterpreter) -> None:
    from types import SimpleNamespace as NS

    from voxctl.agent.interpret.understand import variants
    from voxctl.agent.interpret.understand.no_instruction import not_a_command

    near = variants.alikes(understand.model)
    assert "write" in near.near("right") and "backspace" not in near.near("right")
    assert "the" not in near.near("tea")  # function words are never swapped in
    heard = "right good morning team."
    assert "write good morning team." in near.variants(heard)
    scores = {"Right good morning team.": -0.4}  # what the stand-in recogniser finds likely

    def score(audio: object, texts: list[str]) -> list[NS]:
        return [NS(score=scores.get(t, -3.0 if t.startswith("Write") else -9.0)) for t in texts]

    args = (understand.model, score, object(), [heard], lambda r: 0.65, not_a_command)
    assert variants.rescue(*args) is None  # "write ..." is 2.6 per token less likely: not taken
    scores["Write good morning team."] = -0.6
    got = variants.rescue(*args)
    assert got is not None and got.text == "write good morning team."
    assert [(a.tool, a.args.text) for a in got.reading.actions] == [("type_text", "good morning team")]
    assert variants.rescue(understand.model, None, object(), [heard], lambda r: 0.65, not_a_command) is None


def test_an_overheard_sentence_stays_no_command_when_its_variant_is_unlikely(heard_hybrid, speech, monkeypatch) -> None:
    """Real speech, real Whisper: "scroll down memory lane with me" (flite awb) is heard right and read as
    no command; its variant "... memory line ..." the model reads surely as a scroll, but the audio makes it
    less likely than the reading by more than the margin, so nothing runs; without the rejection it scrolls."""
    from voxctl.agent.interpret.understand import fallback, variants

    audio = speech("scroll down memory lane with me", "awb")
    monkeypatch.setattr(fallback, "VARIANTS", True)
    plan = heard_hybrid.interpret(Utterance(audio=audio))
    assert "memory lane" in plan.transcript.lower() and plan.actions == [], plan
    monkeypatch.setattr(variants, "MARGIN", 99.0)  # no rejection by likelihood
    assert [a.tool for a in heard_hybrid.interpret(Utterance(audio=audio)).actions] == ["scroll"]


def test_dictation_marks_said_keep_write_as_dictation(default_hybrid) -> None:
    """"write thank you for letting us know comma we will call you back full stop" (blind probe set 35): a sentence
    about what someone will do, but dictation's marks said as words are dictation; "write the report by friday"
    (no mark) is still taken back. The marks are dictation.yaml's own words."""
    from voxctl.agent.interpret.dictation import DICTATION_MARKS, load_dictation

    spec = load_dictation(None)
    words = {" ".join(p) for p in (*spec.punctuation, *spec.layout)}
    assert set(DICTATION_MARKS) <= words, set(DICTATION_MARKS) - words
    said = "write thank you for letting us know comma we will call you back full stop"
    plan = default_hybrid.interpret(Utterance.from_text(said))
    assert [(a.tool, a.args.text) for a in plan.actions] == [("type_text", "thank you for letting us know, we will call you back.")]
    assert default_hybrid.interpret(Utterance.from_text("write the report by friday")).actions == []


def test_write_in_a_window_a_person_writes_in_is_dictation(default_hybrid) -> None:
    """Where a person writes (a document, a note, a mail being written: grammar.yaml's writing_windows), "write ..."
    said first is dictation unless its words decide otherwise; the model does not take it back as talk ("write most
    users expected the filter on the left side" in Notion, blind probe set 55). In a mail list it still does."""
    from voxctl.agent.utterance import ScreenState

    said = "write most users expected the filter on the left side"
    for window in ("P7 Interview Notes - Notion", "Q3 findings - Google Docs - Google Chrome", "report.odt - LibreOffice Writer",
                   "Write: Re: Photos - Thunderbird"):
        plan = default_hybrid.interpret(Utterance.from_text(said, ScreenState(active_window=window)))
        assert [(a.tool, a.args.text) for a in plan.actions] == [("type_text", said[6:])], (window, plan)
    for window in ("Inbox - Mozilla Thunderbird", ""):
        assert default_hybrid.interpret(Utterance.from_text(said, ScreenState(active_window=window))).actions == [], window
    chat = ScreenState(active_window="Chat | Priya Nair | Microsoft Teams")  # "period" said last is a mark (set 58)
    plan = default_hybrid.interpret(Utterance.from_text("write i'll send the revised drawings by end of day period", chat))
    assert [a.args.text for a in plan.actions] == ["i'll send the revised drawings by end of day."], plan
    notes = ScreenState(active_window="P7 Interview Notes - Notion")  # the words still decide
    assert default_hybrid.interpret(Utterance.from_text("write me when you land", notes)).actions == []


def test_an_app_said_by_its_name_is_not_the_models_to_take(default_hybrid) -> None:
    """An app of grammar.yaml's table said word for word is opened ("open the snipping tool" was the model's
    screenshot, "open file explorer" its ctrl+o: blind probe set 70); a name heard near one is still the model's to
    judge ("open the file" is ctrl+o, not the app "files")."""
    assert [(a.tool, a.args.name) for a in default_hybrid.interpret(Utterance.from_text("open the snipping tool")).actions] == [
        ("open_app", "snipping tool")]
    assert [(a.tool, a.args.name) for a in default_hybrid.interpret(Utterance.from_text("open file explorer")).actions] == [
        ("open_app", "file explorer")]
    assert [a.args.keys for a in default_hybrid.interpret(Utterance.from_text("open the file. please.")).actions] == [["ctrl", "o"]]


def test_no_problem_is_courtesy_not_a_negation(default_hybrid) -> None:
    """"no problem" is said to be kind, not to say no: "write okay brother no problem" in a chat dictates it (blind probe
    set 67 ran nothing: "it says not to"); "no" before anything else still says not to."""
    from voxctl.agent.utterance import ScreenState

    chat = ScreenState(active_window="(2) WhatsApp - Google Chrome")
    plan = default_hybrid.interpret(Utterance.from_text("write okay brother no problem", chat))
    assert [a.args.text for a in plan.actions] == ["okay brother no problem"], plan
    assert default_hybrid.interpret(Utterance.from_text("no problem", chat)).actions == []
    assert default_hybrid.interpret(Utterance.from_text("no don't close the window", chat)).actions == []
