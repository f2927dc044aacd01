"""Decoding options as one frozen, validated value with a list of logit filters (whisper's
`DecodingOptions` + `LogitFilter.apply`): the plan grammar is one filter, and a caller's filters run after
it on every step of the same `generate`."""

from __future__ import annotations

import dataclasses

import pytest

from voxctl.agent.config import LlmConfig
from voxctl.agent.interpret.decoding import DecodingOptions, is_valid

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/fixtures/tiny_models.py: why


def test_options_are_frozen_and_checked() -> None:
    opts = DecodingOptions.from_config(LlmConfig(max_new_tokens=40, temperature=0.5))
    assert (opts.max_new_tokens, opts.temperature, opts.num_samples, opts.logit_filters) == (40, 0.5, 1, ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.temperature = 1.0  # type: ignore[misc]
    more = opts.sampled(4)
    assert (more.num_samples, more.temperature, opts.num_samples) == (4, 0.5, 1)
    assert opts.sampled(2, 0.0).temperature == 0.0
    for bad in ({"max_new_tokens": 0}, {"temperature": -1.0}, {"num_samples": 0}):
        with pytest.raises(ValueError):
            DecodingOptions(**bad)


class Counting:
    """A filter that forbids nothing and counts the steps it saw."""

    def __init__(self) -> None:
        self.steps = 0
        self.width = 0

    def apply(self, logits, tokens):
        self.steps += 1
        self.width = logits.shape[0]
        return logits


class Forbid:
    """A filter that forbids one token id."""

    def __init__(self, token: int) -> None:
        self.token = token

    def apply(self, logits, tokens):
        logits[:, self.token] = float("-inf")
        return logits


def test_caller_filters_run_after_the_plan_grammar(tiny_model) -> None:
    from voxctl.agent.interpret.cascade import CascadeInterpreter
    from voxctl.agent.utterance import Utterance

    interp = CascadeInterpreter(LlmConfig(model=str(tiny_model("chat")), max_new_tokens=24, temperature=1.0))
    utterance = Utterance.from_text("open the pod bay doors")
    counting = Counting()
    opts = dataclasses.replace(interp.decoder.options.sampled(3), logit_filters=(counting,))
    answers = interp.decoder.decode(interp.inputs(utterance, "open the pod bay doors", reuse_prefix=False), opts)
    assert len(answers) == 3 and all(is_valid(a) for a in answers)
    assert counting.steps >= 2 and counting.width == 3  # every step, every row
    # A filter that forbids the token greedy decoding chose first changes what is written (the grammar's
    # mask comes first, so whatever is left is still a valid start or an ended row, never a crash).
    inputs = interp.inputs(utterance, "open the pod bay doors", reuse_prefix=False)
    greedy = dataclasses.replace(interp.decoder.options, temperature=0.0)
    plain = interp.decoder.decode(inputs, greedy)[0]
    first = interp.decoder.ll_tok.tokenize_str(plain.text)[0]
    steered = interp.decoder.decode(inputs, dataclasses.replace(greedy, logit_filters=(Forbid(first),)))[0]
    assert steered.text != plain.text
