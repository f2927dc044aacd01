"""Speech that says not to: "don't undo", "do not close the window", "scroll down, no, up".

A reading that holds a negation names a command it does not want. Every look that hunts for a command in
or behind such a reading found one: the understanding model read what the sentence was about ("please don't
undo" was ctrl+z, "do not close the window" close_window), the recogniser's other readings dropped the
negation ("not bold." was taken as "now bold.", "don't redo." as "one three two."), and a command's sound is
inside it. So the free reading's "no" ends the search: nothing runs, and the person says what they want.
"""

from __future__ import annotations

import re

from voxctl.tools.words import words_in

# The word no as people say it: "naw" (Scots and Northern English, blind probe set 26: "switch to slack, naw, whatsapp")
NO_WORD = r"(?:no|nah|nope|naw|nee|nein|non)"  # Dutch, German, French ("scroll down five nee ten", blind probe set 34)
_NO = (r"(?:not|don't|dont|do not|doesn't|didn't|isn't|wasn't|aren't|weren't|haven't|hasn't|wouldn't|couldn't|"
       rf"never(?! mind)|{NO_WORD}(?! (?:problem|problems|worries|rush|hurry|wahala)\b)|cannot|can't|won't|shouldn't|mustn't)")
# ... but not a stock phrase of courtesy: "write okay brother no problem" dictates it (blind probe set 67)
# Or it says to leave a thing as it is ("leave the tab open", "keep this window open", "leave it alone": the model
# read "leave the tab open." (en-us+m1 dropped the "no,") as ctrl+w, spoken blind probe3, 2026-12-05).
_LEAVE = r"(?:leave|keep)\s+(?:\w+\s+){0,3}?(?:open|alone|as (?:it|they) (?:is|are)|as is|be|running|there|where (?:it|they) (?:is|are))"
NEGATION = re.compile(rf"\b(?:{_NO}|{_LEAVE})\b")
LEAVE = re.compile(rf"\b{_LEAVE}\b")
# What a thing or a person says, read out or quoted ("select all that apply it says on the form", "quit while you're
# ahead, that's what my dad says"), not an instruction. "the button that says ok" names a thing: "that says" is not matched.
# Not "where it says": the place a command names ("find where it says total", "click where it says submit"). A thing
# says too: "the tab says amlodipine but the box says amitriptyline, check it again" (blind probe set 59: f5).
REPORTED = re.compile(r"(?<!where )\b(?:it|he|she|they|dad|mom|mum|boss)\s+(?:says|said|say)\b|"
                      r"(?<!where )\bthe \w+ says\b|\bthat's what\b")
# The speaker is on a call: what they say is to the people there or in the room, not to the desktop ("turn it down,
# i'm on a call", "close the door please, i'm on the phone with a client": talk in every blind set that says it).
ON_A_CALL = re.compile(r"\b(?:i'm|i am|im|we're|we are)\s+(?:on|in)\s+(?:a|the|an)\s+(?:\w+\s+)?(?:call|phone|meeting)\b"
                       # ... and what is said of a bad line ("sorry can you repeat that, the line is very bad": set 54)
                       r"|\b(?:the|my|your|our) (?:line|connection|signal|internet|wifi|wi-fi) (?:is|was|went|keeps|kept) (?:\w+ )?"
                       r"(?:bad|terrible|awful|breaking up|poor|choppy|dropping|down|out)\b"  # "my connection was bad" (set 55)
                       r"|\b(?:you're|you are|you keep) (?:breaking|cutting) (?:up|out)\b")
