"""Shared vocabulary of the tool layer: risk tiers, result values, the tool spec and the abort signal."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from voxctl.tools.context import ToolContext


class Risk(enum.IntEnum):
    """Risk tiers, ordered so that `max()` gives the riskier one."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @classmethod
    def parse(cls, value: str | Risk) -> Risk:
        if isinstance(value, Risk):
            return value
        return cls[value.upper()]

    def __str__(self) -> str:
        return self.name.lower()


OpenSlot = Literal["app", "window", "target", "name"]  # "name": a new name said freely (a macro's)


class Args(BaseModel):
    """Base of every tool's argument model: strict, no unknown fields, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


@dataclass(frozen=True)
class ToolResult:
    """An action that ran. `output` is a short human-readable account of what happened."""

    tool: str
    output: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    ok: bool = True


@dataclass(frozen=True)
class ToolError:
    """An action that could not run or failed. Never raised: returned as a value."""

    tool: str
    message: str
    ok: bool = False


Outcome = ToolResult | ToolError


class EmergencyStop(BaseException):  # noqa: N818 - a signal, not an error
    """Raised between primitives when the user hits the stop hotkey.

    Derives from BaseException on purpose: no `except Exception` may swallow it.
    """


@dataclass(frozen=True)
class ToolSpec:
    """What the registry knows of one tool: its argument model, risk, how to run it and how it is said."""

    name: str
    args: type[Args]
    risk: Risk
    run: Callable[[Any, ToolContext], Outcome]
    examples: tuple[str, ...] = ()
    family: str = ""
    # Risk that depends on the arguments (a destructive key chord); never lowers `risk`.
    assess: Callable[[Any], Risk] | None = None
    # The action in plain words for a person ("press ctrl+s 3 times"): feedback, confirmation, history.
    describe: Callable[[Any], str] | None = None
    # Safe to run again when a crash left its first run's fate unknown (agent/durable.py).
    repeatable: bool = False
    # The Desktop primitives it may call that act on the desktop (tools/guard.py checks these).
    primitives: frozenset[str] = frozenset()
    # How many primitive actions one call performs, for the per-plan budget (press_keys: `repeat`).
    cost: Callable[[Any], int] | None = None
    # Arguments that take any words from speech (the grammar's open slots) and what each must name to be a
    # command: an app, an open window or something on the screen (agent/interpret/grounded.py).
    open_slots: Mapping[str, OpenSlot] = field(default_factory=dict, hash=False)

    def risk_of(self, args: Args) -> Risk:
        return max(self.risk, self.assess(args)) if self.assess else self.risk

    def describe_args(self, args: Args) -> str:
        if self.describe is not None:
            return self.describe(args)
        shown = ", ".join(f"{k}={v!r}" for k, v in args.model_dump(exclude_defaults=True).items())
        return f"{self.name}({shown})"

    def cost_of(self, args: Args) -> int:
        return self.cost(args) if self.cost else 1

    @property
    def description(self) -> str:
        return (self.args.__doc__ or "").strip()
