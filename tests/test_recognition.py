"""Recognition on the audio that exists, scored by the grammar: the bundled Whisper tiny.en on real
synthesized speech (flite), the short mel window (agent/listen/window.py), the N best readings rescored
by the grammar (GrammarInterpreter.read), the grammar's candidates forced through Whisper (rescore.py),
decoder loops resolved with the audio. One Whisper per module."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.listen.asr import Transcriber
from voxctl.agent.listen.hallucination import repeat_of, said_again, same_words
from voxctl.agent.listen.spoken_set import normalize
from voxctl.agent.listen.window import FULL_FRAMES
from voxctl.tools.registry import call

SR = 16000


@pytest.fixture(scope="module")
def whisper() -> Transcriber:
    """With the hint its cases were found with (tests/hinting.py; the shipped one moves "undo" and "alt tab")."""
    from tests.hinting import found_hint

    with found_hint(Transcriber()) as t:
        yield t


@pytest.fixture(scope="module")
def grammar(whisper) -> GrammarInterpreter:
    return GrammarInterpreter(transcriber=whisper)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), np.float32)


def test_short_window_reads_as_the_full_window(whisper, speech) -> None:
    """Short words included: they must not vanish on a window sized to them."""
    phrases = ("paste", "undo", "copy", "press control s")
    differ = []
    for text in phrases:
        audio = speech(text, "slt")
        decoded = whisper.window.decode(audio, whisper.hint, 1)  # the short window alone, no second look
        short = whisper.nbest(audio, 1)[0]  # the same reading, a decoder loop resolved with the audio
        full = whisper._full(audio, whisper.hint, 1, {})
        assert decoded.frames < FULL_FRAMES and full.window == "full"
        assert -2.0 < short.score <= 0.0
        if normalize(short.text) != normalize(full.text) or not short.text:
            differ.append(f"{text!r}: short {short.text!r}, full {full.text!r}")
    assert not differ, "\n".join(differ)
    # Dictation longer than the short window's limit goes to the full 30 s windows.
    long = whisper.transcribe(np.concatenate([speech("type hello world", "slt"), silence(10.5)]))
    assert long.window == "full" and normalize(long.text)[-2:] == ["hello", "world"]


def test_loop_rule_on_text() -> None:
    rep = repeat_of("press control s. press control s. press con")
    assert rep is not None and rep.unit == ("press", "control", "s") and rep.copies == 2
    assert rep.text_of("press control s. press control s. press con", 1) == "press control s."
    assert not rep.plausible(3, 1.0) and rep.plausible(2, 1.0)  # 9 words in one second: no one speaks so fast
    assert repeat_of("press enter three times") is None and repeat_of("paste") is None
    assert repeat_of("cut cut cut").copies == 3
    assert same_words(("press", "control", "s"), "Press control S.") and not same_words(("press", "control", "s"),
                                                                                        "Press con.")


def test_a_loop_never_doubles_an_action_a_real_repeat_does(whisper, grammar, speech) -> None:
    once = speech("press control s", "slt")
    # The decoder's loop as the short window once wrote it, over the audio of one "press control s".
    text, removed = whisper._resolve_loop(once, "press control s. press control s. press control s.", whisper.hint)
    assert text == "press control s." and removed
    assert grammar.read(once).plan.actions == [call("press_keys", keys=["ctrl", "s"])]
    # Said twice with a pause between: two actions, also when the decoder writes it three times.
    twice = np.concatenate([speech("scroll down", "slt"), silence(0.5), speech("scroll down", "slt")])
    text, _ = whisper._resolve_loop(twice, "scroll down. scroll down. scroll down.", whisper.hint)
    assert repeat_of(text).copies == 2
    assert len(grammar.read(twice).plan.actions) == 2
    # The full 30 s window loops too: one "press f" read "press f. press f." (espeak en-us+m7, 2026-12-03),
    # and the short window's unsure reading sent it there. Resolved with the audio as well: one press.
    f_once = speech("press f", "espeak:en-us+m7")
    assert normalize(whisper.transcribe_full(f_once).text) == ["press", "f"]
    assert grammar.read(f_once).plan.actions == [call("press_keys", keys=["f"])]


def test_a_word_said_a_few_times_over_is_no_loop_to_drop(whisper, grammar, speech) -> None:
    """"undo, undo, undo" and "tab tab tab" were read as loops on both windows and dropped: nothing ran, in every dev
    voice of the spoken blind sets. A few copies that the audio has time for, read with no doubt that there was
    speech, are speech (hallucination.said_again); how many run is what the audio bears out (one when its parts
    do not each read as one copy), never more."""
    assert said_again("undo. undo. undo.", 1.5) and said_again("tab tab tab tab.", 1.2)
    assert not said_again("press press press press press press press press", 1.5)  # the hint's loop: 8 copies
    assert not said_again("go. go. go. go. go. go. go. go. go. go. go. go. go. go.", 2.0)
    for said, voice, key in (("undo, undo, undo", "slt", ["ctrl", "z"]), ("tab tab tab", "espeak:en-us+m1", ["tab"])):
        acts = grammar.read(speech(said, voice)).plan.actions
        assert 1 <= len(acts) <= 3 and all(a == call("press_keys", keys=key) for a in acts), (said, voice, acts)


# (said, voice, what the short window does, the reading wanted, whether the 30 s window must be read)
REREADS = (
    ("middle click", "espeak:en-us+m4", "unsure", "middle click", False),  # "mid-clock. click." -0.97
    ("press alt tab", "espeak:en-us+m1", "unsure", "press alt tab", False),  # "press alt f." -0.52
    ("click", "espeak:en-us+m1", "loops", "click", True),  # "click. click. click. ..."
)


def test_an_unsure_reading_is_read_again_on_a_padded_window_a_loop_on_30_s(whisper, grammar, speech) -> None:
    """The reread of an unsure short reading (asr.Transcriber._reread) is the speech plus 5 s of padding,
    not the 30 s window: the right reading, at ~0.2x the cost. A loop still goes to the 30 s window, and
    never doubles an action."""
    shipped = whisper.config
    whisper.config = shipped.model_copy(update={"reread_pad_s": 5.0})  # off by default (config.yaml)
    try:
        _reread_as_measured(whisper, grammar, speech)
    finally:
        whisper.config = shipped  # the module's other tests read as shipped


def _reread_as_measured(whisper, grammar, speech) -> None:
    from voxctl.agent.listen.asr import UNSURE_SCORE
    from voxctl.agent.listen.hallucination import looping

    for said, voice, short_does, wanted, full in REREADS:
        audio = speech(said, voice)
        whisper.forget()
        first = whisper.window.decode(audio, whisper.hint, 1).hypotheses[0]
        assert looping(first.text) if short_does == "loops" else first.score < UNSURE_SCORE, (said, voice, first)
        whisper.forget()
        whisper.spent.take()
        got = whisper.transcribe(audio)
        spent = whisper.spent.take()
        assert normalize(got.text) == wanted.split(), (said, voice, got.text, spent["notes"])
        assert ("reread" in spent["ms"]) == (short_does == "unsure") and ("full" in spent["ms"]) == full, spent
        if short_does == "loops":
            assert len(grammar.read(audio).plan.actions) == 1, (said, voice)


def test_non_commands_and_noise_run_nothing(grammar, speech) -> None:
    rng = np.random.default_rng(3)
    noise = (rng.standard_normal(SR) * 0.1).astype(np.float32)
    for audio in (speech("I think we should have lunch at noon", "rms"), noise):
        result = grammar.read(audio)
        assert result.plan.actions == [], result
        if result.free_text:
            assert result.rejected and result.plan.reason and not result.chosen_text


def test_chosen_readings_are_grammar_sentences(grammar, speech) -> None:
    """Whatever reading is chosen, the plan is what the grammar makes of exactly that text, and the
    second look considers several readings, each with a score and a verdict."""
    for text, voice in (("press control s", "kal16"), ("undo that", "awb")):
        result = grammar.read(speech(text, voice))
        if result.plan.actions and result.candidates:  # chosen by rescoring: forced scores compare
            ref = max(c.score for c in result.candidates if c.verdict.startswith("free"))
            assert result.chosen_score >= ref - grammar.rescore_margin - 1e-9
        elif result.plan.actions:
            assert result.chosen_text and result.chosen_score is not None
            assert result.chosen_score >= result.free_score - grammar.margin - 1e-9
            assert grammar.analyse(result.chosen_text).plan.actions == result.plan.actions
        else:
            assert result.retried and len(result.hypotheses) >= 2
            assert all(h.score is not None and h.verdict != "chosen" for h in result.hypotheses)


def test_interpret_json_shows_the_readings(whisper, speech, tmp_path, capsys, monkeypatch) -> None:
    import voxctl.agent.listen.asr as asr
    from voxctl.agent.cli import main

    monkeypatch.setattr(asr, "Transcriber", lambda *a, **kw: whisper)  # the module's model, not a second load
    files = []
    for name, text in (("save", "press control s"), ("story", "tell me a story")):
        files.append(tmp_path / f"{name}.wav")
        sf.write(files[-1], speech(text, "rms"), SR)
    assert main(["interpret", "--backend", "grammar", "--json", *map(str, files)]) == 0
    save, story = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rec = save["recognition"]
    assert rec["chosen"]["text"] == rec["free"]["text"] and rec["free"]["score"] < 0 and not rec["rejected"]
    rec = story["recognition"]
    assert story["actions"] == [] and rec["chosen"] is None and rec["rejected"].startswith("not a command")
    assert rec["second_look"] and all({"text", "score", "verdict"} <= set(r) for r in rec["readings"])
    assert main(["transcribe", "--json", str(files[0])]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["window"] == "short" and out["recognition"]["chosen"]["text"]


class Replay:
    """A recogniser that reads every audio as given: the first reading, then the N best."""

    def __init__(self, first: tuple[str, float], *best: tuple[str, float]) -> None:
        from types import SimpleNamespace

        from voxctl.agent.listen.window import Hypothesis

        self.first = SimpleNamespace(text=first[0], score=first[1])
        self.best = [Hypothesis(t, s) for t, s in (best or (first,))]

    def transcribe(self, audio):
        return self.first

    def nbest(self, audio, k):
        return self.best[:k]


def test_rescoring_rules_on_given_readings() -> None:
    """The margin, the floor, and what only a free reading may do, on readings given to `read`."""
    audio = silence(1.0)

    def read(*readings):
        return GrammarInterpreter(transcriber=Replay(*readings)).read(audio)

    near = read(("press control last.", -0.40), ("press control last.", -0.40), ("press control s.", -0.60))
    assert near.plan.actions == [call("press_keys", keys=["ctrl", "s"])] and near.chosen_text == "press control s."
    far = read(("press control last.", -0.40), ("press control last.", -0.40), ("press control s.", -1.10))
    assert far.plan.actions == [] and "press control s." in far.rejected and "less likely" in far.rejected
    unsure = read(("click here.", -1.5))
    assert unsure.plan.actions == [] and "too unsure" in unsure.rejected
    typed = read(("she typed faster than anyone I know.", -0.38), ("she typed faster than anyone I know.", -0.38),
                 ("type faster than anyone I know.", -0.50))
    assert typed.plan.actions == [] and typed.hypotheses[-1].verdict.startswith("dictation")
    closing = read(("close that window.", -0.25), ("close that window.", -0.25), ("close the window.", -0.30))
    assert closing.plan.actions == [] and closing.hypotheses[-1].verdict.startswith("destructive")
    # A sentence whose N-best drops its start (dev set, 2026-12-03: 5 of 11 false actions were these).
    decaf = read(("you should switch to decaf.", -0.30), ("you should switch to decaf.", -0.30),
                 ("switch to decaf.", -0.35))
    assert decaf.plan.actions == [] and decaf.hypotheses[-1].verdict.startswith("leaves out words")
    decaf = read(("you should switch to decaf after lunch.", -0.30), ("you should switch to decaf after lunch.", -0.30),
                 ("switch to decaf after large.", -0.35))  # en-us+klatt3, dev set
    assert decaf.plan.actions == [] and decaf.hypotheses[-1].verdict.startswith("leaves out words")
    longer = read(("press control last.", -0.40), ("press control last.", -0.40), ("press control s.", -0.60))
    assert longer.plan.actions  # one word replaced, none left out: still taken


def test_grammar_neighbours_of_a_reading() -> None:
    """The candidates rescoring considers: one closed word away, fixed commands near a short reading,
    none for a sentence of free words; and the decision's margin, on given scores."""
    from types import SimpleNamespace

    from voxctl.agent.interpret.forced_look import RESCORE_NOMINEES
    from voxctl.agent.interpret.neighbours import Neighbours
    from voxctl.agent.interpret.rescore import decide

    grammar = GrammarInterpreter()
    near = Neighbours(grammar.spec)
    assert "press control s." in near.around("press control last.")
    assert "Press Control-S." in near.around("Press Control-Last.")  # in the reading's own spelling
    assert "press tab two times." in near.around("press tap two times.")
    # A word the recogniser cut short (en-us+m1, perturbed: "press back." for press backspace, 2026-12-03).
    assert "press backspace." in near.around("press back.")[:RESCORE_NOMINEES]
    assert "undo." in near.phrases("and do.") and "copy that." in near.phrases("copy load.")
    assert near.around("open the door for the delivery guide.") == []  # free words: nothing nominated
    assert "press control." not in near.around("press control s.")  # a word dropped is no misreading
    assert "press shift tab." in near.completions("press shift.") and near.completions("press tab.") == []
    # A word's first sound heard as the end of the word before ("press f i." for f five: f1 on the dev
    # set, 3 held-out clips, 2026-12-03): numbers and keys that start with that sound.
    assert "press f five." in near.around("press f i.")[:RESCORE_NOMINEES]
    assert "Press F five." in near.around("Press F i.")[:RESCORE_NOMINEES]
    assert "press f nine." in near.extended("press f.") and "Press F9." in near.extended("Press F.")
    assert near.extended("press tab.") == [] and near.extended("press f five.") == []
    # Whole short commands by sound for a reading of at most 3 words (forced_look.whole_look).
    assert "undo." in near.wholes("and you.") and "press escape." in near.wholes("press the skid.")
    assert "save." in near.wholes("same.") and near.wholes("hold on a second.") == []

    scores = {"Press control last.": -0.9, "Press control s.": -1.2, "Press control x.": -3.0}

    def score(texts):
        return [SimpleNamespace(score=scores[t]) for t in texts]

    def verdict(text):
        return "" if grammar.analyse(text).plan.actions else "not a command"

    free, cands = ["press control last."], ["press control s.", "press control x."]
    assert decide(free, cands, score, verdict, 0.5).chosen.text == "press control s."
    far = decide(free, cands, score, verdict, 0.2)
    assert far.chosen is None and "0.30 less likely" in far.why


