"""The grammar compiled for one interpreter: everything the chain parser reads, as one value.

`ChainParser` (chain.py) works on a `CompiledGrammar`, never on the interpreter that built it: the
rules indexed by their first word, the vocabulary (keys, apps, macro phrases), the words that glue
commands together, the macro names for error messages, and how risky a call is (for refusing
destructive near-misses). `compile_grammar` builds it once per interpreter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from voxctl.agent.interpret.fuzzy import is_near
from voxctl.agent.interpret.normalize import Token
from voxctl.agent.interpret.rules import GrammarSpec, Rule
from voxctl.agent.interpret.slots import Vocabulary
from voxctl.tools.base import Risk
from voxctl.tools.bindings import chord


@dataclass(frozen=True)
class CompiledGrammar:
    spec: GrammarSpec
    vocab: Vocabulary
    # The words of fillers and connectives: no command by themselves. Words, not phrases ("that" of "after
    # that"): where a whole span must be fillers, ChainParser.glue_only checks the phrases.
    glue: frozenset[str]
    macro_names: tuple[str, ...]
    risk: Callable[[Any], Risk]
    by_first: dict[str, tuple[Rule, ...]]
    any_start: tuple[Rule, ...]
    # The edit actions ("select all", "copy") and the keys said alone ("tab", "enter"): what they press and the
    # words they start with. Two commands said with no "and" and no pause between are read as two only when
    # both are of these ("select all copy", "tab enter"): misheard speech split anywhere gave plans nobody
    # said (chain.py).
    edit_chords: frozenset[tuple[str, ...]] = frozenset()
    edit_first: frozenset[str] = frozenset()
    # Rules reachable from a heard first word by a near-miss, filled as words are seen.
    _near_first: dict[str, tuple[Rule, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def threshold(self) -> float:
        return self.vocab.threshold

    def rules_for(self, first: Token) -> list[Rule]:
        """Rules that can start with this word (exactly or as a near-miss), in grammar order."""
        w = first.word
        if w not in self._near_first:
            self._near_first[w] = tuple(r for v, rules in self.by_first.items()
                                        if is_near(v, w, self.threshold) for r in rules)
        found = {r.index: r for r in (*self.by_first.get(w, ()), *self._near_first[w], *self.any_start)}
        return [found[k] for k in sorted(found)]


def compile_grammar(spec: GrammarSpec, vocab: Vocabulary, macro_names: tuple[str, ...],
                    risk: Callable[[Any], Risk]) -> CompiledGrammar:
    by_first: dict[str, list[Rule]] = {}
    any_start: list[Rule] = []
    for rule in spec.rules:
        if rule.first is None:
            any_start.append(rule)
        for w in rule.first or ():
            by_first.setdefault(w, []).append(rule)
    glue = frozenset(w for p in (*spec.fillers_start, *spec.fillers_end, *spec.connectives) for w in p)
    return CompiledGrammar(spec=spec, vocab=vocab, glue=glue, macro_names=tuple(sorted(macro_names)), risk=risk,
                           by_first={w: tuple(r) for w, r in by_first.items()}, any_start=tuple(any_start),
                           edit_chords=frozenset({*(tuple(chord(a, spec.platform)) for a in spec.actions),
                                                  *((k,) for k in spec.bare_keys)}),
                           edit_first=frozenset({*(p[0] for phrases in spec.actions.values() for p in phrases),
                                                 *(words[0] for words, k in spec.keys.items() if k in spec.bare_keys)}))
