"""Closing an answer before the token budget runs out.

The grammar says which tokens may come next, not how far each one is from a finished answer. When few
tokens are left, `PlanConstraint` keeps only the allowed tokens that close the most and open the least.
What a token does depends on whether it starts inside a JSON string (where `]}` are just text and only
a quote closes) or outside one (where a quote opens a new string), so each token is scored from both
states by scanning its bytes; the state of each answer is found by scanning what it has written so far.
"""

from __future__ import annotations

from typing import Any

OUT, IN, ESC = 0, 1, 2  # outside a string, inside one, just after a backslash inside one

# Opening a list, an object or a new item (comma) costs far more than closing anything saves: it must
# then be finished. Every other byte costs a little, so shorter strings and numbers win ties.
OPEN, CLOSE, OPEN_STRING, CLOSE_STRING, BYTE = 100, -10, 5, -5, 1
END = -10000  # end of text, wherever the grammar allows it


def scan(state: int, piece: bytes) -> tuple[int, int]:
    """(state after `piece`, its score) starting from `state`."""
    score = 0
    for ch in piece:
        if state == ESC:
            state, score = IN, score + BYTE
        elif state == IN:
            if ch == 0x5C:  # backslash
                state = ESC
            elif ch == 0x22:  # quote
                state, score = OUT, score + CLOSE_STRING
            else:
                score += BYTE
        elif ch == 0x22:
            state, score = IN, score + OPEN_STRING
        elif ch in b"{[,":
            score += OPEN
        elif ch in b"}]":
            score += CLOSE
        elif ch not in b" :":
            score += BYTE
    return state, score


class ClosingScores:
    """Per-token scores from each start state, for one llguidance tokenizer (built on first need)."""

    def __init__(self, tokenizer: Any, vocab: int) -> None:
        import torch

        self.tokenizer = tokenizer
        n = min(vocab, tokenizer.vocab_size)
        pieces = [b"" if tokenizer.is_special_token(i) else tokenizer.decode_bytes([i]) for i in range(n)]
        self.lengths = torch.zeros(vocab, dtype=torch.int32)
        self.lengths[:n] = torch.tensor([len(p) for p in pieces], dtype=torch.int32)
        self.tables = []
        for state in (OUT, IN, ESC):
            table = torch.zeros(vocab, dtype=torch.int32)
            table[:n] = torch.tensor([scan(state, p)[1] for p in pieces], dtype=torch.int32)
            table[[i for i in tokenizer.eos_tokens if i < vocab]] = END
            self.tables.append(table)

    def state_after(self, tokens: list[int]) -> int:
        state = OUT
        for t in tokens:
            if not self.tokenizer.is_special_token(t):
                state = scan(state, self.tokenizer.decode_bytes([t]))[0]
        return state

    def best(self, allowed: Any, written: list[int]) -> Any:
        """The subset of `allowed` (a bool row) that closes the answer fastest."""
        import torch

        state = self.state_after(written)
        ranked = torch.where(allowed, self.tables[state], torch.iinfo(torch.int32).max)
        best = ranked == ranked.min()
        if state != OUT and not (best & (self.tables[state] < 0)).any():
            # Inside a string that may not close yet (a pattern's host name still wants its ".org"): the
            # longest allowed piece, so a bounded pattern fills up and closes in few tokens.
            longest = torch.where(allowed, self.lengths, -1)
            best = longest == longest.max()
        return best
