"""`voxctl train --written FILE`: phrasings people wrote ({say, plan} per line, as the blind sets) become training
data: talk as not_a_command, a command where the model can fill its plan from the words; a line whose plan needs
a span of the words (text to type) is left out. Trained for real (--tiny: the shipped encoder, a small head)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from voxctl.agent.cli import main
from voxctl.agent.config import Config
from voxctl.agent.interpret.grammar import load_grammar
from voxctl.agent.interpret.understand.data_phrasings import phrasing_examples
from voxctl.agent.interpret.understand.intents import NONE, builtin_intents
from voxctl.agent.utterance import Utterance

LINES = [
    {"say": "give the page a good save", "plan": [{"tool": "press_keys", "args": {"keys": ["ctrl", "s"]}}]},
    {"say": "zap it with the delete key", "plan": [{"tool": "press_keys", "args": {"keys": ["delete"]}}]},
    {"say": "whack in the word hello", "plan": [{"tool": "type_text", "args": {"text": "hello"}}]},
    {"say": "zap it with the escape key", "plan": [{"tool": "press_keys", "args": {"keys": ["delete"]}}]},
    {"say": "my delete key is sticky again", "plan": []},
]


def test_talk_and_fillable_commands_are_kept_spans_and_unfillable_plans_are_not() -> None:
    spec = load_grammar(platform="linux")
    got = {(e.text, e.intent) for e in phrasing_examples(LINES, builtin_intents("linux"), spec)}
    assert got == {("give the page a good save", "edit:save"), ("zap it with the delete key", "key"),
                   ("my delete key is sticky again", NONE)}  # "escape" said: the fill would press escape


def test_train_learns_written_phrasings(tmp_path: Path, capsys) -> None:
    written = tmp_path / "written.jsonl"
    written.write_text("".join(json.dumps(line) + "\n" for line in LINES))
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"interpreter": {"understand_model": str(tmp_path / "model")}}))
    assert main(["--config", str(cfg), "train", "--tiny", "--written", str(written), "--epochs", "30",
                 "--lora", "off"]) == 0
    assert "phrasing 6" in capsys.readouterr().out  # 3 lines kept, each twice
    from voxctl.agent.interpret.factory import make_interpreter

    config = Config().model_copy(update={"interpreter": Config().interpreter.model_copy(
        update={"backend": "understand", "understand_model": str(tmp_path / "model")})})
    model = make_interpreter(config, notify=lambda m: None)
    plan = model.interpret(Utterance.from_text("give the page a good save"))
    assert [a.args.keys for a in plan.actions] == [["ctrl", "s"]], plan.reason

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    assert main(["--config", str(cfg), "train", "--tiny", "--written", str(bad), "--lora", "off"]) == 2
    assert "cannot read --written" in capsys.readouterr().err
