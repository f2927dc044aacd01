"""The policy section of the settings: per-window risk rules and the windows that run what is typed.

Read by agent/policy.py and tools/guard.py; composed into `Config` by agent/config.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from voxctl.agent.config_sections import Section


class WindowRule(Section):
    """A per-window risk override (policy.window_rules); evaluated by agent/policy.py.

    {window: psql, submits: true, risk: high}: a line submitted (any key or text that submits one, see
    tools/submission.py) in a window whose title or WM_CLASS matches "psql" is high risk. The window is the
    real one the action lands in, as the policy predicts it. (Terminals need no rule: policy.command_windows.)
    """

    window: str = Field(min_length=1)  # regex searched (case-insensitively) in the window's title and WM_CLASS
    tool: str | None = None  # only this tool; None = any tool
    keys: list[str] | None = None  # press_keys only: a press that fires this chord (more modifiers or keys too)
    submits: bool = False  # only actions that submit a line (Enter, ctrl+m, ctrl+j, text with a newline, a paste)
    after: str | None = None  # only when an earlier action of the same plan used this tool
    risk: Literal["low", "medium", "high"]

    @field_validator("window")
    @classmethod
    def _regex(cls, v: str) -> str:
        import re

        try:
            re.compile(v, re.IGNORECASE)
        except re.error as e:
            raise ValueError(f"{v!r} is not a valid regular expression: {e}") from None
        return v

    @field_validator("tool", "after")
    @classmethod
    def _known_tool(cls, v: str | None) -> str | None:
        from voxctl.tools.registry import TOOLS

        if v is not None and v not in TOOLS:
            raise ValueError(f"unknown tool {v!r} (known: {', '.join(TOOLS)})")
        return v

    @field_validator("keys")
    @classmethod
    def _chord(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        from voxctl.tools.keys import normalize_key

        bad = [k for k in v if normalize_key(k) is None]
        if not v or bad:
            raise ValueError(f"{v!r} is not a key chord like [ctrl, w] (unknown: {', '.join(bad)})")
        return [normalize_key(k) for k in v]  # type: ignore[misc]

    @model_validator(mode="after")
    def _keys_need_press(self) -> WindowRule:
        if self.keys is not None and self.tool not in (None, "press_keys"):
            raise ValueError(f"keys only apply to press_keys, not to {self.tool}")
        return self


# Windows that run what is submitted in them (WM_CLASS or title, regexes searched case-insensitively):
# terminals and consoles. A line submitted in one is high risk, always (agent/policy.py, tools/guard.py).
COMMAND_WINDOWS: tuple[str, ...] = (
    r"\b(u|lx|q)?xterm\b", r"terminal", r"\bkonsole\b", r"\bterminator\b", r"\btilix\b", r"\balacritty\b",
    r"\bkitty\b", r"rxvt", r"^st(-256color)?$", r"\bsakura\b", r"\bterminology\b", r"^foot(client)?$",
    r"wezterm", r"\bguake\b", r"\btilda\b", r"\byakuake\b", r"\beterm\b", r"\baterm\b", r"\bconsole\b",
    r"\bshell\b", r"\bcmd(\.exe)?\b", r"command prompt", r"powershell", r"\bpwsh\b", r"\biterm2?\b",
    r"^[\w.-]+@[\w.-]+: ",  # the title a shell gives its terminal: "ops@bastion: ~/deploy"
)


class PolicyConfig(Section):
    confirm_tiers: list[Literal["low", "medium", "high"]] = Field(default_factory=lambda: ["high"])
    tool_risk: dict[str, Literal["low", "medium", "high"]] = Field(default_factory=dict)
    window_rules: list[WindowRule] = Field(default_factory=list)
    command_windows: list[str] = Field(default_factory=lambda: list(COMMAND_WINDOWS))
    max_actions: int = Field(20, ge=1, le=500)  # steps per plan, counted after macro expansion
    max_primitives: int = Field(500, ge=1, le=100_000)  # primitive actions per plan (a press x50 is 50)
    max_plans_per_minute: int = Field(30, ge=1, le=1000)

    @field_validator("confirm_tiers")
    @classmethod
    def _high_always(cls, v: list[str]) -> list[str]:
        return sorted(set(v) | {"high"})

    @field_validator("command_windows")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        import re

        for p in v:
            try:
                re.compile(p, re.IGNORECASE)
            except re.error as e:
                raise ValueError(f"{p!r} is not a valid regular expression: {e}") from None
        return v

    @field_validator("tool_risk")
    @classmethod
    def _known_tools(cls, v: dict[str, str]) -> dict[str, str]:
        from voxctl.tools.registry import TOOLS

        unknown = [k for k in v if k not in TOOLS]
        if unknown:
            raise ValueError(f"unknown tool {unknown[0]!r} (known: {', '.join(TOOLS)})")
        return v