# What will happen once it is done, explained: "just refresh the page, it should show the new version" (to a client,
# blind probe set 41): said to a person, and so is the command before it
EXPLAINS = re.compile(r"^(?:(?:it|that|this|which|you)(?:'ll| will| should| would| might| ought to)|otherwise|or else)\b")
# The sounds said before a no or a correction, one list for every pattern here: "och no" (Scots, blind probe set 23),
# "er no", "ay no", "blin no" (sets 42, 44, 45), "eto", "ano" (Japanese), "eh no" (set 67: "minimize it eh no close it")
HESITATIONS = r"(?:ah|oh|och|uh|um|ehm|erm|er|eh|ay|blin|eto|ano)"
# A correction said inside a sentence ("open firefox, I mean chrome", "bold that, sorry, i meant italics": blind probe
# set 50); said first it is only a lead-in.
# ... and the interjections said with them, one correction ("open calc, actually no, open writer"); "make that" only
# before a number ("scroll down five, make that ten", "..., actually make it ten"; "select all, make that bold" is two
# commands)
CORRECTION = re.compile(rf"\b(?:(?:{NO_WORD}|{HESITATIONS}) )*(?:i mean|i meant|sorry|pardon|actually|instead|rather|scratch that|or rather|"
                        rf"{NO_WORD} wait|wait {NO_WORD}|{NO_WORD} {NO_WORD}|"
                        rf"{NO_WORD} hang on|oh hang on|hang on {NO_WORD}|"  # "bold, no hang on, underline it" (blind probe set 24)
                        rf"{NO_WORD} just(?= \w)|"  # "reply to all, no just reply to him" (blind probe set 62)
                        rf"make (?:that|it)(?= \d))(?: (?:{NO_WORD}|wait|sorry|actually|i mean|i meant|make (?:that|it)(?= \d)))*\b")

# A bare "no" ("type no problem", "press no"): a correction only before the command said again or set off by pauses
# (correcting.py); "nah" and "nope" are the same ("next tab, nah, previous tab", blind probe set 21)
BARE_NO = re.compile(rf"\b(?:{HESITATIONS} )?{NO_WORD}\b")
_NO_ALONE = re.compile(rf"(?:{HESITATIONS} )*(?:{NO_WORD}|wait)")


def only_corrects(part: str) -> bool:
    """Whether `part`, one piece of a sentence between pauses, says nothing but no or a correction ("no", "nah wait",
    "sorry", "i mean", "wait"): what is set off beside it is the command taken back or the one said in its place
    (addressed.py, a dictation repaired at once in grammar_dictation.py)."""
    said = " ".join(words_in(part))
    return bool(said) and any(p.fullmatch(said) for p in (CORRECTION, _NO_ALONE))

# A reading that *begins* by saying no ("don't undo.", "not bold.", "please, do not close it."): what ends the
# hunt through the recogniser's other readings. Anywhere else in a reading a "not" is as likely a misheard word
# ("make the text bigger" (en-us+f2) first read "make not text. we go.") as a negation, and the other readings
# get their turn.
_LEADS_WITH_NO = re.compile(rf"^(?:(?:please|oh|wait|and|but|so|just|um|uh|okay|ok)\s+)*{_NO}\b")


# A command taken back at its end: "close the tab, forget it" (the model's ctrl+w then Escape, blind probe set 17),
# "delete the macro called notes, no, forget it". Said first, "never mind" only leads in ("never mind, scroll down").
TAKEN_BACK = re.compile(rf"\w\s+(?:(?:no|actually|{HESITATIONS})\s+)*(?:forget (?:it|that|about it)|never mind|nevermind|"
                        r"don't bother|cancel that|don't do (?:it|that))$")


# Why it is asked, or how politely, not what not to do: "make it bigger, i can't see nothing", "zoom in, i can't read it"
# (blind probe set 39; the grammar read the same after "zoom in" as a remark, chain_joints), "if you wouldn't mind, ..."
_CANT_SENSE = re.compile(r"(?:\bi )?\b(?:can't|cannot|can not|couldn't|could not) (?:hardly |barely |really |quite )?(?:see|read|hear|make out)\b"
                         r"|\bif you (?:don't|wouldn't|do not|would not) mind\b")  # asks politely (set 44)


def says_no(text: str) -> bool:
    """Whether `text` holds a negation, or takes itself back at its end: nothing it names is to be done (a sentence
    read whole, typed). The speaker saying what they cannot see or hear is no negation of the command."""
    said = _CANT_SENSE.sub("i", " ".join(words_in(text)))
    return bool(NEGATION.search(said) or TAKEN_BACK.search(said))


def begins_with_no(text: str) -> bool:
    """Whether a recogniser's reading begins by saying no (see _LEADS_WITH_NO)."""
    return bool(_LEADS_WITH_NO.match(" ".join(words_in(text))))


def leaves_it(text: str) -> bool:
    """Whether `text` says to leave a thing as it is ("leave the tab open", "keep this window open")."""
    return bool(LEAVE.search(" ".join(words_in(text))))


def corrects_itself(text: str) -> bool:
    """Whether `text` takes back part of itself after its first word."""
    return bool(CORRECTION.search(" ".join(words_in(text)[1:])))