def test_rescoring_recovers_what_the_reading_missed(grammar, speech) -> None:
    """Real speech whose free reading the grammar refuses ("press page." for press space), recovered by
    forcing the grammar's candidates through Whisper; the recognition record shows the candidates and
    their scores."""
    got = grammar.read(speech("press space", "espeak:en-us+m6"))
    assert normalize(got.free_text) != ["press", "space"], "the reading is right already: the case is gone"
    assert got.plan.actions == [call("press_keys", keys=["space"])] and got.chosen_text
    rec = got.recognition()["candidates"]
    assert rec and all(c["score"] is not None and c["verdict"] for c in rec)
    assert any(c["verdict"].endswith("chosen") and c["text"] == got.chosen_text for c in rec)
    assert got.retried and not any(h.verdict == "chosen" for h in got.hypotheses)  # the N best alone: nothing
    # (Sentences that are no command, with rescoring on: test_non_commands_and_noise_run_nothing.)


def test_a_short_command_misheard_whole_is_scored_as_it_was_read(grammar, speech, monkeypatch) -> None:
    """The whole short commands' look (forced_look.whole_look, off by default: no margin separates misheard
    short commands from like-sounding talk with tiny.en, docs/BENCHMARKS.md), turned on: "undo that" read
    "do that." (en-us+m7) gets the whole short commands that sound like it, forced through Whisper with the
    prompt and spelling it read with (unprompted, "Undo that." paid the decoder's doubt about a lone command and
    lost by more than the margin). "and you" said as conversation gets "undo." considered the same way, and it
    stays no command: the audio says "and you"."""
    assert GrammarInterpreter.whole_margin is None  # off by default
    monkeypatch.setattr(grammar, "whole_margin", 1.5)
    got = grammar.read(speech("undo that", "espeak:en-us+m7"))
    assert normalize(got.free_text) != ["undo", "that"], "the reading is right already: the case is gone"
    assert got.plan.actions == grammar.analyse("undo that").plan.actions and got.chosen_text == "undo that."
    assert any(c.text == "undo that." and c.verdict.endswith("as read: chosen") for c in got.candidates)
    chat = grammar.read(speech("and you", "slt"))
    assert chat.plan.actions == [] and chat.rejected, chat
    assert any(c.text == "undo." and "as read: a command" in c.verdict and "less likely" in c.verdict
               for c in chat.candidates), chat.candidates


