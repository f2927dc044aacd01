"""Dictation into a terminal read again with a shell's words in the recogniser's hint.

The recogniser's hint teaches how commands to voxctl are said, not the programs of a shell, and tiny.en writes
everyday words for them: "type good pill origin main" for "type git pull origin main", "type k u d c d l get pods"
for kubectl, "type to reform plan" for terraform (spoken blind probe set 25, slt and en-us+m3). Put in the hint of
every command, a shell's words pull commands too ("press alt f" was heard "press alt tab": s44).

So only a plan that types into a window that runs commands (policy.command_windows: terminals, a shell's title) is
read again: the same audio (its encoding is reused) decoded with `SHELL_HINT` as the text said before it, and the
reading's own words up to the dictation trigger forced ("press control r and type"), so that only what follows is
read again. The new reading is taken when the grammar makes the same plan of it but for the text typed, the
recogniser is not unsure of it (FLOOR), the trigger's command words are unchanged (a tail heard otherwise, "and hit
enter" read "and git enter" under the shell's words, keeps the first reading whole), and every word it brings in
is a shell's ("git pull" for "good phone"; not "a good morning" for prose heard right).

What a terminal types still asks before a line is submitted there (policy), as any dictation does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

# Everyday shell command lines, written as a shell reads them: the programs and subcommands people dictate most.
# Written from what shells run every day, not from a dev set's lines; `rm` and other deletions are left out (the hint
# pulls readings towards its words).
SHELL_HINT = (
    "git status. git add. git commit. git push. git pull. git checkout. git log. git diff. ls. cd. pwd. "
    "sudo apt install. sudo systemctl restart. journalctl. docker ps. docker compose up. kubectl get pods. ssh. "
    "make. python. pip install. pytest. npm install. npm run dev. node. cargo build. go run. conda activate. "
    "terraform plan. grep. cat. less. tail. vim. nano. htop. curl. tmux. clear. exit."
)


ON = True  # off only for an A/B of it: scripts/bench_blind.py --without-shell-look


def _trigger_end(text: str, spec: Any) -> int | None:
    """Where the first dictation trigger of `text` ends ("press control r and type| ssh"), or None."""
    from voxctl.agent.interpret.normalize import tokenize

    triggers = spec.type_triggers | spec.cautious_triggers | spec.shell_triggers  # "run git diff" too
    for tok in tokenize(text):
        if tok.word in triggers:
            return tok.end
    return None


def _same_but_text(a: Any, b: Any) -> bool:
    """Whether plans `a` and `b` hold the same calls in order, those that type text aside (their text may differ)."""
    if len(a.actions) != len(b.actions):
        return False
    for x, y in zip(a.actions, b.actions, strict=True):
        if x.tool != y.tool or (x.tool != "type_text" and x.args != y.args):
            return False
    return True


def shell_words(spec: Any) -> frozenset[str]:
    """The words a shell's reading may bring in: SHELL_HINT's and the grammar's shell programs (grammar.yaml)."""
    from voxctl.tools.words import words_in

    return frozenset(words_in(SHELL_HINT)) | frozenset(spec.shell_programs)


def brings_only_shell_words(first: str, again: str, spec: Any) -> bool:
    """Whether every word `again` has in place of `first`'s, or more, is a shell's (`shell_words`): "git pull" for
    "good phone" is; "a good morning" for "good morning" (prose typed into an xterm, read again under the shell's
    words: the hands-free session test) is not."""
    from difflib import SequenceMatcher

    from voxctl.tools.words import words_in

    a, b = words_in(first), words_in(again)
    brought = [w for op, _, _, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op != "equal"
               for w in b[j1:j2]]
    return bool(brought) and set(brought) <= shell_words(spec)


def in_terminal(context: Any, patterns: Any) -> bool:
    """Whether the focused window (`context`, a ScreenState) runs commands: its title or WM_CLASS matches one of
    `patterns` (policy.command_windows)."""
    from voxctl.tools.desktop import Window
    from voxctl.tools.submission import is_command_window

    if context is None or not (context.active_window or context.active_class):
        return False
    return is_command_window(Window("", context.active_window, tuple(context.active_class)), patterns)


def look(grammar: Any, audio: Any, parse: Any, context: Any = None) -> Any:
    """`parse` (GrammarInterpreter.read's), or the same with the text typed read again under the shell's words."""
    from voxctl.agent.interpret.grammar import FLOOR
    from voxctl.agent.interpret.grammar_parse import Reading

    acts = parse.plan.actions
    if (not ON or audio is None or parse.refused or not any(c.tool == "type_text" for c in acts) or grammar.dictation_mode.on
            or not in_terminal(context, grammar.command_windows)):  # dictation mode types prose: no trigger to force
        return parse
    tr = grammar.transcriber
    chosen = (parse.chosen_text or parse.plan.transcript).strip()
    end = _trigger_end(chosen, grammar.spec)
    if end is None or not hasattr(tr, "nbest"):
        return parse
    prefix = chosen[:end]
    readings = tr.nbest(audio, 5, hotwords=SHELL_HINT, prefix=prefix)
    if not readings or readings[0].text.strip() == chosen or readings[0].score < FLOOR:
        return parse
    best = readings[0]
    again = grammar.analyse(best.text, context)
    if (again.refused or not _same_but_text(parse.plan, again.plan) or again.plan.actions == acts
            or not brings_only_shell_words(chosen, best.text, grammar.spec)):
        return replace(parse, hypotheses=(*parse.hypotheses, Reading(best.text, best.score,
                                                                     "not taken: read under a shell's words, another plan")))
    plan = again.plan.model_copy(update={"transcript": best.text})
    return replace(parse, plan=plan, mode=again.mode, chosen_text=best.text, chosen_score=best.score,
                   hypotheses=(*parse.hypotheses, Reading(best.text, best.score, "chosen: read under a shell's words")))
