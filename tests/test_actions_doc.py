"""docs/ACTIONS.md is the action contract shipped with the code: its generated tables must say what the
registry, the key table and the platform bindings say. Rewrite them with `python -m tests.test_actions_doc`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "ACTIONS.md"
_BLOCK = re.compile(r"(<!-- BEGIN (\w+) [^>]*-->\n)(.*?)(<!-- END \2 -->)", re.DOTALL)


def tools_table() -> str:
    from voxctl.agent.commands.tools import arg_summary
    from voxctl.tools.base import Risk
    from voxctl.tools.registry import TOOLS

    rows = ["| tool | args (defaults) | risk | spoken examples |", "|---|---|---|---|"]
    for name, spec in TOOLS.items():
        args = ", ".join(f"`{arg_summary(n, f)}`" for n, f in spec.args.model_fields.items()) or "—"
        risk = str(spec.risk)
        if name == "run_macro":
            risk = "the riskiest of the macro's steps"
        elif spec.assess is not None and spec.risk < Risk.HIGH:
            risk += f"; {Risk.HIGH} for some arguments"
        said = ", ".join(f'"{e}"' for e in spec.examples)
        rows.append(f"| `{name}` | {args.replace('|', chr(92) + '|')} | {risk} | {said} |")
    return "\n".join(rows) + "\n"


def keys_list() -> str:
    from typing import get_args

    from voxctl.tools.keys import KEY_NAMES, KeyName

    names = [k for k in get_args(KeyName) if k in KEY_NAMES]
    return ", ".join(f"`{k}`" for k in names) + "\n"


def bindings_table() -> str:
    import yaml

    from voxctl.agent.interpret.patterns import spellings
    from voxctl.agent.interpret.rules import DEFAULT_PATH, load_grammar
    from voxctl.tools.bindings import bindings

    spoken = load_grammar().actions
    # a form written as a pattern ("save (my|the) (essay|report)") is shown so, not as every phrase it says
    written = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["actions"]
    rows = ["| edit action | Linux | Windows | macOS | said as |", "|---|---|---|---|---|"]
    for action, per in bindings().items():
        patterns = [f for f in written.get(action, ()) if "(" in f or "[" in f]
        plain = [" ".join(p) for p in spoken.get(action, ())
                 if not any(" ".join(p) in spellings(f) for f in patterns)]
        said = ", ".join(f'"{p}"' for p in [*sorted(plain, key=lambda p: (len(p.split()), p)), *patterns])
        said = said.replace("|", "\\|")  # a pattern's "or" is no column of the table
        rows.append(f"| `{action}` | " + " | ".join("+".join(per[p]) for p in ("linux", "windows", "mac"))
                    + f" | {said} |")
    return "\n".join(rows) + "\n"


def app_actions_table() -> str:
    import yaml

    from voxctl.agent.interpret.rules import DEFAULT_PATH
    from voxctl.tools.app_keys import table
    from voxctl.tools.bindings import chord

    written = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["app_actions"]
    rows = ["| app action | keys by app (Linux; macOS where it differs) | elsewhere | said as |", "|---|---|---|---|"]
    t = table()
    for action in written:
        per = []
        for app in t.apps:
            if action in app.keys:
                keys = app.keys[action]
                mac = f" (macOS {'+'.join(keys['mac'])})" if keys["mac"] != keys["linux"] else ""
                effect = f", {app.effects[action]}: asks first" if action in app.effects else ""
                per.append(f"{app.name} {'+'.join(keys['linux'])}{mac}{effect}")
        other = t.elsewhere.get(action)
        elsewhere = (f"the edit action `{other}` ({'+'.join(chord(other, 'linux'))})" if isinstance(other, str) else
                     "+".join(other) if other else
                     f'click "{t.buttons[action]}"' if action in t.buttons else "no command")
        said = ", ".join(f'"{p}"' for p in written[action]).replace("|", "\\|")
        rows.append(f"| `{action}` | {'; '.join(per)} | {elsewhere} | {said} |")
    return "\n".join(rows) + "\n"


# Said after "type" (or "dictate", "write"): what each becomes, read by the grammar itself when the doc is written
DICTATED = ("type hello comma world", "type are you coming question mark", "type it costs twenty dollars",
            "type numeral twenty", "type sam dot lee at example dot com", "type print open paren x close paren",
            "type snake case total price", "type cap smith said no", "type hello new line", "type the word comma",
            "type equals sum of c three to c twenty",
            # a web address said in words is written as one, https:// in front
            "go to wikipedia dot org", "open github dot com slash voxctl",
            # a web search: the engine's address with the words after it
            "search google for cheap flights to dublin", "search youtube for water cycle for kids", "google bus times")


def dictation_table() -> str:
    from voxctl.agent.commands.tools import dictation_rows
    from voxctl.agent.interpret.dictation import load_dictation
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    rows = ["| words | what they become |", "|---|---|"]
    for kind, text in dictation_rows(load_dictation(None)):
        rows.append(f"| {kind} | {text.replace(chr(10), '<br>').replace('|', chr(92) + '|')} |")
    rows += ["", "| said | plan |", "|---|---|"]
    grammar = GrammarInterpreter()
    for said in DICTATED:
        plan = grammar.parse(said).actions
        shown = "; ".join(f"type_text {c.args.text!r}" if c.tool == "type_text" else
                          f"press {'+'.join(c.args.keys)}" if c.tool == "press_keys" else
                          f"open_url {c.args.url!r}" if c.tool == "open_url" else c.tool for c in plan)
        rows.append(f'| "{said}" | {shown.replace("|", chr(92) + "|")} |')
    return "\n".join(rows) + "\n"


GENERATORS = {"tools": tools_table, "keys": keys_list, "bindings": bindings_table, "app_actions": app_actions_table,
              "dictation": dictation_table}


def rendered(text: str) -> str:
    return _BLOCK.sub(lambda m: m.group(1) + GENERATORS[m.group(2)]() + m.group(4), text)


def test_generated_parts_match_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert set(m.group(2) for m in _BLOCK.finditer(text)) == set(GENERATORS)
    assert rendered(text) == text, "docs/ACTIONS.md is stale: run `python -m tests.test_actions_doc`"


def test_nothing_points_to_a_missing_contract() -> None:
    root = DOC.parents[1]
    hits = []
    for folder in ("agent", "tools", "prompts", "tests", "bench", "docs"):
        for path in (root / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".yaml") and path.is_file() and path != Path(__file__):
                if "TOOLS.md" in path.read_text(encoding="utf-8", errors="replace"):
                    hits.append(str(path.relative_to(root)))
    if "TOOLS.md" in (root / "README.md").read_text(encoding="utf-8"):
        hits.append("README.md")
    assert hits == []


def test_exec_help_points_to_the_contract() -> None:
    import subprocess

    out = subprocess.run([sys.executable, "-m", "voxctl.agent", "exec", "--help"], capture_output=True, text=True,
                         timeout=60, cwd=DOC.parents[1])
    assert out.returncode == 0 and "docs/ACTIONS.md" in out.stdout


if __name__ == "__main__":
    DOC.write_text(rendered(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)
