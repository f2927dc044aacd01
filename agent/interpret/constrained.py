"""Grammar-constrained decoding: the generation schema (derived from `tools.registry`) and an llguidance
logits processor that holds `model.generate` to it, so every output parses and validates.

Why llguidance: 8 MB with no further dependencies, supports the JSON-schema features the registry needs
(anyOf, const, enum, prefixItems, bounds, patterns). xgrammar pulls triton (~1 GB) on Linux;
lm-format-enforcer is broken with transformers 5; outlines does not enforce integer bounds.

The generation schema is a *subset* of what `validate_plan` accepts, chosen so that everything in it is
valid: pydantic validators that JSON schema cannot express (x and y given together, distinct keys in a
chord) are turned into alternatives by probing the argument models, and a key chord is emitted in one
normal form (modifiers in a fixed order, then one key). A test checks the subset claim by sampling.
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from voxctl.tools.keys import MODIFIERS
from voxctl.tools.registry import TOOLS

# Longest transcript the audio LLM may write before its actions; a single line, like the tool labels.
TRANSCRIPT_SCHEMA = {"type": "string", "maxLength": 200, "pattern": r"^[^\x00-\x1f]*$"}
MAX_ACTIONS = 8
# Compact but readable JSON, the form small chat models saw most in training.
JSON_OPTIONS = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
# Tokens kept in hand to close the JSON once the token budget runs low (see PlanLogitsProcessor).
CLOSING_RESERVE = 32
_MODIFIER_ORDER = ("ctrl", "alt", "shift", "win")

_DROP = {"title", "description", "default"}


def _clean(node: Any, names: bool = False) -> Any:
    """The schema without annotations the grammar does not need (`names`: a properties map, whose keys
    are field names, one of which may well be "title")."""
    if isinstance(node, dict):
        return {k: _clean(v, k == "properties" and not names) for k, v in node.items()
                if names or k not in _DROP}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def _non_null(prop: dict[str, Any]) -> dict[str, Any] | None:
    """For `X | None` (pydantic's anyOf [X, null]), X; None when the property is not nullable."""
    alts = prop.get("anyOf")
    if not alts or not any(a.get("type") == "null" for a in alts):
        return None
    rest = [a for a in alts if a.get("type") != "null"]
    return rest[0] if len(rest) == 1 else {"anyOf": rest}


def _sample(schema: dict[str, Any]) -> Any:
    """A small value that satisfies `schema`, used to probe which optional fields go together."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "string":
        return "a" * max(1, schema.get("minLength", 1))
    if kind == "array":
        return [_sample(schema.get("items", {}))] * max(1, schema.get("minItems", 1))
    return None


def _chord_schema(prop: dict[str, Any]) -> dict[str, Any] | None:
    """A list of key names as alternatives in normal form: modifiers in fixed order, then one other key.

    JSON schema (as llguidance supports it) has no `uniqueItems`; the normal form makes every chord
    distinct by construction and is how people say chords anyway ("control shift s")."""
    items = prop.get("items", {})
    names = items.get("enum")
    if prop.get("type") != "array" or not names or not MODIFIERS <= set(names):
        return None
    longest = prop.get("maxItems", 4)
    others = [n for n in names if n not in MODIFIERS]
    mods = [m for m in _MODIFIER_ORDER if m in MODIFIERS]
    alts: list[dict[str, Any]] = []
    for size in range(0, min(len(mods), longest - 1) + 1):
        for combo in itertools.combinations(mods, size):
            prefix = [{"const": m} for m in combo] + [{"enum": others}]
            alts.append({"type": "array", "prefixItems": prefix, "items": False,
                         "minItems": len(prefix), "maxItems": len(prefix)})
    # A modifier pressed on its own ("press shift").
    alts.append({"type": "array", "prefixItems": [{"enum": mods}], "items": False, "minItems": 1, "maxItems": 1})
    return {"anyOf": alts}


def args_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The generation schema of one tool's arguments."""
    raw = _clean(model.model_json_schema())
    props: dict[str, Any] = dict(raw.get("properties", {}))
    required = list(raw.get("required", []))
    nullable: dict[str, dict[str, Any]] = {}
    for name, prop in list(props.items()):
        if (inner := _non_null(prop)) is not None:
            # The model omits an optional field instead of writing null: shorter, and one way to say it.
            props[name] = inner
            nullable[name] = inner
        elif (chord := _chord_schema(prop)) is not None:
            props[name] = chord
    base = {"type": "object", "additionalProperties": False}
    if not nullable:
        return {**base, "properties": props, "required": required}
    # Which optional fields may appear together is decided by the model's own validators: try each
    # combination once with sample values and keep those that validate.
    fixed = {n: _sample(p) for n, p in props.items() if n in required}
    variants = []
    for size in range(len(nullable) + 1):
        for combo in itertools.combinations(nullable, size):
            try:
                model.model_validate({**fixed, **{n: _sample(nullable[n]) for n in combo}})
            except ValidationError:
                continue
            variants.append(combo)
    if len(variants) == 2 ** len(nullable):  # all independent: one object with everything optional
        return {**base, "properties": props, "required": required}
    alts = []
    for combo in variants:
        keep = {n: p for n, p in props.items() if n not in nullable or n in combo}
        alts.append({**base, "properties": keep, "required": required + list(combo)})
    return {"anyOf": alts}


@lru_cache(maxsize=4)
def _generation_schema(with_transcript: bool, max_actions: int) -> str:
    calls = []
    for name, spec in TOOLS.items():
        calls.append({
            "type": "object",
            "properties": {"tool": {"const": name}, "args": args_schema(spec.args)},
            "required": ["tool", "args"],
            "additionalProperties": False,
        })
    props: dict[str, Any] = {}
    if with_transcript:
        props["transcript"] = TRANSCRIPT_SCHEMA
    props["actions"] = {"type": "array", "items": {"anyOf": calls}, "maxItems": max_actions}
    return json.dumps({"type": "object", "properties": props, "required": list(props),
                       "additionalProperties": False})


def generation_schema(with_transcript: bool = False, max_actions: int = MAX_ACTIONS) -> dict[str, Any]:
    """What the model may write: `{"actions": [...]}`, with a `transcript` first for the audio LLM
    (it hears the audio; writing down what was said first is also what it was trained to do)."""
    return json.loads(_generation_schema(with_transcript, max_actions))


def grammar(with_transcript: bool = False, max_actions: int = MAX_ACTIONS) -> str:
    """The llguidance grammar for the generation schema."""
    import llguidance

    return llguidance.LLMatcher.grammar_from_json_schema(
        _generation_schema(with_transcript, max_actions), overrides=JSON_OPTIONS  # type: ignore[arg-type]
    )


def ll_tokenizer(hf_tokenizer: Any, eos_ids: list[int]) -> Any:
    """The llguidance view of a Hugging Face fast tokenizer (~1 s for big vocabularies: cache it)."""
    import llguidance.hf

    return llguidance.hf.from_tokenizer(hf_tokenizer, eos_token=eos_ids)


class PlanConstraint:
    """A logit filter for `model.generate`: masks every token the generation grammar forbids.

    One llguidance matcher per batch row, fresh for each generate call (a matcher carries the parse
    state). When the token budget runs low, only the allowed tokens that open the least and close the
    most are kept (end of text first of all), so an answer never stops half-written; `closed_early`
    tells which rows needed that (the interpreter then treats them as cut short).
    """

    def __init__(self, tokenizer: Any, grammar_text: str, batch_size: int, max_new_tokens: int,
                 reserve: int = CLOSING_RESERVE) -> None:
        import llguidance

        self.tokenizer = tokenizer
        first = llguidance.LLMatcher(tokenizer, grammar_text, log_level=0)
        if err := first.get_error():
            raise ValueError(f"generation grammar rejected by llguidance: {err}")
        self.matchers = [first] + [first.deep_copy() for _ in range(batch_size - 1)]  # copying beats compiling
        self.executor = llguidance.LLExecutor()
        self.max_new_tokens = max_new_tokens
        self.reserve = reserve
        self.steps = 0
        self.closed_early = [False] * batch_size
        self._closing: Any = None
        self._prompt_len = 0

    def apply(self, scores: Any, input_ids: Any) -> Any:
        """The `LogitFilter` interface (decoding.py): the scores with every forbidden token at -inf."""
        import numpy as np
        import torch
        from llguidance.torch import allocate_token_bitmask, fill_next_token_bitmask_par

        if self.steps:
            for m, tok in zip(self.matchers, input_ids[:, -1].tolist(), strict=True):
                if not m.is_stopped():  # a stopped row has ended; generate pads it from here on
                    m.consume_token(tok)
        else:
            self._prompt_len = input_ids.shape[1]
        self.steps += 1
        vocab = scores.shape[-1]
        bitmask = allocate_token_bitmask(len(self.matchers), self.tokenizer.vocab_size)
        fill_next_token_bitmask_par(self.executor, [(m, i) for i, m in enumerate(self.matchers)], bitmask)
        bits = np.unpackbits(bitmask.numpy().view(np.uint8), axis=1, bitorder="little")
        allowed = torch.zeros(scores.shape, dtype=torch.bool)
        width = min(vocab, bits.shape[1])
        allowed[:, :width] = torch.from_numpy(bits[:, :width].astype(bool))
        if self.max_new_tokens - self.steps < self.reserve:
            from voxctl.agent.interpret.steering import ClosingScores

            if self._closing is None:
                self._closing = ClosingScores(self.tokenizer, vocab)
            for row, m in enumerate(self.matchers):
                if m.is_stopped() or not allowed[row].any():
                    continue
                narrowed = self._closing.best(allowed[row], input_ids[row, self._prompt_len:].tolist())
                if not torch.equal(narrowed, allowed[row]):
                    allowed[row] = narrowed
                    self.closed_early[row] = True
        for row in range(len(self.matchers)):
            if not allowed[row].any():  # matcher in error: end the row; validation reports the failure
                allowed[row, self.tokenizer.eos_tokens[0]] = True
        return scores.masked_fill(~allowed.to(scores.device), float("-inf"))

