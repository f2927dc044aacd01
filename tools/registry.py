"""The registry: every tool by name, the `ActionPlan` model built from them, validation and dispatch.

The prompt's tool schema and the decoding grammar are both generated from here; nothing else spells
a tool's arguments out by hand. Dispatch is a dictionary lookup, never `getattr` on a model's output.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.json_schema import SkipJsonSchema

# grid, labels: pointing by voice; window_state, journal ("scratch that"), meta: graph-level commands
from voxctl.tools import (
    apps,
    grid,
    journal,
    keyboard,
    labels,
    macros,
    meta,
    mouse,
    screen,
    web,
    window_state,
    windows,
)
from voxctl.tools.base import Args, EmergencyStop, Outcome, Risk, ToolError, ToolSpec
from voxctl.tools.context import ToolContext
from voxctl.tools.desktop import DesktopError
from voxctl.tools.macros import find_macro

TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for module in (mouse, keyboard, apps, web, windows, screen, macros, window_state, journal, meta, grid, labels)
    for spec in module.SPECS
}

Source = Literal["grammar", "audio_llm", "cascade", "remote", "understand", "macro", "text"]


def _call_model(spec: ToolSpec) -> type[BaseModel]:
    args_required = any(f.is_required() for f in spec.args.model_fields.values())
    args_field: Any = (spec.args, ...) if args_required else (spec.args, Field(default_factory=spec.args))
    model = create_model(
        "".join(part.title() for part in spec.name.split("_")) + "Call",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__=spec.description,
        tool=(Literal[spec.name], ...),  # type: ignore[valid-type]
        args=args_field,
    )
    return model


CALL_MODELS: dict[str, type[BaseModel]] = {name: _call_model(spec) for name, spec in TOOLS.items()}

ToolCall = Annotated[Union[tuple(CALL_MODELS.values())], Field(discriminator="tool")]  # noqa: UP007


class ActionPlan(BaseModel):
    """What every interpreter produces and the agent executes (see docs/ACTIONS.md)."""

    model_config = ConfigDict(extra="forbid")

    transcript: str = ""
    source: Source = "text"
    actions: list[ToolCall] = Field(default_factory=list)
    reason: str | None = Field(default=None, description="why nothing was understood, when actions is empty")
    # What a model guessed below its confidence ("did you mean: next tab (ctrl+tab)?"): nothing runs it but a "yes"
    # said next (agent/interpret/guessed.py). Not part of the contract a backend writes: no schema, no JSON.
    guess: SkipJsonSchema[list[ToolCall]] = Field(default_factory=list, exclude=True)

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if data.get("reason") is None:
            data.pop("reason", None)
        return data


def plan_schema() -> dict[str, Any]:
    """JSON schema of the whole ActionPlan (the public contract, `voxctl tools --json`)."""
    return ActionPlan.model_json_schema()


def call(tool: str, **args: Any) -> BaseModel:
    """Build a validated ToolCall in code: `call("press_keys", keys=["ctrl", "s"])`."""
    return CALL_MODELS[tool].model_validate({"tool": tool, "args": args})


def echo(value: Any, limit: int = 60) -> str:
    """repr() of a value from the input, cut short: a 10 MB key name is not echoed back whole."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _problems(prefix: str, err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "literal_error" and "expected" in e.get("ctx", {}):
            msg = f"{echo(e['input'])} is not allowed"
        elif len(msg) > 200:  # pydantic quotes the input in some messages
            msg = msg[:200] + "…"
        out.append(f"{prefix}{'.' + loc if loc else ''}: {msg}")
    return out


def validate_action(raw: Any, where: str = "action") -> tuple[BaseModel | None, list[str]]:
    """One ToolCall from raw data, or the list of what is wrong with it."""
    if not isinstance(raw, Mapping):
        return None, [f"{where}: expected an object with 'tool' and 'args', got {type(raw).__name__}"]
    name = raw.get("tool")
    if not isinstance(name, str) or name not in CALL_MODELS:
        return None, [f"{where}: unknown tool {echo(name)} (known: {', '.join(TOOLS)})"]
    try:
        return CALL_MODELS[name].model_validate(dict(raw)), []
    except ValidationError as e:
        return None, _problems(f"{where} ({name})", e)


def validate_plan(raw: Any) -> tuple[ActionPlan | None, list[str]]:
    """An ActionPlan from raw data (dict or JSON text), or every problem found in it."""
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as e:
            return None, [f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"]
        except RecursionError:
            return None, ["not a plan: the JSON is nested too deeply"]
        except ValueError:  # an integer of thousands of digits (over Python's int conversion limit)
            return None, ["not a plan: it holds a number thousands of digits long"]
    if isinstance(raw, list):  # a bare list of actions is accepted as a plan
        raw = {"actions": raw}
    if not isinstance(raw, Mapping):
        return None, [f"a plan must be a JSON object with 'actions', got {type(raw).__name__}"]
    problems: list[str] = []
    actions = raw.get("actions", [])
    if not isinstance(actions, list):
        return None, ["actions: must be a list"]
    calls = []
    for i, item in enumerate(actions):
        c, errs = validate_action(item, f"actions[{i}]")
        problems += errs
        calls.append(c)
    rest = {k: v for k, v in raw.items() if k != "actions"}
    try:
        head = ActionPlan.model_validate(rest)
    except ValidationError as e:
        problems += _problems("plan", e)
        head = None
    if problems or head is None:
        return None, problems
    return head.model_copy(update={"actions": calls}), []


def risk_of(
    call: BaseModel, table: Mapping[str, list[Any]] | None = None, _seen: frozenset[str] = frozenset()
) -> Risk:
    """The risk tier of one call; a macro is as risky as its riskiest step (`table`: the user's macros)."""
    spec = TOOLS[call.tool]  # type: ignore[attr-defined]
    risk = spec.risk_of(call.args)  # type: ignore[attr-defined]
    if call.tool == "run_macro" and table is not None:  # type: ignore[attr-defined]
        key = find_macro(call.args.name, dict(table))  # type: ignore[attr-defined]
        if key is not None and key not in _seen:
            for step in table[key]:
                risk = max(risk, risk_of(step, table, _seen | {key}))
    return risk


def dispatch(call: BaseModel | Mapping[str, Any], ctx: ToolContext) -> Outcome:
    """Run one call. Every failure comes back as a ToolError; only EmergencyStop escapes."""
    if not isinstance(call, BaseModel):
        parsed, errs = validate_action(call)
        if parsed is None:
            name = call.get("tool") if isinstance(call, Mapping) else None
            return ToolError(tool=str(name), message="; ".join(errs))
        call = parsed
    spec = TOOLS[call.tool]  # type: ignore[attr-defined]
    try:
        return spec.run(call.args, ctx)  # type: ignore[attr-defined]
    except EmergencyStop:
        raise
    except DesktopError as e:
        return ToolError(tool=spec.name, message=str(e))
    except Exception as e:  # a bug or an OS surprise must not take the agent down
        return ToolError(tool=spec.name, message=f"{type(e).__name__}: {e}")


__all__ = ["TOOLS", "ActionPlan", "ToolCall", "Args", "call", "dispatch", "plan_schema", "risk_of",
           "validate_action", "validate_plan"]
