"""Sentences that are no instruction to the desktop, whatever the understanding model reads in them.

The model reads what a sentence is about: "the window is open" is about a window, "did you save the file" about
saving, "I'm going to close the window" about closing it, and each was a plan (docs/BENCHMARKS.md, issue #10). A
sentence that says not to, asks, tells of a thing or a person, puts the act later or under a condition, reports
what someone says, or stops on a word that needs another is no command, and nothing runs (`not_a_command`). Used by
the model's fallback after the grammar (fallback.py), its chain read part by part (interpreter.py) and its training
(train.py: such sentences are no example of a command).
"""

from __future__ import annotations

import re

from voxctl.agent.interpret.grounded import ENDEARMENTS, ROOM_THING
from voxctl.agent.interpret.normalize import WAITS_FOR_MORE
from voxctl.agent.interpret.saying_no import (
    EXPLAINS,
    ON_A_CALL,
    REPORTED,
    begins_with_no,
    corrects_itself,
    leaves_it,
    says_no,
)
from voxctl.tools.words import words_in

# "the window is open", "my screen is cracked": a statement about a thing, not an instruction.
# "it keeps asking me to save changes before closing" (the model's ctrl+s, en-us+m1, blind probe set 16): "it" does it.
# An exclamation about how things are ("so many tabs open da, kill this tab": the model's open_app "tabs open da",
# blind probe set 27)
_EXCLAIMED = re.compile(r"^(?:(?:oh|ah|wow|man|god|ugh|gosh|jeez)\s+)*(?:so many|so much|too many|too much|what a|what an|"
                        r"such a|such an|way too)\b")
_STATEMENT = re.compile(r"^(?:(?:the|this|that|my|your|our|his|her|their|its)\s+(?:\w+\s+){0,2}|it\s+)(?:is|are|was|were|has|have|"
                        # what a thing does: "the deploy window closes at five" (was close_window)
                        r"closes|opens|starts|stops|runs|works|looks|seems|keeps|needs|goes|saves|crashes|freezes|"
                        # where a thing should be: "the print button should be in the top right corner" (was ctrl+p,
                        # blind probe set 22)
                        r"should|would|will|must|might|can't|won't|shouldn't|"
                        r"loads|shows|says|takes|gets|copies|pastes|scrolls|moves|"
                        # or is doing: "the deploy window closing at 5" (en-us+m1's plain reading of "... closes at five")
                        r"closing|opening|starting|stopping|running|working|loading|crashing|freezing|saving|moving)\b")
# "that's the end of the line for him" was the model's End key (2026-12-06): what something is, said first.
_SAYS_WHAT_IS = re.compile(r"^(?:that's|that is|it's|it is|this is|there's|there is|here's|here is)\b")
# "right click was invented by someone" was a right click: an instruction to the desktop has no third person
# and no past; no command phrasing the model was trained or measured on holds one of these.
_NARRATION = frozenset("he she they we he's she's they're we're was were been wasn't weren't".split())
# "close the window when you're done", "if it's done close the window", "later, open firefox", "press enter once it
# loads" (each a plan of the model, 2026-12-04): a condition or a later time is not now, and voxctl acts now.
# Only the words before any dictated text count ("write see you tomorrow" types it).
# Not an "if" that asks whether ("let's see if the new learning rate helps, run this cell", blind probe set 27)
_LATER = re.compile(r"\b(?:(?<!see )(?<!check )(?<!wonder )(?<!know )(?<!out )(?<!test )if|when|whenever|unless|until|till|while|later|tomorrow|tonight|eventually|"
                    r"next time|"  # "next time just copy and paste the whole statement into the email" (set 46)
                    r"once (?:it|it's|the|this|that's|you|we|i|they|he|she|everyone|everybody|someone|somebody|"
                    r"all|my|our|his|her|their|we're|you're|they're|he's|she's|i'm|i've|we've)|in (?:a|an|\w+|a few|a couple of) "
                    r"(?:minute|minutes|moment|while|hour|hours|sec|second|seconds)|"
                    r"after (?:the|it|you|we|i|they|he|she|this|lunch|dinner|work)|before (?:you|we|i|they|he|she|it))\b")
