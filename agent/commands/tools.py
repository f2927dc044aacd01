"""`voxctl tools`: what you can say, or (`--json`) the ActionPlan JSON schema."""

from __future__ import annotations

import json
from typing import Any

from agent.config import Config
from tools.registry import TOOLS, plan_schema


def _arg_summary(name: str, info: Any) -> str:
    ann = getattr(info.annotation, "__name__", None) or str(info.annotation).replace("typing.", "")
    ann = ann.replace("Literal", "").replace("NoneType", "None")
    default = "" if info.is_required() else f" = {info.default!r}"
    return f"{name}: {ann}{default}"


def run(args: Any, config: Config) -> int:
    if args.json:
        print(json.dumps(plan_schema(), indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    overrides = config.policy.tool_risk
    table = Table(title="voxctl tools — what you can say", show_lines=True)
    table.add_column("tool", style="bold")
    table.add_column("arguments")
    table.add_column("risk")
    table.add_column("say, for example")
    for name, spec in TOOLS.items():
        risk = overrides.get(name, str(spec.risk))
        if spec.assess is not None:
            risk += " (high for destructive chords)"
        if name == "run_macro":
            risk = "as its riskiest step"
        fields = spec.args.model_fields
        table.add_row(
            name,
            "\n".join(_arg_summary(n, f) for n, f in fields.items()) or "—",
            risk,
            "\n".join(f'"{e}"' for e in spec.examples),
        )
    Console().print(table)
    return 0