def test_rescoring_never_takes_a_reading_too_unsure_to_act_on() -> None:
    """A reading below the floor ("click here." read into noise) stays refused when the candidates are
    forced through the recogniser, however its forced score compares."""
    from types import SimpleNamespace

    class Scoring(Replay):
        def score(self, audio, texts):
            return [SimpleNamespace(score=-0.1) for _ in texts]

    got = GrammarInterpreter(transcriber=Scoring(("click here.", -1.5), ("click here.", -1.5))).read(silence(1.0))
    assert got.plan.actions == [] and "too unsure" in got.rejected
    # An unsure reading among the N best is no reference to choose, nor to nominate neighbours of, however well
    # it is forced; the grammar's own neighbours of the sure reading ("back a page" sounds like "playing") are
    # forced as far less likely than it, as the recogniser forces a command nobody said.
    class Tempting(Replay):
        def score(self, audio, texts):
            said = {"click here": -0.1, "the kids are playing": -0.3}
            return [SimpleNamespace(score=said.get(t.strip().rstrip(".").lower(), -3.0)) for t in texts]

    got = GrammarInterpreter(transcriber=Tempting(("the kids are playing.", -0.3), ("the kids are playing.", -0.3),
                                                  ("click here.", -1.5))).read(silence(1.0))
    assert got.plan.actions == []
    assert all(c.text != "click here." or "too unsure" in c.verdict for c in got.candidates)


