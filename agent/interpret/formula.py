"""A spreadsheet formula said in words, typed as one: "equals sum of c three to c twenty" -> =sum(c3:c20).

Read by dictation_render when a dictation begins with a formula lead ("equals", "the formula equals"; dictation.yaml
`formula_lead`). Nothing is spaced; `formula_words` are symbols; a letter (or two) said before a number is a cell
("b two" b2); numbers are digits, "point" their decimals ("one point one eight" 1.18); a word said before "of"
is a function whose brackets open there and close at the end ("sum of ..."); "to" between two cells is a range.
"""

from __future__ import annotations

import re

from voxctl.agent.interpret.dictation import DictationSpec
from voxctl.agent.interpret.numbers import parse_numbers, said_number

_CELL_LETTERS = re.compile(r"[a-z]{1,2}")


def _lead(cores: list[str], spec: DictationSpec) -> int:
    return next((len(p) for p in spec.formula_lead if tuple(cores[:len(p)]) == p), 0)


def _number(cores: list[str], i: int) -> tuple[str, int] | None:
    """(the number said at cores[i:] in digits, words taken), decimals after "point" one digit a word."""
    if (got := said_number(cores, i)) is None:
        return None
    whole, used = got
    if i + used < len(cores) and cores[i + used] == "point":
        digits = []
        for w in cores[i + used + 1:]:
            got = parse_numbers([w])
            if w.isdigit() and len(w) == 1:
                digits.append(w)
            elif got and 0 <= got[0].value <= 9 and got[0].end == 1:
                digits.append(str(int(got[0].value)))
            else:
                break
        if digits:
            return f"{whole}.{''.join(digits)}", used + 1 + len(digits)
    return whole, used


def formula(cores: list[str], spec: DictationSpec) -> str | None:
    """The formula `cores` (lowercase words) say, or None when they do not begin with a formula lead."""
    if not spec.formula_words or not (start := _lead(cores, spec)) or start == len(cores) or cores[start] == "sign":
        return None  # "type equals sign": the mark
    out, opened, i = ["="], 0, start
    while i < len(cores):
        w = cores[i]
        n = max((len(p) for p in spec.formula_words if tuple(cores[i:i + len(p)]) == p), default=0)
        if n:
            symbol = spec.formula_words[tuple(cores[i:i + n])]
            out.append(symbol)
            opened += symbol == "(" or -(symbol == ")" and opened > 0)
            i += n
        elif (num := _number(cores, i)) is not None:
            out.append(num[0])
            i += num[1]
        elif _CELL_LETTERS.fullmatch(w) and (num := _number(cores, i + 1)) is not None and "." not in num[0]:
            out.append(w + num[0])  # "b two" -> b2
            i += 1 + num[1]
            if i < len(cores) - 1 and cores[i] == "to":
                out.append(":")  # "c three to c twenty" -> c3:c20
                i += 1
        elif i + 1 < len(cores) and cores[i + 1] == "of" and w.isalpha():
            out.append(w + "(")  # "sum of ..." -> sum(...)
            opened, i = opened + 1, i + 2
        else:
            out.append(w)
            i += 1
    return "".join(out) + ")" * opened
