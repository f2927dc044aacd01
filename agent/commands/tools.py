"""`voxctl tools`: what you can say, or (`--json`) the ActionPlan JSON schema.

The tools come from their table (tools/registry.py); the dictation words from their data file
(agent/interpret/dictation.yaml, with the user's interpreter.dictation_file merged over it).
"""

from __future__ import annotations

import json
import types
from typing import Any, Literal, Union, get_args, get_origin

from voxctl.agent.config import Config
from voxctl.agent.interpret.dictation import FORMATS, DictationSpec, Phrase, load_dictation
from voxctl.tools.keys import KeyName
from voxctl.tools.registry import TOOLS, plan_schema


def _bounds(metadata: list[Any]) -> str:
    """`1..3` from Field(ge=1, le=3); "" when the field has no numeric bounds."""
    lo = next((getattr(m, "ge", None) for m in metadata if getattr(m, "ge", None) is not None), None)
    hi = next((getattr(m, "le", None) for m in metadata if getattr(m, "le", None) is not None), None)
    if lo is None and hi is None:
        return ""
    return f"{'' if lo is None else f'{lo:g}'}..{'' if hi is None else f'{hi:g}'}"


def type_text(ann: Any, metadata: list[Any] = ()) -> str:  # type: ignore[assignment]
    """A field's type as a person reads it: `left|right|middle`, `int 1..3`, `str | None`, `list[key]`."""
    origin, args = get_origin(ann), get_args(ann)
    if origin is Literal:
        return "key" if ann == KeyName else "|".join(str(a) for a in args)
    if origin in (Union, types.UnionType):
        parts = [type_text(a, metadata) for a in args if a is not type(None)]
        return " | ".join(parts + (["None"] if type(None) in args else []))
    if origin is list:
        lo = next((m.min_length for m in metadata if hasattr(m, "min_length")), None)
        hi = next((m.max_length for m in metadata if hasattr(m, "max_length")), None)
        count = f" ({lo}-{hi})" if lo is not None and hi is not None else ""
        return f"list[{type_text(args[0])}]{count}"
    name = getattr(ann, "__name__", str(ann))
    if name in ("int", "float") and (b := _bounds(metadata)):
        return f"{name} {b}"
    return name


def arg_summary(name: str, info: Any) -> str:
    default = "" if info.is_required() else f" = {info.default}"
    return f"{name}: {type_text(info.annotation, info.metadata)}{default}"


def dictation_rows(spec: DictationSpec) -> list[tuple[str, str]]:
    """The dictation words as (kind, what to say and what it becomes) rows, read from `spec`."""

    def said(phrases: Any) -> str:
        return " / ".join(" ".join(p) for p in phrases)

    def each(table: dict[Phrase, Any], shown: Any) -> str:
        return " · ".join(f"{' '.join(p)} → {shown(v)}" for p, v in table.items())

    names: dict[str, list[Phrase]] = {}
    for phrase, fmt in spec.formatters.items():
        names.setdefault(fmt, []).append(phrase)
    example = ["hello", "world"]
    formats = "\n".join(f"{said(ps)} hello world → {FORMATS[fmt](example)}" for fmt, ps in names.items())
    if spec.formatter_suffix:
        formats += f"\n(a formatter's name may be followed by {said(spec.formatter_suffix)})"
    return [
        ("formatters", formats),
        ("punctuation", each(spec.punctuation, lambda m: m.symbol)),
        ("layout (keys pressed)", each(spec.layout, " ".join)),
        ("word rules", f"{said(spec.cap)}: the next word capitalized; {said(spec.no_space)}: no space before "
                       f"the next word; {said(spec.numeral)}: the number after it as digits; "
                       f"{said(spec.literal)}: the next word typed as it is"),
        ("spelling", f"{said(spec.spell)}, then: " + each(spec.alphabet, lambda c: c if c.strip() else repr(c))),
        ("dictation mode", f"on: {said(spec.mode_on)}; off: {said(spec.mode_off)}; commands heard in it: "
                           f"{said(spec.escapes)}"),
    ]


def run(args: Any, config: Config) -> int:
    if args.json:
        print(json.dumps(plan_schema(), indent=2))
        return 0
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    overrides = config.policy.tool_risk
    table = Table(title="voxctl tools — what you can say", show_lines=True)
    table.add_column("tool", style="bold", no_wrap=True)
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
            escape("\n".join(arg_summary(n, f) for n, f in fields.items()) or "—"),
            risk,
            "\n".join(f'"{e}"' for e in spec.examples),
        )
    words = Table(title="dictation words — what dictated words become (agent/interpret/dictation.yaml)",
                  show_lines=True)
    words.add_column("words", style="bold", no_wrap=True)
    words.add_column("say → types")
    for kind, text in dictation_rows(load_dictation(config.interpreter.dictation_file)):
        words.add_row(kind, escape(text))
    console = Console()
    console.print(table)
    console.print(f"[bold]key names[/bold] (press_keys): {' '.join(get_args(KeyName))}", highlight=False)
    console.print("Synonyms are accepted and normalised: control → ctrl, return → enter, esc → escape, "
                  "super/cmd/windows → win, page up → pageup, ...", highlight=False)
    console.print("A plan is JSON: {\"actions\": [{\"tool\": \"press_keys\", \"args\": {\"keys\": [\"ctrl\", \"s\"]}}]}"
                  " — run it with `voxctl exec PLAN.json`; `voxctl tools --json` prints its schema.",
                  highlight=False, markup=False)
    console.print(words)
    return 0