_ADDRESSEES = frozenset("anyone anybody everyone everybody folks".split())  # the room ("y'all" may be voxctl)
# "just paste it into the group chat yourself" (the model's ctrl+v, blind probe set 17): a person is asked to do it
_YOURSELF = frozenset("yourself yourselves".split())
# "can you keep it down a bit, i'm trying to focus" (the model's scroll, blind probe set 17): asks a person for quiet
_IDIOM = re.compile(r"\bkeep (?:it|the noise|your voice|your voices) (?:down|up)\b|\bkeep it quiet\b"
                    # "i'm grabbing some coffee, back in five" (the model's alt+left, blind probe set 22): be back then
                    r"|\b(?:be |i'll be |)back in (?:a |an |\d+|two|five|ten|fifteen|twenty|thirty|a few|a couple)\b"
                    # the radio's "understood" said to a friend ("copy that, on my way": blind probe set 21's talk)
                    r"|^copy that (?:on my way|will do|roger|over|i'm on it|omw|i'll|we'll|be right there)\b"
                    # how often a thing is done, said of a task ("translation is just select the right word, again
                    # and again": blind probe set 61, two repeats)
                    r"|\b(?:again and again|over and over|time and again|time after time)\b")
_FREE_TEXT = frozenset({"type", "write", "dictate", "fill", "search", "find", "look", "say", "spell"})
_DICTATE = frozenset({"type", "write", "dictate", "say", "spell"})  # what follows is text to type, not a sentence
# A command word followed by "of" is a noun ("copy of it", "type of thing", "show of hands", "close of business",
# "press of a button"): no instruction begins so. The stream's remark "copy of it" was the model's ctrl+c in every
# dev voice tried (2026-12-06).
# Not a place ("end of the line", "top of the page", "start of the document" name where to go).
_NOUN_OF = re.compile(r"^(?:(?:okay|ok|um|uh|so|and|just|a|the|one|another)\s+)*(?:copy|paste|cut|type|click|press|"
                      r"scroll|save|select|show|close|print|run|switch|zoom|find|search|open|undo|redo|delete|drag|move|"
                      r"hide|record|play|tab|stop|wait)\s+of\b")
# "I'm going to close the window", "someone should save this", "remind me to save the file", "tell me how to copy":
# what someone will do or how it is done, not an instruction to the desktop.
# "i'm trying to focus" (the model's focus_window, blind probe set 17): what the speaker is or does, said first
# ... after an answer to someone ("ja i'll send it through just now": set 46); not after "okay so", which is how "okay
# so, open the terminal" is heard ("Okay, so I'll open the terminal.": tests/safety/test_handsfree_short_talk.py)
_NOT_ASKED = re.compile(r"^(?:let me\b|(?:(?:ja|yes|yeah|yep)\s+)*"
                        r"(?:i might|i may|i'm|i am|i'll|i will|someone|somebody|"
                        # what the speaker has or has done: "i've nae idea how ye close this thing" (close_window,
                        # blind probe set 56)
                        r"i've|i have(?! to\b)|"
                        # "nobody's going to click on that link", "i keep pressing the wrong key" (a click and the i key
                        # from the model, blind probe set 23)
                        r"nobody|nobody's|no one|no one's|i keep|i kept|"
                        r"remind me|tell me how|show me how|how to|i should|i could|"
                        # what the speaker does or thinks: "i always forget which key does select all on a mac"
                        r"i (?:always|never|usually|often|sometimes|forget|forgot|think|thought|know|knew|guess|"
                        r"wonder|hope|hate|love|remember|wish|was|had|did|used to|"
                        # what the speaker finds, sees or feels ("aye fine" heard "I find.": ctrl+f, blind probe set 56)
                        r"find|found|see|saw|like|liked|hear|heard|feel|felt|agree|suppose|reckon|bet|believe|doubt|"
                        # what was meant, wanted or planned before: "i meant to close that tab earlier" (ctrl+w)
                        r"meant to|wanted to|was going to|tried to)))\b")
# "why won't this window close", "did you save the file", "where did I save that document" (each a plan from
# the model, 2026-12-04): a question asks about the desktop. A polite request ("can you save this", "could you
# scroll up") is an instruction and stays one.
# What someone thinks of the software ("double click is so annoying on this trackpad", "the find feature in this
# editor is useless", "full screen mode makes my eyes hurt": a click, ctrl+f and f11 from the model, 2026-12-05).
_OPINION = re.compile(r"\b(?:is|are|was|were|gets|got)\s+(?:so|too|really|very|pretty|kind of|kinda|quite|such|"
                      r"totally|completely|useless|annoying|broken|terrible|awful|great|amazing|weird|slow|buggy|"
                      r"confusing|hard|easy|driving me|"  # "the new tab thing in firefox is driving me mad" (set 46)
                      # Irish and British verdicts ("copy and paste is grand for now but ...": ctrl+c, ctrl+v from the
                      # model, blind probe set 29)
                      r"grand|fine|rubbish|banjaxed|brutal|class|deadly)\b|\bmakes (?:my|me|it|everything|everyone)\b")  # "makes": "make it smaller" asks it