def test_a_key_that_starts_longer_keys_is_read_again_on_the_audio() -> None:
    """"press f." for "press f nine": the number lost (12 of 34 F-key commands on 16 dev voices,
    2026-12-03). With rescoring at its default the F-keys are forced through the recogniser, and one
    `rescore_switch` likelier per token replaces the reading; an "f" said stays "f"; any other key
    press is taken as read, unscored. The scores are given (a stand-in for Whisper's forced scoring, which
    no real clip steers to each outcome); the real path is measured by `voxctl bench recognition` and the
    F-key figures in docs/BENCHMARKS.md."""
    from types import SimpleNamespace

    class Scoring(Replay):
        likely = ""

        def score(self, audio, texts):
            return [SimpleNamespace(score=-0.2 if t == self.likely else -0.8) for t in texts]

    def read(reading, likely):
        transcriber = Scoring((reading, -0.3))
        transcriber.likely = likely
        return GrammarInterpreter(transcriber=transcriber).read(silence(1.0))

    assert GrammarInterpreter.rescore == "failures"
    got = read("press f.", "Press f nine.")
    assert got.plan.actions == [call("press_keys", keys=["f9"])] and got.free_text == "press f."
    assert read("press f.", "Press f.").plan.actions == [call("press_keys", keys=["f"])]
    other = read("press control home.", "Press control end.")
    assert other.plan.actions == [call("press_keys", keys=["ctrl", "home"])] and other.candidates == ()
    # A plan that ends on such a key press: only its last key is read again, the actions before stay.
    chain = read("switch to firefox and press f.", "Switch to firefox and press f one.")
    first = GrammarInterpreter().parse("switch to firefox and press f.").actions
    assert len(first) == 2 and chain.plan.actions == [first[0], call("press_keys", keys=["f1"])], chain
    assert read("switch to firefox and press f.", "").plan.actions == first
    assert read("press f and switch to firefox.", "").candidates == ()  # the key press is not last


