"""A remark that ends on a number is no command (agent/interpret/chain_joints.py `_lead_in`).

Hole found on the spoken blind probe set 3 (scripts/bench_blind.py --voices en-us+f2, 2026-12-05): "it says here
the next train leaves at six fifteen" was heard "it's under the next train line at 6. 15." and narrowed the mouse
grid to cells 1, 5. A remark said first ("the page is stuck, reload it") may come before a command; the bare
number rule ("5" narrows the grid shown) then took the remark's own number as the command.

Real parts: the bundled grammar on the reading the recogniser wrote (the spoken path reads the same text; a clip
made again here is read differently, so the test holds the reading itself).
"""

from __future__ import annotations


def test_a_remark_ending_on_a_number_narrows_nothing():
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    g = GrammarInterpreter(None)
    for said in ("it's under the next train line at 6. 15.", "it is fine. 5.", "that is all. 3 4."):
        assert g.analyse(said).plan.actions == [], said
    # the lead-in stays for a command after the remark, and a number alone still narrows the grid shown
    assert [c.tool for c in g.analyse("the page is stuck, reload it").plan.actions] == ["press_keys"]
    assert [c.tool for c in g.analyse("it is fine. scroll down 5.").plan.actions] == ["scroll"]
    assert [c.args.cells for c in g.analyse("5").plan.actions] == [[5]]

