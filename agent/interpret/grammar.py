"""The `grammar` backend: a transcript into an ActionPlan by the command grammar (grammar.yaml), in ms.

How a transcript is read:
1. `normalize.tokenize`: words, the recogniser's spellings ("Ctrl-S", "3 times"), numbers as values.
2. Dictation (after "type", "dictate", "spell", a formatter) runs to the end, or to a whole command
   chain after "then"/"and" (dictating.py); its words are formatted by dictation.yaml.
3. The rest is read as a chain of commands (chain.py): split at "and"/"then", at pauses, ...; each
   command must match a rule; all or nothing.
4. A rule's `do:` becomes validated tool calls. A destructive result (high risk) from a match that
   used any near-miss word is refused: it must be heard exactly.
The plan's `source` is "grammar", for audio and typed text alike.
"""

import time
from dataclasses import replace
from typing import Any

from voxctl.agent.config_policy import COMMAND_WINDOWS
from voxctl.agent.interpret.acknowledged import after_acknowledgement, before_purpose
from voxctl.agent.interpret.anaphora import named_back
from voxctl.agent.interpret.carried import keys_carried
from voxctl.agent.interpret.chain import SOURCE, ChainParser
from voxctl.agent.interpret.compiled import compile_grammar
from voxctl.agent.interpret.correcting import corrected
from voxctl.agent.interpret.dictation_mode import DictationMode
from voxctl.agent.interpret.grammar_asr import GrammarRecogniser
from voxctl.agent.interpret.grammar_dictation import GrammarDictation
from voxctl.agent.interpret.grammar_parse import Parse, Reading
from voxctl.agent.interpret.grounded import fitted_title
from voxctl.agent.interpret.normalize import tokenize
from voxctl.agent.interpret.politely import as_asked, as_got_done
from voxctl.agent.interpret.restarts import destuttered, restarted
from voxctl.agent.interpret.rules import GrammarSpec, load_grammar
from voxctl.agent.interpret.slots import Vocabulary
from voxctl.agent.interpret.sounded import command_written
from voxctl.agent.interpret.topic import fronted
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.base import Risk
from voxctl.tools.registry import ActionPlan, risk_of

# An in-grammar reading is accepted in place of the free one only when its log-probability per token is
# at most this much below the free reading's. On the dev voices exact plans are flat from 0.2 to 1.0 with
# no false action; with no limit, 8 of 72 non-commands became "click here" (docs/BENCHMARKS.md, issue #9).
MARGIN = 0.5
# A reading less likely than this (log-probability per token) is a guess, never a command: 2 of 395 right
# first readings of commands scored below it; "click here." read into a sentence in noise, -1.22.
FLOOR = -1.2
# Acoustic rescoring (second_look.py, rescore.py) when no reading is a command: a candidate is taken when
# its forced score is at most RESCORE_MARGIN below the likeliest free reading's.
# On the dev split (docs/BENCHMARKS.md) the right recoveries had gaps 0.75-2.7 and the first false action
# came at 1.58 ("click. click. click. there are pens in class." -> "click here. ..."): 1.0 then; on all 16
# dev voices (24 clips each, 2026-12-03) 1.25 gave 89.8% vs 88.6% exact, 4/235 false actions at both:
# 1.25. With "all", a key press read is also checked against its neighbours, which replace it when
# RESCORE_SWITCH likelier:
# +1 command on dev, 0 on held-out, for 3x the recognition compute of 1-3 s commands: off by default.
# With "failures" only a key press read on a key that starts longer ones ("press f." for f nine) is checked,
# against those alone (key_check.extendable): +6 of 160 F-key clips on 16 dev voices, none lost.
RESCORE = "failures"
RESCORE_MARGIN = 1.25
RESCORE_SWITCH = 0.3
# A key press on a chord the hint quotes is checked so too (key_check.quoted), whatever `rescore` says but "off".
QUOTED_RECHECK = True
# The whole short commands' look at a reading of 1-3 words that is no command (forced_look.whole_look):
# None, off (no margin separates misheard short commands from like-sounding talk: second_look.py).
WHOLE_MARGIN: float | None = None


