"""Keyboard tools: type text, press a key chord (optionally repeated)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.context import ToolContext
from voxctl.tools.keys import KeyName, is_destructive, normalize_key


class TypeText(Args):
    """Type text into the focused window, exactly as given (no Enter at the end; use press_keys for that)."""

    text: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00-\x1f\x7f]+$")


class PressKeys(Args):
    """Press keys together as one chord (for example ["ctrl", "s"] saves), `repeat` times.
    Key names are lowercase: ctrl, alt, shift, win, enter, tab, escape, backspace, delete, space,
    arrows (up, down, left, right), home, end, pageup, pagedown, f1-f12, letters and digits."""

    keys: list[KeyName] = Field(min_length=1, max_length=4)
    repeat: int = Field(default=1, ge=1, le=50)

    @field_validator("keys", mode="before")
    @classmethod
    def _synonyms(cls, value: Any) -> Any:
        # Accept "control", "Return", "Ctrl" from people writing plans by hand; unknown names fall
        # through unchanged so the Literal check reports them.
        if isinstance(value, list):
            return [normalize_key(k) or k if isinstance(k, str) else k for k in value]
        return value

    @field_validator("keys")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a key appears twice in one chord")
        return value


def run_type(a: TypeText, ctx: ToolContext) -> Outcome:
    ctx.desktop.type_text(a.text)
    return ToolResult("type_text", f"typed {len(a.text)} characters")


def run_press(a: PressKeys, ctx: ToolContext) -> Outcome:
    for i in range(a.repeat):
        if i:
            ctx.desktop.sleep(0.02)
        ctx.desktop.press(list(a.keys))
    times = f" x{a.repeat}" if a.repeat > 1 else ""
    return ToolResult("press_keys", f"pressed {'+'.join(a.keys)}{times}")


def assess_press(a: PressKeys) -> Risk:
    return Risk.HIGH if is_destructive(a.keys) else Risk.LOW


def say_press(a: PressKeys) -> str:
    times = f" {a.repeat} times" if a.repeat > 1 else ""
    return f"press {'+'.join(a.keys)}{times}"


SPECS = (
    ToolSpec("type_text", TypeText, Risk.MEDIUM, run_type, family="keyboard",
             examples=("type hello world",), describe=lambda a: f"type {a.text!r}",
             primitives=frozenset({"type_text"})),
    ToolSpec("press_keys", PressKeys, Risk.LOW, run_press, family="keyboard", assess=assess_press,
             examples=("press control s", "press enter three times", "copy"), describe=say_press,
             primitives=frozenset({"press", "sleep"}), cost=lambda a: a.repeat),
)