# How someone else does it ("so you click the little gear icon and then settings"): a person told, not the desktop.
_TOLD = re.compile(r"^(?:(?:okay|ok|now|well)\s+)*(?:(?:so|and|then|first|next)\s+you\s+(?!can\b|could\b)\w+|"
                   # "grandma, you have to double click the little picture" (heard without "grandma", slt): a double
                   # click from the model (spoken blind set 6)
                   r"you\s+(?:have to|need to|got to|gotta|'ve got to|just have to|should|must|always|never)\b|"
                   # "susan said you just say scroll down and it goes down" (heard "season set. you just say scroll
                   # down and it goes down.", slt, blind probe set 19) scrolled: how a person does it, said to them
                   r"you\s+(?:just\s+)?(?:say|click|press|hit|tap|type|use|pick|choose|select|drag)\b|"
                   # off the furniture: "kitty, get down from the keyboard" (heard without "kitty", every dev voice)
                   # was the model's down arrow (blind probe set 10)
                   r"get\s+(?:down|off)\s+(?:from|off|of)\b|get\s+off\s+(?:the|my|your|that|this)\b)")
# What the person listening did ("sorry. you cut out.", heard on a call, was ctrl+x: spoken blind probe set 6): a
# sentence whose subject is "you" and whose verb is past tells. Not any "you" + verb: "you close the window" is how
# some people say the command (blind probe3).
_YOU_DID = re.compile(r"^(?:you|you've)\s+(?:just\s+|already\s+)?(?:\w+ed|did|said|told|went|got|made|took|left|broke|"
                      r"froze|sent|wrote|forgot|lost|missed|cut out|cut off|dropped)\b")
# What the speaker or a thing did, said alone: "i hit control z too many times and lost everything" (keys from the
# model), "it failed again" (its F5; blind probe set 16). Past tense after "i", "it", "this", "that"; only in a
# sentence with no pause inside: "i finished the email, now press enter" is a remark, then a command (chain_joints).
# Not "-eed" ("i need a new tab").
_DID = re.compile(r"^(?:i|it|this|that)\s+(?:just\s+|already\s+|accidentally\s+)?(?:\w+[^e\W]ed|hit|lost|broke|froze|"
                  r"went|got|made|ran|put|cut|sent|wrote|forgot|left|took|kept|saw)\b")
# Asking to be told back ("click on it and tell me what you see", the model's click; blind probe set 16): voxctl
# acts, it does not report, so a person is asked.
# ... or to look and see whether it worked ("just refresh it and see if it comes back, aye", to a caller: blind probe
# set 37, F5 from the model)
_TELL_BACK = re.compile(r"\b(?:and|then) (?:tell me|let me know|see (?:if|whether)|check (?:if|whether))\b")
# Advice to someone, and what a key does explained to them (blind probe sets 22 and 23, a support agent on calls and a
# person helping their spouse; each a plan of the model): "try pressing control f five, that does a hard refresh",
# "try minimizing everything", "press control shift r, that does a hard refresh for you", "try pressing enter twice,
# that sometimes works". Nobody tells the desktop what its keys do, or to try.
_ADVICE = re.compile(r"^(?:(?:so|okay|ok|now|just|maybe|then|and)\s+)*(?:try|trying)\s+\w+ing\b|"
                     r"\b(?:that|this|it)\s+(?:does|usually does|will do|should do|does the|sometimes works|usually works|"
                     r"always works|normally works|often works|should work|will work|fixes it|should fix|will fix)\b|"
                     r"\bthat's (?:what|how) (?:i|we|you)\b")