class GrammarInterpreter(GrammarRecogniser, GrammarDictation):
    """`interpret(utterance)` and `parse(text)`; audio is transcribed with the bundled Whisper."""

    margin: float = MARGIN  # the rejection margin of `read` (set per instance by `voxctl bench recognition`)
    rescore: str = RESCORE  # "off", "failures": acoustic rescoring of grammar candidates (rescore.py)
    rescore_margin: float = RESCORE_MARGIN
    rescore_switch: float = RESCORE_SWITCH  # rescore "all": how much likelier a neighbour must be to replace a reading
    whole_margin: float | None = WHOLE_MARGIN  # the whole short commands' look (None: off)

    def __init__(self, config: Any = None, macros: dict[str, Any] | None = None, transcriber: Any = None,
                 grammar_path: str | None = None, platform: str | None = None, spec: GrammarSpec | None = None):
        """`platform`: whose key bindings edit actions ("copy") get (tools/bindings.py; default: this one).
        `spec`: the grammar already loaded (the Session's); else it is loaded from `grammar_path`."""
        from voxctl.agent.config import Config, InterpreterConfig

        full = config if isinstance(config, Config) else None
        icfg = full.interpreter if full else (config if isinstance(config, InterpreterConfig) else
                                              InterpreterConfig())
        self.asr_config = full.asr if full else None
        self.threshold = icfg.fuzzy_threshold
        self.dictation_file = icfg.dictation_file  # the user's additions to dictation.yaml (dictating.py)
        self.rescore, self.rescore_margin = icfg.rescore, icfg.rescore_margin
        self.by_sound = icfg.by_sound  # the look by sound (sound_look.py)
        self.macros = dict(macros or {})
        self.macro_table = {name: list(m.actions) for name, m in self.macros.items()}
        self.risk_overrides = dict(full.policy.tool_risk) if full else {}
        self.command_windows = list(full.policy.command_windows) if full else list(COMMAND_WINDOWS)  # shell_look.py
        self.spec: GrammarSpec = spec if spec is not None else load_grammar(grammar_path, platform)
        apps = list(full.desktop.app_aliases) if full else []
        self.vocab = Vocabulary(self.spec, self.threshold, self.macros, apps)
        self.dictation_mode = DictationMode()  # Talon's dictation mode: changed only by `commit`
        self._transcriber = transcriber
        self.compiled = compile_grammar(self.spec, self.vocab, tuple(self.macros), self.risk)

    # --- the Interpreter interface ------------------------------------------------------------
    def interpret(self, utterance: Utterance) -> ActionPlan:
        if utterance.text is None and utterance.audio is not None:
            return self.commit(self.read(utterance.audio, utterance.screen, utterance.transcript)).plan
        text = utterance.text if utterance.text is not None else utterance.transcript
        if text is None:
            return ActionPlan(source=SOURCE, reason="nothing to interpret: no audio and no text")
        return self.parse(text, utterance.screen, heard=utterance.text is None)

    def read(self, audio: Any, context: ScreenState | None = None, transcript: str | None = None) -> Parse:
        """Transcribe and parse audio (`_read`); a command heard only with the recogniser's command hint is
        checked against the speech heard without it (unhinted.py), and a letter key heard again among all letters
        (letters_look.py)."""
        from voxctl.agent.interpret import letters_look, shell_look, sounded, unhinted

        parse = sounded.paused(self, audio, unhinted.check(self, audio, self._read(audio, context, transcript), context))
        return letters_look.look(self, audio, shell_look.look(self, audio, parse, context), context)

    def _read(self, audio: Any, context: ScreenState | None = None, transcript: str | None = None) -> Parse:
        """Transcribe and parse audio (`transcript`: the first reading, made already). When the first
        reading is no command, the recogniser's N best readings are scored by the grammar: the likeliest
        that is a command wins if it is within `margin` of the free reading ("press control last" ->
        "press control s"); if none is, the full 30 s window reads it once more (the short window misses
        a word now and then); if that is no command either, nothing runs. A destructive or dictation plan
        is only taken from a free reading (it must be heard exactly), and no reading scored below FLOOR
        is a command. Costs time only on failures (the second look: second_look.py)."""
        t0 = time.perf_counter()
        score: float | None = None
        if transcript is None:
            heard = self.transcriber.transcribe(audio)
            text, score = heard.text, getattr(heard, "score", None)
        else:
            text = transcript
        asr_ms = (time.perf_counter() - t0) * 1000
        first = self.analyse(text, context)
        unsure = bool(first.plan.actions) and score is not None and score < FLOOR
        free = Reading(text, score, "chosen" if first.plan.actions else "not a command")
        if unsure:  # "click here." read into noise or mumbling: a second look decides
            free = Reading(text, score, f"a command, but too unsure (score below {FLOOR})")
            first = replace(first, plan=first.plan.model_copy(update={"actions": [], "reason": free.verdict}))
        elif first.plan.actions or first.refused or not text.strip():
            chosen = (text, score) if first.plan.actions else ("", None)
            done = replace(first, asr_ms=asr_ms, free_text=text, free_score=score, chosen_text=chosen[0],
                           chosen_score=chosen[1], hypotheses=(free,))
            acts = first.plan.actions
            if self.rescore != "off" and acts and acts[-1].tool == "press_keys" and all(
                    c.tool != "type_text" and self.risk(c) < Risk.HIGH for c in acts):
                from voxctl.agent.interpret.key_check import extendable, quoted, recheck, swapped

                if self.rescore == "all" and all(c.tool == "press_keys" for c in acts):
                    return recheck(self, audio, context, done)
                if QUOTED_RECHECK and len(acts) == 1 and quoted(self, acts[0]) and (swaps := swapped(text, acts[0])):
                    done = recheck(self, audio, context, done, swaps=swaps)  # "alt tab" read "alt f.": the hint's chord
                    if done.retried:
                        return done
                if extendable(self, text):  # "(switch to firefox and) press f." said as f nine: the last key
                    return recheck(self, audio, context, done, longer_only=True)
            return done
        from voxctl.agent.interpret.saying_no import begins_with_no

        if begins_with_no(text):  # "not bold." -> "now bold.": no other reading is looked for (saying_no.py)
            why = f"not a command: {text.strip()!r} says not to"
            return replace(first, plan=first.plan.model_copy(update={"actions": [], "reason": why}), asr_ms=asr_ms,
                           free_text=text, free_score=score, chosen_text="", chosen_score=None,
                           hypotheses=(Reading(text, score, "not a command (says not to)"),))
        from voxctl.agent.interpret.second_look import look_again

        return look_again(self, audio, context, first, free, score, asr_ms, unsure)

    def parse(self, text: str, context: ScreenState | None = None, heard: bool = False) -> ActionPlan:
        """The plan for `text`, taken: a dictation mode switch in it holds from now on (`commit`). `heard`: a
        recogniser's reading, not typed text (analyse)."""
        return self.commit(self.analyse(text, context, heard)).plan

    def commit(self, parse: Parse) -> Parse:
        """Keep the dictation mode after `parse`: the reading chosen to run (or a mode switch). `analyse`
        and `read` only consider readings; whoever takes one commits it, so an N-best hypothesis, a
        rescoring candidate or hands-free's acceptance check turns no mode on or off."""
        if parse.mode is not None and (parse.plan.actions or parse.refused):
            self.dictation_mode = parse.mode
        return parse

    # --- parsing ------------------------------------------------------------------------------
    def analyse(self, text: str, context: ScreenState | None = None, heard: bool = True) -> Parse:
        """The plan for one reading, not taken (`commit`). `heard` (a recogniser's reading, the default): a
        trigger may be written as the word it sounds like ("right running late": sounded.py); typed, not."""
        t0 = time.perf_counter()
        if not self.dictation_mode.on and (named := named_back(text)) is not None:  # "... tab and open a new one"
            parse = self.analyse(named, context, heard)
            return replace(parse, plan=parse.plan.model_copy(update={"transcript": text}))
        if not self.dictation_mode.on and (front := fronted(text, self.spec)) is not None:
            parse = self.analyse(front, context, heard)  # "this window, maximize it": "maximize this window"
            return replace(parse, plan=parse.plan.model_copy(update={"transcript": text}))
        tokens = tokenize(text, self.spec.rewrites, self.spec.misheard)
        if not self.dictation_mode.on and (again := restarted(text, tokens, self.spec.type_triggers)) is not None:
            parse = self.analyse(again, context, heard)  # "save, save the file": once
            return replace(parse, plan=parse.plan.model_copy(update={"transcript": text}))
        if not self.dictation_mode.on and (fixed := corrected(lambda t: self.analyse(t, context, heard), text, tokens,
                                                                  self.spec.url_tlds)):
            return fixed
        run = ChainParser(self.compiled, text, tokens, context)  # its titles ground {title} (grounded.py)
        mode = self.dictation_mode
        if not tokens:
            plan = ActionPlan(transcript=text, source=SOURCE, reason="heard nothing")
        else:
            typing, mode = self._with_typing(run)
            plan = run.in_place(typing or run.plan(len(tokens)))  # "reply": the keys of the app it lands in
        if context is not None and context.window_titles and plan.actions:
            plan = plan.model_copy(update={"actions": [self._fit_title(c, context) for c in plan.actions]})
        if context is not None and any(c.tool == "type_text" for c in plan.actions) and in_cells(context):
            plan = plan.model_copy(update={"actions": [as_digits(c) for c in plan.actions]})
        if heard and plan.actions and plan.actions[0].tool == "type_text" and not self.dictation_mode.on and (
                written := command_written(text, tokens, self.spec, lambda t: self.analyse(t, context, heard=False))):
            said_back = ActionPlan(transcript=text, source=SOURCE, reason=written[0], guess=written[1])
            return Parse(said_back, True, (time.perf_counter() - t0) * 1000, mode=self.dictation_mode)
        if not plan.actions and not self.dictation_mode.on:
            for rest in (after_acknowledgement(text, tokens, self.spec), before_purpose(text),  # "great, ...", "... so i can"
                         destuttered(text, tokens), as_asked(text, self.spec),  # "go to to line", "would you mind zooming in"
                         keys_carried(text, tokens), as_got_done(text, self.spec)):  # "press control b then c", "get this saved"
                if rest is not None and (again := self.analyse(rest, context, heard)).plan.actions:
                    return replace(again, plan=again.plan.model_copy(update={"transcript": text}))
        if heard and not plan.actions and not run.refused and self.threshold < 1.0:
            from voxctl.agent.interpret.sounded import as_trigger

            if (meant := as_trigger(text, self.spec)) is not None:  # "right running late" for "write ..."
                again = self.analyse(meant, context)
                if again.plan.actions or again.refused:
                    return again
        if plan.actions and all(c.tool == "wait" for c in plan.actions) and not any(t.num is not None for t in tokens):
            # "wait wait", "wait, i have to save the notebook first" (blind probe set 34): a wait with no time said,
            # alone, is said to a person; it would do nothing. Final: no model reads it either
            why = f'"{text.strip()}": not a command: a wait alone with no time said is said to a person'
            return Parse(plan.model_copy(update={"actions": [], "reason": why}), True,
                         (time.perf_counter() - t0) * 1000, mode=mode)
        if plan.actions and _lets_key(tokens, plan.actions, self.spec.bare_keys):
            why = f'"{text.strip()}": not a command: "let\'s" and a key alone is said to people ("let\'s end here")'
            return Parse(plan.model_copy(update={"actions": [], "reason": why}), True,
                         (time.perf_counter() - t0) * 1000, mode=mode)
        return Parse(plan, run.refused and not plan.actions, (time.perf_counter() - t0) * 1000, mode=mode)

    def _fit_title(self, call: Any, context: ScreenState) -> Any:
        """A window title heard slightly wrong ("switch to derminal") fitted to a window that is open."""
        if call.tool != "focus_window":
            return call
        hit = fitted_title(call.args.title, context.window_titles, self.threshold)
        if hit is None or hit == call.args.title:
            return call
        return call.model_copy(update={"args": call.args.model_copy(update={"title": hit})})

    def risk(self, call: Any) -> Risk:
        risk = risk_of(call, self.macro_table)
        if (override := self.risk_overrides.get(call.tool)) is not None:
            risk = max(risk, Risk.parse(override))
        return risk


