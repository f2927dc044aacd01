"""The `hybrid` backend (the default): the grammar first; the configured LLM backend only when the
grammar cannot parse what was said.

Audio is transcribed once: the grammar reads the transcript, and the LLM backend gets the utterance
with `transcript` filled in (the cascade reuses it; the audio LLM still hears the audio). A command the
grammar refused because it would be destructive and was heard only approximately is not handed to a
model to guess at: the refusal stands. A backend that reads the grammar's whole parse (`after_grammar`:
the understanding model, agent/interpret/understand/fallback.py) also reviews the grammar's plans. An utterance
hands-free accepted (`Utterance.grammar_only`) runs the grammar's plan or nothing: a model may take that plan back,
and runs its own only where the grammar no longer reads one and the model's is the very plan accepted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from voxctl.agent.interpret.addressed import by_name, dictates
from voxctl.agent.interpret.base import Interpreter
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.utterance import Utterance
from voxctl.tools.registry import ActionPlan


class HybridInterpreter:
    def __init__(self, grammar: GrammarInterpreter, llm: Interpreter | None = None, llm_name: str = "llm"):
        self.grammar = grammar
        self.llm = llm
        self.llm_name = llm_name

    @property
    def transcriber(self) -> Any:
        return self.grammar.transcriber

    def warm(self) -> None:
        """Load now what the first command would load on first use (the grammar's and the fallback's)."""
        self.grammar.warm()
        warm = getattr(self.llm, "warm", None)
        if warm is not None:
            warm()

    def _grammar_part(self, utterance: Utterance) -> Any:
        """The grammar's actions for one part of a chain (chain_parts.py); none for a part it refuses."""
        def read(part: str) -> list[Any]:
            parse = self.grammar.analyse(part, utterance.screen)
            return [] if parse.refused else list(parse.plan.actions)
        return read

    def interpret(self, utterance: Utterance) -> ActionPlan:
        plan = self._interpret(utterance)
        if plan.guess:  # a guess said back is one a "yes" could run (guessed.py): grounded, as the model's plans are
            from voxctl.agent.interpret.grounded import plan_ungrounded

            if plan_ungrounded(plan.guess, self.grammar.vocab.apps, utterance.screen, self.grammar.threshold):
                plan = plan.model_copy(update={"guess": []})
        return plan

    def _interpret(self, utterance: Utterance) -> ActionPlan:
        accepted = utterance.transcript  # hands-free: the reading the open microphone accepted
        if utterance.text is None and utterance.audio is not None:
            parse = self.grammar.read(utterance.audio, utterance.screen, utterance.transcript)
            utterance = replace(utterance, transcript=parse.plan.transcript)
        else:
            said = utterance.text if utterance.text is not None else (utterance.transcript or "")
            parse = self.grammar.analyse(said, utterance.screen, heard=utterance.text is None)
        parse = self.grammar.commit(parse)
        text = parse.plan.transcript
        # "next slide please, jen". Not in the reading without the command hint (unhinted.py): it writes commas and
        # odd words after commands ("Zoom out, wise.", "Click, stop, share."): 25 spoken commands of probe sets 14 and
        # 15 in slt/m1/f2 ran nothing for 3 talk lines it caught (2026-12-06)
        if not dictates(parse.plan) and (name := by_name(text, self.grammar.spec)):
            why = f"said to {name!r} by name: not an instruction to the desktop"
            return parse.plan.model_copy(update={"actions": [], "reason": why})
        # A backend with `after_grammar(utterance, parse)` (the understanding model) gets the grammar's whole
        # parse: a plan to review, or what it could not read (and whether it came from speech).
        after = getattr(self.llm, "after_grammar", None)
        if parse.refused or self.llm is None or not text.strip() or (parse.plan.actions and after is None):
            return parse.plan
        if utterance.grammar_only:
            return self._grammar_only(utterance, parse, after, accepted or "")
        return self._beyond_grammar(utterance, parse, after)

    def _beyond_grammar(self, utterance: Utterance, parse: Any, after: Any) -> ActionPlan:
        """The model's plan where the grammar read none (or its review of the grammar's plan)."""
        text = parse.plan.transcript
        # A chain read part by part before the model reads it whole: the model reads one command or two, and
        # took two of "highlight all the text and copy it and then paste it" (chain_parts.py).
        chain = getattr(self.llm, "read_chain", None)
        if not parse.plan.actions and chain is not None and (got := chain(
                text, utterance.text is None, self._grammar_part(utterance), self.grammar.spec.connectives,
                (*self.grammar.spec.fillers_start, *self.grammar.spec.fillers_end))):
            plan = ActionPlan(source=self.llm_name, transcript=text, actions=got)
            return self._grounded(plan, parse, utterance)
        try:
            plan = after(utterance, parse) if after is not None else self.llm.interpret(utterance)
        except Exception as e:  # a failing model must not lose the grammar's answer (or crash the agent)
            if parse.plan.actions:
                return parse.plan
            return parse.plan.model_copy(
                update={"reason": f"{parse.plan.reason}; the {self.llm_name} backend failed: {e}"})
        if not plan.transcript:
            plan = plan.model_copy(update={"transcript": text})
        return self._grounded(plan, parse, utterance)

    def _grammar_only(self, utterance: Utterance, parse: Any, after: Any, accepted: str) -> ActionPlan:
        """Hands-free: accepted because the grammar read it exactly, so the grammar's plan, or nothing. A model that
        reviews plans may take one back ("write the report by friday"), never put its own in. Where the grammar no
        longer reads a command (a reading the command hint made: unhinted.py, "in the end" accepted as "end"), the
        model's plan of what is left runs only when it is the very plan accepted: two readings agree ("okay so,
        open the terminal" heard "Okay, so I'll open the terminal." without the hint); else nothing ("In the end."
        read by the model as ctrl+end, not the End key accepted)."""
        if not parse.plan.actions:
            want = [c.model_dump() for c in self.grammar.analyse(accepted, utterance.screen).plan.actions] if accepted else []
            plan = self._beyond_grammar(utterance, parse, after) if want else parse.plan
            if plan.actions and [c.model_dump() for c in plan.actions] == want:
                return plan.model_copy(update={"reason": f"{self.llm_name}: the plan accepted hands-free ({accepted!r})"})
            why = parse.plan.reason or "no grammar rule matches"
            return parse.plan.model_copy(update={"actions": [], "reason": f"{why}; hands-free acts on the grammar's "
                                                                          f"reading only"})
        if after is not None:
            try:
                reviewed = after(utterance, parse)
            except Exception:  # a failing model must not lose the grammar's answer
                return parse.plan
            if not reviewed.actions:
                return reviewed
        return parse.plan

    def _grounded(self, plan: ActionPlan, parse: Any, utterance: Utterance) -> ActionPlan:
        """Another backend's plan, grounded as the grammar's (grounded.plan_ungrounded), with the reasons of both
        when nothing runs."""
        if plan.actions and plan.source != parse.plan.source:
            from voxctl.agent.interpret.grounded import plan_ungrounded

            if why := plan_ungrounded(plan.actions, self.grammar.vocab.apps, utterance.screen, self.grammar.threshold):
                plan = plan.model_copy(update={"actions": [], "reason": f"{self.llm_name}: not a command: {why}"})
        if not plan.actions:  # parse.plan's actions: a reading the model took back ("write the report by friday")
            grammar = f"read as {', '.join(a.tool for a in parse.plan.actions)}" if parse.plan.actions else parse.plan.reason
            reason = f"grammar: {grammar}; {self.llm_name}: {plan.reason or 'no actions'}"
            plan = plan.model_copy(update={"reason": reason})
        return plan
