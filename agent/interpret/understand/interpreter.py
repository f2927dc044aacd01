"""The `understand` backend: a sentence -> intent probabilities -> the intent's template filled from the
sentence -> a validated plan, or no plan and a reason.

It answers "not a command" as readily as anything else, and it never acts beyond its confidence: the
probability of a plan (summed over the intents that give that same plan: "press enter" and "new line"
are one plan) must reach the threshold calibrated when it was trained, or nothing runs and the reason
says what it guessed ("did you mean: next tab (ctrl+tab)? say it again"). A sentence it cannot read as
one command is tried as two, split at "and" / "then" ("highlight all the text and copy it"), each
part held to the same threshold. Plans carry `source: understand`; policy and confirmation are the
graph's, as for every plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voxctl.agent.interpret.understand.encoder import NAME as ENCODER_NAME
from voxctl.agent.interpret.understand.intents import NONE
from voxctl.agent.interpret.understand.understander import Understander, shipped_model
from voxctl.agent.utterance import Utterance
from voxctl.tools.registry import ActionPlan

SOURCE = "understand"


class UnderstandInterpreter:
    """The Interpreter interface over an Understander (text or a transcript; audio via the transcriber)."""

    def __init__(self, understander: Understander, transcriber: Any = None):
        self.model = understander
        self._transcriber = transcriber

    def interpret(self, utterance: Utterance) -> ActionPlan:
        text = utterance.text if utterance.text is not None else utterance.transcript
        if text is None and utterance.audio is not None and self._transcriber is not None:
            text = self._transcriber.transcribe(utterance.audio).text
        if not text or not text.strip():
            return ActionPlan(source=SOURCE, transcript=text or "", reason="nothing to interpret")
        who = f"{SOURCE} model ({ENCODER_NAME} + intent head)"
        from voxctl.agent.answers import only_a_reply

        if only_a_reply(text):  # a reply to "did you mean ...?" is no command ("yes please do that" read as redo)
            return ActionPlan(source=SOURCE, transcript=text, reason=f"{who}: a reply (yes or no), not a command: "
                                                                     "say the command itself")
        from voxctl.agent.interpret.understand.no_instruction import several

        if why := several(text):
            return ActionPlan(source=SOURCE, transcript=text, reason=f"{who}: {why}")
        r = self.model.read(text)
        if r.intent == NONE:
            what = "not a command" if r.confidence >= self.model.threshold else "not understood; say it again"
            return ActionPlan(source=SOURCE, transcript=text, reason=f"{who}: {what} ({r.confidence:.0%} sure)")
        if not r.actions or r.confidence < self.model.threshold:
            from voxctl.agent.interpret.guessed import SAY_AGAIN

            return ActionPlan(source=SOURCE, transcript=text, guess=list(r.actions),
                              reason=f"{who}: did you mean: {r.guess}? ({r.confidence:.0%} sure, below "
                                     f"{self.model.threshold:.0%}); " + (SAY_AGAIN if r.actions else "say it again"))
        return ActionPlan(source=SOURCE, transcript=text, actions=r.actions)

    def read_chain(self, text: str, spoken: bool, grammar: Any, connectives: Any, fillers: Any = ()) -> list[Any] | None:
        """A chain the grammar could not read whole, read part by part (chain_parts.py): each part the grammar's
        plan (`grammar(part)`: its actions) or this model's when it is sure of it; None when a part is neither,
        when no part needed the model, or when the whole is no command (no_instruction.not_a_command). Else a
        command said after a remark (remarks.py)."""
        from voxctl.agent.interpret.chain_parts import read_parts
        from voxctl.agent.interpret.remarks import after_remarks, tells_no_one
        from voxctl.agent.interpret.topic import fronted
        from voxctl.agent.interpret.understand.fallback import needed
        from voxctl.agent.interpret.understand.no_instruction import governed, not_a_command

        if fronted(text, self.model.spec):  # "this tab, close it": one command on a thing named first
            return None

        def sure(part: str) -> list[Any] | None:
            if not_a_command(part) or all(t.num is not None for t in self.model.tokens(part)):
                return None  # numbers alone are a number said in parts ("click at 540, 3 20"), not a command
            if tells_no_one(part):  # "..., i have to change all 23 into 24" was a move of the mouse to (23, 24)
                return None
            r = self.model.read(part, heard=spoken)
            if r.intent == NONE or "+" in r.intent or not r.actions or r.confidence < needed(self, r, spoken):
                return None
            return r.actions

        if not not_a_command(text) and (got := read_parts(text, connectives, grammar, sure, fillers)):
            return got

        def command(part: str) -> list[Any] | None:
            return list(grammar(part)) or sure(part)

        def talk(part: str) -> bool:
            return not grammar(part) and (bool(not_a_command(part)) or self.model.read(part, heard=spoken).intent == NONE)

        return after_remarks(text, command, talk, governed)

    def warm(self) -> None:
        """Load the sentence encoder now (~1.5 s, ~100 MB), not on the first sentence the grammar cannot read."""
        self.model.read("open the next tab")

    def after_grammar(self, utterance: Utterance, parse: Any) -> ActionPlan:
        """As the hybrid backend's fallback: the grammar's parse reviewed, or what it could not read
        read by the model, from every reading of the audio (fallback.py)."""
        from voxctl.agent.interpret.understand.fallback import after_grammar

        return after_grammar(self, utterance, parse)


def load(backend: Any, session: Any, transcriber: Any, notify: Any) -> UnderstandInterpreter:
    """The backends.py loader: the configured (or shipped) model, with the session's grammar and macros."""
    from voxctl.agent.interpret.factory import InterpreterUnavailable
    from voxctl.agent.interpret.understand.encoder import EncoderMissing, model_zip

    folder = session.config.interpreter.understand_model
    try:
        model_zip()  # the encoder's package is there (its weights load on the first sentence)
        model = Understander(Path(folder).expanduser() if folder else None, spec=session.grammar,
                             macros=dict(session.macros.items()))
    except EncoderMissing as e:
        raise InterpreterUnavailable(str(e)) from None
    except (OSError, ValueError, KeyError) as e:
        raise InterpreterUnavailable(f"cannot load the understanding model {folder or shipped_model()}: {e}") from None
    return UnderstandInterpreter(model, transcriber)