def in_cells(context: ScreenState) -> bool:
    """Whether the focused window is a spreadsheet's (tools/app_keys.yaml: Calc, Excel, Sheets), where a number is typed
    in digits."""
    from voxctl.agent.interpret.app_actions import window_names
    from voxctl.tools.app_keys import apps_of

    return any(app.id == "spreadsheet" for app in apps_of(window_names(context)))


def as_digits(call: Any) -> Any:
    """Typed text that is one number said in words, in digits: in a cell "type minus forty two point five nine" is -42.59
    (blind probe set 68, typed as words); words that are more than a number stay words."""
    from voxctl.agent.interpret.numbers import whole_number

    if call.tool != "type_text" or (digits := whole_number(call.args.text.casefold().split())) is None:
        return call
    return call.model_copy(update={"args": call.args.model_copy(update={"text": digits})})


def _lets_key(tokens: Any, actions: Any, bare_keys: Any) -> bool:
    """Whether the words are "let's" (or "let us") and one key said alone: "let's end" (slt's "that's grand", blind
    probe set 56) pressed End; nobody asks the desktop for a key so."""
    words = [t.word for t in tokens]
    rest = words[1:] if words[:1] == ["let's"] else words[2:] if words[:2] == ["let", "us"] else None
    return rest is not None and len(rest) == 1 and len(actions) == 1 and actions[0].tool == "press_keys" and \
        len(actions[0].args.keys) == 1 and actions[0].args.keys[0] in bare_keys
