"""Prompt rendering for the LLM backends: templates from `prompts/`, tool text generated from the registry.

Nothing in `prompts/` spells out a tool or an argument: the tool list, the output form and the examples'
JSON are produced here from `tools.registry` (names, docstrings, argument types and bounds, risk), and the
screen context from the `Utterance`. Templates use `$name` placeholders (`string.Template`) so that JSON
braces in them need no escaping.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from string import Template
from typing import Any

import yaml
from pydantic import BaseModel

from voxctl.agent.utterance import ScreenState
from voxctl.tools.base import Risk
from voxctl.tools.registry import TOOLS

MAX_TITLES = 10
DEFAULT_SCREEN = (1920, 1080)  # said to the model when the screen's size is not known (a typed command)


@cache
def template(name: str) -> Template:
    """A template file from the `prompts` package (`system.md`, `confirm.md`, ...)."""
    text = resources.files("voxctl.prompts").joinpath(name).read_text(encoding="utf-8")
    return Template(text.strip())


def render(name: str, **values: Any) -> str:
    """Fill a template; a placeholder left without a value is a bug, so it raises KeyError."""
    return template(name).substitute(**values)


def _describe_type(prop: dict[str, Any]) -> str:
    """`integer 1..50`, `left|right|middle`, `text (at most 80 characters)`, ... from a JSON schema."""
    if alts := prop.get("anyOf"):
        return " or ".join(_describe_type(a) for a in alts if a.get("type") != "null")
    if "enum" in prop:
        values = prop["enum"]
        if all(isinstance(v, int) for v in values) and values == list(range(values[0], values[-1] + 1)):
            return f"integer {values[0]}..{values[-1]}"  # grid cells 1..9
        return "|".join(map(str, values)) if len(values) <= 8 else f"one of {len(values)} names"
    kind = prop.get("type", "value")
    if kind in ("integer", "number"):
        lo, hi = prop.get("minimum"), prop.get("maximum")
        word = "integer" if kind == "integer" else "number"
        return f"{word} {lo}..{hi}" if lo is not None and hi is not None else word
    if kind == "string":
        return f"text (at most {prop['maxLength']} characters)" if "maxLength" in prop else "text"
    if kind == "array":
        item = prop.get("items", {})
        what = "key names" if "enum" in item and isinstance(item["enum"][0], str) else _describe_type(item)
        return f"list of {what}, {prop.get('minItems', 0)} to {prop.get('maxItems', 'any')} items"
    return kind


def _arguments(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    parts = []
    for name, prop in schema.get("properties", {}).items():
        text = f"{name}{'' if name in required else '?'}: {_describe_type(prop)}"
        if prop.get("default") is not None:
            text += f" = {json.dumps(prop['default'])}"
        parts.append(text)
    return ", ".join(parts)


def _risk(spec: Any) -> str:
    risk = str(spec.risk)
    if spec.assess is not None:
        risk += f", {Risk.HIGH} for some arguments" if spec.risk < Risk.HIGH else ""
    return risk


@lru_cache(maxsize=1)
def tool_lines() -> str:
    """One line per registered tool: signature, risk and the argument model's docstring."""
    lines = []
    for name, spec in TOOLS.items():
        doc = " ".join(spec.description.split())
        lines.append(f"- {name}({_arguments(spec.args)}) [{_risk(spec)}]: {doc}")
    return "\n".join(lines)


def tool_functions() -> list[dict[str, Any]]:
    """The tools in the form tool-calling chat templates take (`apply_chat_template(tools=...)`)."""
    out = []
    for name, spec in TOOLS.items():
        params = spec.args.model_json_schema()
        params.pop("title", None)
        params.pop("description", None)
        out.append({"type": "function", "function": {
            "name": name, "description": " ".join(spec.description.split()), "parameters": params}})
    return out


_UNSAFE = re.compile(r"[\x00-\x1f\x7f()\[\]<>{}]+")