# A person as the one sent to or told ("could you save the file as a pdf and send it to me", "close that and open
# the new version i sent you": blind probe set 22 and 23, each a plan of the model): the desktop sends nothing to
# "me", and what "i sent you" is the listener's.
_TO_A_PERSON = re.compile(r"\bsend (?:it|them|this|that|the \w+|me) (?:to|over to|back to) (?:me|us|him|her|them)\b|"
                          r"\bi (?:sent|gave|showed|told|emailed|forwarded|mailed|texted|shared|wrote) you\b|"
                          # what the listener sent ("i can't open the link you sent, can you paste it in the chat": set 58)
                          r"\b(?:the|that|this) \w+ you (?:sent|gave|showed|emailed|forwarded|mailed|texted|shared)\b")
# What a person or a pet is to stop doing ("quit chewing that, quit it", said to the dog: the model's ctrl+q, blind probe
# set 26); not what voxctl or an app does ("stop recording", "stop playing").
# A person addressed as sir or madam, set off by pauses ("sorry sir, can you go back to the previous slide, i missed
# the point", to a lecturer on a call: alt+left, blind probe set 27); not "finally sir has replied" (said of him)
_HONORIFIC = re.compile(r"(?:^|[,.?!]\s*)(?:(?:sorry|excuse me|thank you|thanks|yes|no|okay|ok|please|good morning|"
                        r"hello|hi|haan|haan ji|ji|achha|acha|sure|right)\s+)?(?:sir|madam|ma'am)\s*(?:[,.?!]|$)|,\s*(?:sir|madam|ma'am)\s*[.?!]*\s*$", re.IGNORECASE)
# A word a person is called by, said last or before a pause, as British and Australian English do: "righto scroll back
# up love, i missed that one" (to a wife, blind probe set 44: the model's scroll); not "send my love", "click love"
_CALLED = re.compile(r"(?<!\bmy )(?<!\bthe )(?<!\bclick )(?<!\bsend )(?<!\bi )(?<!\bwe )\b(?:love|luv|hun|pet|duck|dearie)"
                     r"\b(?= i | it'?s |$)")
_STOP_DOING = re.compile(r"^(?:(?:oi|hey|no|naw|now|just|will you|would you|can you)\s+)*(?:quit|stop|give up|pack in)\s+"
                         r"(?!(?:recording|listening|dictating|playing|presenting|sharing|typing|scrolling|loading)\b)\w+ing\b")
_QUESTION = re.compile(r"^(?:why|where|when|who|whose|how|what|which|did|does|didn't|"  # "don't ..." says no (first)
                       r"should|shall|is|isn't|are|aren't|was|were|has|have|had|(?:do|am) (?:i|you|we|they))\b")
# Asked of what the speaker did or is to do, anywhere: nobody tells the desktop "did i", "do i" ("och the screen's gone
# black again, fit did i press": the i key from the model, blind probe set 56; "fit" is Doric "what")
# What someone wants of the speaker, reported ("the client wants me to undo all the changes the editor made": blind
# probe set 61, the model's ctrl+z): said about a task, not an instruction. "I want you to ..." asks the desktop.
_ASKED_OF_ME = re.compile(r"\b(?:wants?|wanted|asked|asks|told|tells|needs?|needed|expects?|expected|begged|reminded)"
                          r"\s+(?:me|us)\s+to\b")
_ASKS_SELF = re.compile(r"\b(?:did|do|does|didn't|don't|am|should|shall) (?:i|we)\b")


# Sentences that say nothing of their own: one word ("oops." read "loop.", "okay.", "please.") or courtesy.
_COURTESY = {("thank", "you"), ("all", "right"), ("go", "ahead")}
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
JOINS = frozenset({"and", "then", "also", "plus", "next", "after"})  # a sentence so begun is a command or none


# Reasons given both where a whole sentence is no command (`not_a_command`) and where it governs one (`governed`)
SAYS_NO = "it says not to: nothing is done"
CORRECTS = "a correction inside the sentence: say the command again as you mean it"
LATER = "a condition or a later time: voxctl acts now, so say it when you want it done"
ON_CALL = "said on a call, or to the people in the room while on one: not an instruction"


def _before_text(words: list[str]) -> list[str]:
    """The words before the first word that starts free text ("type", "search", ...): only they can govern."""
    return words[:next((i for i, w in enumerate(words) if w in _FREE_TEXT), len(words))]


def sentences(text: str) -> list[str]:
    """The sentences of a recogniser's reading (it ends one at a pause), interjections and courtesy left out."""
    return [s for s in _SENTENCE_END.split(text.strip()) if len(w := words_in(s)) > 1 and tuple(w) not in _COURTESY]


