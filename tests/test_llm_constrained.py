"""The generation grammar: everything it allows is a valid plan, it allows what the prompt shows, and the
logits processor closes answers within the token budget. Real llguidance, real tokenizers (trained here)."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest

from tests.fixtures.tiny_models import train_tokenizer
from voxctl.agent.interpret import constrained
from voxctl.agent.interpret.decoding import Sample, to_plan
from voxctl.agent.interpret.prompt import answer_json, examples
from voxctl.tools.registry import validate_plan

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/fixtures/tiny_models.py: why


@pytest.fixture(scope="module")
def ll_tok() -> Any:
    hf = train_tokenizer(["<|endoftext|>", "<|im_end|>"], eos="<|im_end|>", pad="<|endoftext|>")
    return constrained.ll_tokenizer(hf, [hf.eos_token_id])


def accepts(ll_tok: Any, text: str, with_transcript: bool = False) -> bool:
    """Whether the grammar takes `text` as a complete answer."""
    import llguidance

    m = llguidance.LLMatcher(ll_tok, constrained.grammar(with_transcript), log_level=0)
    return m.consume_tokens(ll_tok.tokenize_str(text)) and m.is_accepting()


# Values for strings whose pattern random text does not meet (open_url's address).
PATTERNED = ("wikipedia.org", "https://docs.python.org/3/library/re.html?x=1#top", "http://localhost:8000", "a.co")


def instance(schema: dict[str, Any], rng: random.Random) -> Any:
    """A random value of the generation schema (bounds and edges included)."""
    if "anyOf" in schema:
        return instance(rng.choice(schema["anyOf"]), rng)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema["type"]
    if kind == "object":
        req = set(schema.get("required", []))
        return {k: instance(v, rng) for k, v in schema["properties"].items() if k in req or rng.random() < 0.5}
    if kind == "array":
        if "prefixItems" in schema:
            return [instance(p, rng) for p in schema["prefixItems"]]
        n = rng.randint(schema.get("minItems", 0), min(schema.get("maxItems", 3), 3))
        return [instance(schema["items"], rng) for _ in range(n)]
    if kind == "integer":
        return rng.choice([schema["minimum"], schema["maximum"], rng.randint(schema["minimum"], schema["maximum"])])
    if kind == "number":
        return rng.choice([schema["minimum"], schema["maximum"], rng.uniform(schema["minimum"], schema["maximum"])])
    if kind == "string":
        alphabet = "abc XYZ 09 \"'\\/{}[]:,.-_é✓"
        n = rng.choice([schema.get("minLength", 0), rng.randint(schema.get("minLength", 0), 12),
                        schema.get("maxLength", 12)])
        text = "".join(rng.choice(alphabet) for _ in range(n))
        if "pattern" in schema and not re.search(schema["pattern"], text):  # a web address: one that matches
            fits = [w for w in PATTERNED if re.search(schema["pattern"], w)]
            assert fits, f"no sample value matches {schema['pattern']!r}"
            text = rng.choice(fits)
        return text
    raise AssertionError(f"unexpected schema {schema}")


def test_every_value_of_the_generation_schema_is_a_valid_plan():
    rng = random.Random(7)
    schema = constrained.generation_schema()
    tools_seen = set()
    for _ in range(600):
        value = instance(schema, rng)
        plan, problems = validate_plan(value)
        assert plan is not None, (value, problems)
        tools_seen |= {a.tool for a in plan.actions}
    from voxctl.tools.registry import TOOLS

    assert tools_seen == set(TOOLS)  # the schema reaches every tool


def test_validators_become_alternatives():
    # click: x and y together, or a target, or neither -- never x alone (a pydantic validator, probed)
    from voxctl.tools.registry import TOOLS

    click = constrained.args_schema(TOOLS["click"].args)
    required = sorted(tuple(v["required"]) for v in click["anyOf"])
    assert required == [(), ("target",), ("x", "y")]
    drag = constrained.args_schema(TOOLS["drag"].args)
    assert sorted(tuple(v["required"]) for v in drag["anyOf"]) == [("to_x", "to_y"), ("to_x", "to_y", "from_x", "from_y")]
    assert "anyOf" not in constrained.args_schema(TOOLS["scroll"].args)


def test_prompt_examples_and_empty_plans_are_accepted(ll_tok):
    for ex in examples():
        assert accepts(ll_tok, answer_json(ex["actions"])), ex
        assert accepts(ll_tok, answer_json(ex["actions"], ex["said"]), with_transcript=True), ex
    assert accepts(ll_tok, '{"actions": []}')
    assert accepts(ll_tok, '{"transcript": "what time is it", "actions": []}', with_transcript=True)


@pytest.mark.parametrize("text", [
    '{"actions": [{"tool": "click", "args": {"x": 5}}]}',  # x without y
    '{"actions": [{"tool": "click", "args": {"target": "OK", "x": 1, "y": 2}}]}',  # target and a point
    '{"actions": [{"tool": "press_keys", "args": {"keys": ["ctrl", "ctrl"]}}]}',  # a key twice
    '{"actions": [{"tool": "press_keys", "args": {"keys": ["s", "ctrl"]}}]}',  # not in normal form
    '{"actions": [{"tool": "click", "args": {"count": 4}}]}',  # out of bounds
    '{"actions": [{"tool": "format_disk", "args": {}}]}',  # unknown tool
    '{"actions": [{"tool": "type_text", "args": {"text": "a\\nb"}}]}',  # control character
    '{"actions": [{"tool": "close_window", "args": {"force": true}}]}',  # unknown argument
    '{"actions": [{"tool": "close_window"}]}',  # args always written
    '{ "actions": []}',  # one way to write whitespace
    '{"transcript": "hi", "actions": []}',  # no transcript for the cascade
])
def test_grammar_rejects(ll_tok, text):
    assert not accepts(ll_tok, text)


def test_transcript_comes_first_for_the_audio_llm(ll_tok):
    assert not accepts(ll_tok, '{"actions": []}', with_transcript=True)


def test_to_plan_falls_back_to_no_actions_with_a_reason():
    ok = to_plan(Sample('{"actions": [{"tool": "press_keys", "args": {"keys": ["ctrl", "s"]}}]}', False),
                 source="cascade", transcript="save")
    assert [a.tool for a in ok.actions] == ["press_keys"] and ok.reason is None and ok.source == "cascade"
    empty = to_plan(Sample('{"actions": []}', False), source="cascade", transcript="hello there")
    assert empty.actions == [] and "hello there" in empty.reason
    heard = to_plan(Sample('{"transcript": "open firefox", "actions": []}', False), source="audio_llm")
    assert heard.transcript == "open firefox"
    for text in ('{"actions": [', "[1, 2]", '{"actions": [{"tool": "click", "args": {"x": 1}}]}'):
        bad = to_plan(Sample(text, False), source="cascade")
        assert bad.actions == [] and bad.reason
    cut = to_plan(Sample('{"actions": [{"tool": "type_text", "args": {"text": "hel"}}]}', True),
                  source="cascade", max_new_tokens=64)
    assert cut.actions == [] and "max_new_tokens=64" in cut.reason


def test_budget_closes_answers_early(tiny_model):
    """A random model with a budget far too small still ends every answer as a valid plan."""
    from voxctl.agent.config import LlmConfig
    from voxctl.agent.interpret.cascade import CascadeInterpreter
    from voxctl.agent.interpret.decoding import is_valid
    from voxctl.agent.utterance import Utterance

    interp = CascadeInterpreter(LlmConfig(model=str(tiny_model("chat")), max_new_tokens=20, temperature=1.0))
    answers = interp.sample(Utterance.from_text("open the pod bay doors"), 30)
    assert all(is_valid(a) for a in answers), [a.text for a in answers if not is_valid(a)]
    assert any(a.closed_early for a in answers)
    assert all(json.loads(a.text) is not None for a in answers)
