"""What `voxctl bench handsfree` says into the microphone: conversation, short remarks, commands, sleep and
wake, long plans stopped by voice, and silences, in several voices (agent/benchmarks/handsfree.py plays it).
"""

from __future__ import annotations

import random

PASSAGES = (
    "I think we should meet for lunch tomorrow at the new place near the station",
    "the weather has been lovely this week and the garden is finally growing",
    "did you see the match last night, it went to extra time",
    "let me type up the notes from the meeting and send them around",
    "I need to stop by the store on the way home to get some milk",
    "we should close the window, it is getting cold in here",
    "can you scroll through the photos later and pick the best ones",
    "select all the good ones and put them in the shared folder",
    "my sister is visiting next month with her two kids",
    "the train was late again so I missed the first half of the talk",
    "press the button on the left if the printer jams again",
    "honestly I have no idea what the deadline for the report is",
    "we could go for a walk along the river after dinner",
    "the page down there is blank, someone forgot to print it",
    "remind me to call the dentist before Friday",
    "copy the homework from the board before the teacher wipes it",
    "that movie was much longer than I expected but it was worth it",
    "I will go to the gym in the morning if it is not raining",
    "she said the new version of the app is much faster",
    "could you pass me the salt please",
    "the coffee machine on the third floor is broken again",
    "we are planning a trip to the mountains in the spring",
    "I am going to sleep early tonight, I am exhausted",
    "wake up the kids at seven, the bus comes at half past",
    "open the door for the delivery man when he rings",
    "the cat keeps jumping on the keyboard while I work",
    "let us start the meeting with a quick round of updates",
    "there is a new bakery on the corner with amazing bread",
    "undo the knot carefully or the rope will tear",
    "I moved the files into the archive folder yesterday",
)
COMMANDS = ("scroll down", "type good morning", "press page down", "select all", "copy that", "press escape",
            "scroll up", "go to the top", "undo", "new tab", "press tab", "type see you soon")
ASLEEP_COMMANDS = ("scroll down", "type hello world", "select all")
LONG_PLAN = "press down 50 times"
VOICES = ("slt", "rms", "awb", "kal16", "espeak:en-us+m1", "espeak:en-us+m3", "espeak:en-us+m7",
          "espeak:en-us+f2", "espeak:en-us+f4", "espeak:en-us+klatt")
COMMAND_VOICES = ("slt", "rms", "awb", "kal16")  # the voices tiny.en hears commands from (README: limits)


def _script(minutes: float, rng: random.Random) -> list[tuple[str, str, str, float]]:
    """(kind, text, voice, silence after in s) until the speech and silences fill `minutes`."""
    from voxctl.agent.benchmarks.devset import phrase_split
    from voxctl.agent.benchmarks.handsfree_short import remarks as short_remarks
    from voxctl.agent.benchmarks.interpret import synthesize

    remarks = [r for r in short_remarks() if phrase_split(r) == "heldout"]  # never looked at to tune anything
    events: list[tuple[str, str, str, float]] = []
    total, i = 0.0, 0
    while total < minutes * 60:
        i += 1
        roll = rng.random()
        if i % 9 == 0:
            block = [("sleep", "go to sleep", rng.choice(COMMAND_VOICES), 1.5)]
            block += [("asleep", rng.choice(ASLEEP_COMMANDS), rng.choice(COMMAND_VOICES), 2.5),
                      ("talk", rng.choice(PASSAGES), rng.choice(VOICES), 1.5)]
            block += [("wake", "wake up", rng.choice(COMMAND_VOICES), 1.5)]
        elif i % 7 == 0:
            block = [("long", LONG_PLAN, "slt", 0.0), ("stop", "stop", rng.choice(COMMAND_VOICES), 3.0)]
        elif roll < 0.35:
            block = [("command", rng.choice(COMMANDS), rng.choice(COMMAND_VOICES), 2.5)]
        elif roll < 0.45:
            block = [("silence", "", "", rng.uniform(5, 15))]
        elif roll < 0.6:  # a short remark ("wait what", "and now?"): what tiny.en with the hint reads as a command
            block = [("remark", rng.choice(remarks), rng.choice(VOICES), rng.uniform(0.4, 1.5))]
        else:
            block = [("talk", rng.choice(PASSAGES), rng.choice(VOICES), rng.uniform(0.4, 1.5))]
        for kind, text, voice, gap in block:
            total += gap + (len(synthesize(text, voice)) / 16000 if text else 0)
            events.append((kind, text, voice, gap))
    return events