_AFTER_QUESTION = re.compile(r"\?\s*([^?.!]+)[.!]*\s*$")  # what is said after the last question mark, to the end


def _answered(text: str) -> bool:
    """Whether `text` is a question followed by nothing but a reply ("yes.", "no."): someone asked, someone answered."""
    from voxctl.agent.answers import NO_WORDS, YES_WORDS

    m = _AFTER_QUESTION.search(text)
    return m is not None and bool(words := words_in(m.group(1))) and set(words) <= YES_WORDS | NO_WORDS


def several(text: str) -> str | None:
    """The model reads one sentence as one command (or two joined by "and" / "then"). A reading of several
    sentences that the grammar could not chain is not one: read whole, the model took the command words of
    one sentence and dropped the rest ("scroll right four. scroll right four. roll up paper." -> scroll
    right; "scroll down. roll up paper." -> scroll up); read sentence by sentence, overheard talk gave a plan
    ("hold on a second. type on the phone." -> wait, type "on the phone")."""
    n = len(sentences(text))
    return f"{n} sentences, not one command: say it as one" if n > 1 else None


def not_a_command(text: str, hinted: str | None = None) -> str | None:
    """Why `text` is no command whatever the model says, or None. `hinted`: `text` is the recogniser's reading without
    the command hint of speech it read as `hinted` with it; then a "not" inside it counts only where the hint left it
    out (`_negation_heard`)."""
    words = words_in(text)
    if len(words) < 2:
        return "one word the grammar does not know"
    if why := several(text):
        return why
    if _answered(text):  # "can you make that heading bold? yes." (en-us+m1, en-us+f2: "..., jess")
        return "a question and its answer: said between people"
    if says_no(text) if hinted is None else _negation_heard(text, hinted):
        return SAYS_NO
    if _STATEMENT.match(" ".join(words)) or _SAYS_WHAT_IS.match(" ".join(words)) or _EXCLAIMED.match(" ".join(words)):
        return "a statement, not an instruction"
    if ON_A_CALL.search(" ".join(_before_text(words))):
        return ON_CALL
    if ENDEARMENTS & set(words) or _HONORIFIC.search(text) or _CALLED.search(" ".join(_before_text(words))):
        # "just select whichever one you like, darling" was the model's "1" (blind probe set 11)
        return "said to a person, not an instruction"
    if _NOUN_OF.match(" ".join(words)):
        return f"{' '.join(words[:3])!r} names a thing, not an instruction"
    if any(_YOU_DID.match(" ".join(words_in(s))) for s in sentences(text)):
        return "what the person listening did, not an instruction"
    if _DID.match(" ".join(words)) and not re.search(r"[,;:.?!]", text.strip().rstrip(".?!")):
        return "what someone or something did, not an instruction"
    if _TELL_BACK.search(" ".join(words)):
        return "asks to be told back: said to a person, not an instruction"
    if _ADVICE.search(" ".join(words)):
        return "advice to a person (what to try, what a key does), not an instruction"
    if _STOP_DOING.match(" ".join(words)):
        return "what a person or a pet is to stop doing, not an instruction"
    if _TO_A_PERSON.search(" ".join(words)):
        return "said to a person (sent to 'me', what 'i sent you'), not an instruction"
    if _QUESTION.match(" ".join(words)) or _ASKS_SELF.search(" ".join(_before_text(words))) or _asks_last(text):
        return "a question, not an instruction"
    if corrects_itself(text):
        return CORRECTS
    before_text = _before_text(words)
    if _LATER.search(" ".join(before_text)):
        return LATER
    if "your" in before_text:  # "can you scroll down on your screen", "maximize your window" (blind probe set 14)
        return "said to a person about their own things ('your'), not an instruction"
    if _ADDRESSEES & set(before_text):  # "coffee anyone" heard "copy anyone." (slt) was ctrl+c
        return "said to the people in the room, not an instruction"
    if _YOURSELF & set(before_text):
        return "a person is asked to do it themselves, not an instruction to the desktop"
    if ROOM_THING.search(" ".join(before_text)):
        return "a thing in the room (a door, a fridge), not on the screen"
    if _IDIOM.search(" ".join(before_text)):
        return "a way of speaking to a person ('keep it down'), not an instruction"
    if not _DICTATE & set(words) and words[-1] in WAITS_FOR_MORE:
        return f"it stops at {words[-1]!r}, cut off or misheard: say it again"
    if _NOT_ASKED.match(" ".join(words)):
        return "what someone will do or how it is done, not an instruction"
    if _OPINION.search(" ".join(words[:next((i for i, w in enumerate(words) if w in _DICTATE), len(words))])):
        return "what someone thinks of it, not an instruction"
    if _told(text):
        return "telling a person how it is done, not an instruction"
    if _explained(text):
        return "explains to a person what it will do, not an instruction"
    if REPORTED.search(" ".join(words)):
        return "what something or someone says, read out: not an instruction"
    if _ASKED_OF_ME.search(" ".join(before_text)):
        return "what someone wants of the speaker, told: not an instruction"
    if _NARRATION & set(words):
        return "a sentence about someone or something past, not an instruction"
    from voxctl.agent.answers import only_a_reply

    if only_a_reply(text):  # "did you mean ...?" asks to say it again: "yes please do that" was read as redo
        return "a reply (yes or no), not a command: say the command itself"
    return None