class _CountingModel:
    """CTranslate2's Whisper, noting the mel frames of each encoder run."""

    def __init__(self, inner) -> None:
        self.inner, self.encoded = inner, []

    def encode(self, features, *a, **kw):
        self.encoded.append(features.shape[-1])
        return self.inner.encode(features, *a, **kw)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_each_encoding_and_full_window_reading_is_made_once(whisper, speech) -> None:
    """The second look reuses what the first made: the utterance's encoding survives the decoding of its
    parts (a loop check), and the full-window reading of the same audio is decoded once (the recogniser's
    own re-read of an unsure reading, then the grammar's last look at what is no command)."""
    audio = speech("press control s", "slt")
    window = whisper.window
    window.silence()  # the padding's encoding, once per process
    counted, fulls, real = _CountingModel(window.model), [], whisper._decode_full
    window.model, whisper._decode_full = counted, lambda *a, **kw: fulls.append(1) or real(*a, **kw)
    try:
        whisper.forget()  # earlier tests read the same phrase
        frames = window.decode(audio, whisper.hint, 1).frames
        window.decode(audio[: len(audio) // 2], whisper.hint, 1)  # a part, as a loop check reads one
        whisper.nbest(audio, 5)
        whisper.score(audio, ["Press control s."])
        assert counted.encoded.count(frames) == 1 and len(counted.encoded) >= 2, counted.encoded
        first = whisper._full(audio, whisper.hint, whisper.config.beam_size, {})
        assert whisper.transcribe_full(audio) == first and len(fulls) == 1
    finally:
        window.model = counted.inner
        del whisper._decode_full


def test_listen_loads_ahead_what_the_first_command_would_load(whisper) -> None:
    """`voxctl listen` warms the command path at start-up (agent/warmup.py): the recogniser's first
    decodings, the second look's nominations, the understanding model's sentence encoder."""
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.warmup import WarmUp

    interp = make_interpreter(load_config(None), transcriber=whisper, notify=lambda m: None)
    said = WarmUp(interp).start().wait()
    assert said.startswith("models loaded ahead in") and "MB" in said, said
    assert interp.llm.model._encoder is not None  # the understanding model's encoder, loaded
    assert "neighbours" in interp.grammar.__dict__ and whisper.window._cache == {}

    class Broken:
        def warm(self) -> None:
            raise RuntimeError("no model here\nand more")

    # A warm-up that fails says so in one line; the loop starts and the first command loads what it needs.
    assert WarmUp(Broken()).start().wait() == "failed (no model here); the first command loads what it needs"


def test_a_letter_key_is_heard_again_among_all_letters() -> None:
    """letters_look.py: the letter of a chord heard as a letter is forced through the recogniser without the hint,
    each letter in its place, and a likelier one by MARGIN replaces it ("press control c." for "press control z":
    the hint says "press control c"); only a letter the hint says; never towards a riskier chord; a letter said as a
    word ("charlie") is not looked at. The scores are given (a stand-in for Whisper's forced scoring); the real path is measured by
    scripts/bench_letters.py and tests/test_recognition.py's spoken case below."""
    from types import SimpleNamespace

    class Scoring(Replay):
        likely = ""
        scored: list = []

        def nbest(self, audio, n, hotwords=None, **kw):
            return [] if hotwords == "" else super().nbest(audio, n)  # no reading without the hint: unhinted.py idle

        def score(self, audio, texts):
            self.scored.append(list(texts))
            return [SimpleNamespace(score=-0.2 if t == self.likely else -0.8) for t in texts]

    def read(reading, likely):
        transcriber = Scoring((reading, -0.3))
        transcriber.likely, transcriber.scored = likely, []
        transcriber.hint = "press control c. press alt f. scroll up two."  # its letters: c and f
        return GrammarInterpreter(transcriber=transcriber).read(silence(1.0)), transcriber.scored

    got, _ = read("press control c.", "Press control Z.")
    assert got.plan.actions == [call("press_keys", keys=["ctrl", "z"])], got
    assert any(h.verdict.startswith("chosen: the letter heard again") for h in got.hypotheses)
    got, _ = read("press control c.", "Press control W.")  # ctrl+w closes: taken only as heard
    assert got.plan.actions == [call("press_keys", keys=["ctrl", "c"])]
    assert any("riskier" in h.verdict for h in got.hypotheses)
    got, _ = read("press control c.", "Press control C.")
    assert got.plan.actions == [call("press_keys", keys=["ctrl", "c"])]
    got, scored = read("press control charlie.", "Press control Z.")
    assert got.plan.actions == [call("press_keys", keys=["ctrl", "c"])] and scored == []
    got, scored = read("press control home.", "Press control A.")
    assert got.plan.actions == [call("press_keys", keys=["ctrl", "home"])] and scored == []
    got, scored = read("press control s.", "Press control L.")  # a letter the hint does not say: taken as heard
    assert got.plan.actions == [call("press_keys", keys=["ctrl", "s"])] and scored == []
    got, _ = read("press alt f.", "Press alt H.")
    assert got.plan.actions == [call("press_keys", keys=["alt", "h"])] and got.chosen_text == "press alt h."


# heard "press control c." with the hint in en-us+m5 (and rms; 9 of 35 clean clips of five such chords in seven voices
# were right only with the look, none lost; 2026-12-07)
CASE_LETTER = ("press control z", "espeak:en-us+m5", ["ctrl", "z"])


def test_a_letter_the_hint_pulled_is_heard_as_said(whisper, speech) -> None:
    """The bundled Whisper with its hint, real synthesized speech: a letter the hint pulls towards its own examples
    is heard again without it, and the chord said is pressed (with the look off, the hint's letter)."""
    from voxctl.agent.interpret import letters_look

    grammar = GrammarInterpreter(transcriber=whisper)
    said, voice, want = CASE_LETTER
    audio = speech(said, voice)
    try:
        letters_look.ON = False
        before = grammar.read(audio).plan.actions
    finally:
        letters_look.ON = True
    assert before and before != [call("press_keys", keys=want)], f"heard right without the look: the case is gone ({before})"
    assert grammar.read(audio).plan.actions == [call("press_keys", keys=want)]