def title_text(title: str) -> str:
    """A window title as data inside the prompt's delimited windows field (prompts/windows.md): at most 80
    characters, quoted, with control characters and brackets replaced, so a title cannot close the field
    or start a line of its own and pose as the person's words (titles are written by other programs; the
    system prompt says they are untrusted)."""
    return repr(_UNSAFE.sub(" ", title)[:80])


def render_context(context: ScreenState, screen: bool = True, windows: bool = True) -> str:
    """The screen size and/or the windows (active one, open ones) as one sentence."""
    parts = []
    if screen:
        w, h = context.screen_size or DEFAULT_SCREEN
        parts.append(f"screen {w}x{h} pixels")
    if windows:
        parts.append(f"active window {title_text(context.active_window)}" if context.active_window
                     else "no active window")
        if titles := context.window_titles[:MAX_TITLES]:
            parts.append("open windows: " + "; ".join(title_text(t) for t in titles))
    return ", ".join(parts) + "."


def output_format(with_transcript: bool) -> str:
    """The shape of an answer, written out from the generation schema's top-level fields."""
    head = '"transcript": "<what was said>", ' if with_transcript else ""
    return '{' + head + '"actions": [{"tool": "<tool name>", "args": {<arguments>}}, ...]}'


@lru_cache(maxsize=1)
def examples() -> list[dict[str, Any]]:
    """The few-shot examples from `prompts/examples.yaml`: [{"said": ..., "actions": [...]}]."""
    text = resources.files("voxctl.prompts").joinpath("examples.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def answer_json(actions: list[dict[str, Any]], transcript: str | None = None) -> str:
    """An answer as the constrained decoder writes it (same separators, transcript first)."""
    data: dict[str, Any] = {} if transcript is None else {"transcript": transcript}
    data["actions"] = actions
    return json.dumps(data, ensure_ascii=False)


def render_examples(with_transcript: bool) -> str:
    lines = []
    for ex in examples():
        answer = answer_json(ex["actions"], ex["said"] if with_transcript else None)
        lines.append(f'"{ex["said"]}" -> {answer}')
    return "\n".join(lines)


def example_turns() -> list[dict[str, str]]:
    """The examples as chat turns (user: the words, assistant: the answer): small chat models follow
    demonstrated turns far better than examples listed in the system prompt."""
    turns = []
    for ex in examples():
        turns.append({"role": "user", "content": user_prompt(ex["said"])})
        turns.append({"role": "assistant", "content": answer_json(ex["actions"])})
    return turns


def system_prompt(context: ScreenState, *, audio: bool, native_tools: bool = False, with_examples: bool = True,
                  windows: bool = True) -> str:
    """The system prompt. `native_tools` when the chat template lists the tools itself. The cascade
    keeps this prefix the same from one utterance to the next (it caches it): the examples become chat
    turns and the windows go into the user turn (`windows=False`)."""
    tools = render("tools_section.md", tool_lines=tool_lines()) if not native_tools else render("tools_native.md")
    examples_text = render("examples_section.md", examples=render_examples(audio)) if with_examples else ""
    text = render(
        "system.md",
        input_kind=render("input_audio.md" if audio else "input_text.md"),
        output_format=output_format(with_transcript=audio),
        tools=tools,
        context=render("context.md", context=render_context(context, windows=windows)),
        examples=examples_text,
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def user_prompt(transcript: str | None = None, context: ScreenState | None = None) -> str:
    """The user turn: the recogniser's words (cascade: after the windows, in their own delimited field,
    which the system prompt says is untrusted data, when `context` is given), or the instruction that goes
    with the audio. The field stays short and unlabelled: a labelled one ("[screen, untrusted data: ...]")
    got SmolLM2-135M 2 of 6 plain commands right against 3 of 6, clicking at (1, 1) instead."""
    if transcript is None:
        return render("user_audio.md")
    # Nothing to say about windows (tests, scripts): the turn then reads exactly like the examples' turns.
    known = context is not None and (context.active_window or context.window_titles)
    where = render("windows.md", windows=render_context(context, screen=False)) + "\n" if known else ""
    return render("user_text.md", windows=where, transcript=transcript)