def _explained(text: str) -> bool:
    """Whether a part of `text` after its first pause explains what will happen ("just refresh the page, it should show
    the new version": to a client, blind probe set 41; saying_no.EXPLAINS); not in dictated words."""
    parts = [words_in(p) for p in re.split(r"[,;:.?!]\s", text)]
    if not parts or not parts[0] or parts[0][0] in _DICTATE:
        return False
    return any(EXPLAINS.match(" ".join(p)) for p in parts[1:] if p)


def _told(text: str) -> bool:
    """Whether `text`, or a part of it after a pause ("season set, you just say scroll down"), tells a person how it
    is done; parts from one that dictates on ("type hello, then you open it") are the person's own words."""
    for part in re.split(r"[,;:.?!]\s", text):
        said = words_in(part)
        if said and said[0] in _DICTATE:
            return False
        if _TOLD.match(" ".join(said)):
            return True
    return False


def governed(text: str) -> str | None:
    """Why the whole of `text` governs a command said in it, or None: it says not to, corrects itself, sets a
    condition or a later time, is said to a person, reports what someone said or asks to be told back. A remark said
    before a command (remarks.py) is read only when nothing in the whole governs it ("if the page is slow, refresh
    it", "no, don't bother, close it")."""
    words = words_in(text)
    joined = " ".join(words)
    before_text = _before_text(words)
    if says_no(text):
        return SAYS_NO
    if corrects_itself(text):
        return CORRECTS
    if _LATER.search(" ".join(before_text)):
        return LATER
    if (ENDEARMENTS | _ADDRESSEES | _YOURSELF | {"your", "whoever"}) & set(before_text) or _IDIOM.search(joined):
        return "said to a person, not an instruction"
    if REPORTED.search(joined) or _TELL_BACK.search(joined):
        return "what someone says, or asks to be told back: not an instruction"
    if ON_A_CALL.search(" ".join(before_text)):
        return ON_CALL
    return None


_OR_ASKS = re.compile(r"\bor (?:should|shall|do|can) (?:i|we)\b")  # a question asked last, after "or"


def _asks_last(text: str) -> bool:
    """Whether `text` ends on a question of its own after a pause: "wait, what?" (blind probe set 8) was a wait.
    "can you scroll down, please?" asks for a command (can/could/would are no question words here)."""
    stripped = text.strip()
    if _OR_ASKS.search(stripped.casefold()):  # "... or should i share it again"
        return True
    return stripped.endswith("?") and bool(_QUESTION.match(" ".join(words_in(re.split(r"[,;:.]", stripped)[-1]))))


def _negation_heard(plain: str, hinted: str) -> bool:
    """Whether the reading without the hint, `plain`, says not to where the hinted reading could not have misheard it:
    it begins by saying no, says to leave a thing as it is, or holds every word of `hinted` in order (the hint left the
    "no" out: "No, leave the tab open." read "leave the tab open."). A "not" where the hinted reading has another word
    is as likely a word misheard without the hint: "close the current tab." (en-us+m1) was vetoed by "Close, not
    current, tab.", "cursor go to beginning of line." by "cursor don't be beginning of line" (spoken probe set 7)."""
    from voxctl.agent.interpret.unhinted import heard_within

    return says_no(plain) and (begins_with_no(plain) or leaves_it(plain) or heard_within(hinted, plain))
