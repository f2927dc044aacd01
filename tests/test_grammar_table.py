"""The command grammar on text: a table of phrasings (as people say them and as Whisper writes them)
and the plan each must give; sentences that are not commands; near-misses; destructive safety."""

from __future__ import annotations

import pytest

from voxctl.agent.config import InterpreterConfig
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.macros import Macro
from voxctl.tools.registry import call


def K(*keys: str, repeat: int = 1) -> tuple[str, dict]:
    return ("press_keys", {"keys": list(keys), "repeat": repeat})


def A(tool: str, **args) -> tuple[str, dict]:
    return (tool, args)


STANDUP = Macro("standup", [call("open_app", name="terminal"), call("type_text", text="git pull")],
                ("start my day",))
DANGER = Macro("wipe", [call("press_keys", keys=["ctrl", "a"]), call("press_keys", keys=["shift", "delete"])])

TABLE: list[tuple[str, list[tuple[str, dict]]]] = [
    # --- keys, as said and as the recogniser spells them
    ("press control s", [K("ctrl", "s")]),
    ("Press Ctrl-S.", [K("ctrl", "s")]),
    ("Press Ctrl+S", [K("ctrl", "s")]),
    ("press ctrl s", [K("ctrl", "s")]),
    ("hit control s", [K("ctrl", "s")]),
    ("press control plus s", [K("ctrl", "s")]),
    ("control s", [K("ctrl", "s")]),
    ("Press F5.", [K("f5")]),
    ("press f five", [K("f5")]),
    ("Press F-5", [K("f5")]),
    ("press F 12", [K("f12")]),
    ("press enter", [K("enter")]),
    ("Press Enter.", [K("enter")]),
    ("press return", [K("enter")]),
    ("press the enter key", [K("enter")]),
    ("enter", [K("enter")]),
    ("press enter three times", [K("enter", repeat=3)]),
    ("Press enter 3 times.", [K("enter", repeat=3)]),
    ("press enter twice", [K("enter", repeat=2)]),
    ("press tab two times", [K("tab", repeat=2)]),
    ("tab 3 times", [K("tab", repeat=3)]),
    ("press back space", [K("backspace")]),
    ("Press back space 5 times.", [K("backspace", repeat=5)]),
    ("backspace", [K("backspace")]),
    ("press escape", [K("escape")]),
    ("press esc", [K("escape")]),
    ("escape", [K("escape")]),
    ("Press Alt-Tab.", [K("alt", "tab")]),
    ("press alt tab", [K("alt", "tab")]),
    ("press control shift t", [K("ctrl", "shift", "t")]),
    ("Press Ctrl-Shift-T.", [K("ctrl", "shift", "t")]),
    ("press control shift escape", [K("ctrl", "shift", "escape")]),
    ("press page down", [K("pagedown")]),
    ("page down", [K("pagedown")]),
    ("page up twice", [K("pageup", repeat=2)]),
    ("press down arrow four times", [K("down", repeat=4)]),
    ("press down 4 times", [K("down", repeat=4)]),
    ("up arrow", [K("up")]),
    ("press left", [K("left")]),
    ("press the windows key", [K("win")]),
    ("press super key", [K("win")]),  # a lone modifier only in its explicit form (CONFIDENT below)
    ("press space", [K("space")]),
    ("press space bar", [K("space")]),
    ("press delete", [K("delete")]),
    ("press home", [K("home")]),
    ("press control end", [K("ctrl", "end")]),
    ("press control home", [K("ctrl", "home")]),
    ("press shift tab", [K("shift", "tab")]),
    ("press alt f4", [K("alt", "f4")]),
    ("Alt-F4", [K("alt", "f4")]),
    ("press a", [K("a")]),
    ("press 1", [K("1")]),
    ("press one", [K("1")]),
    ("press control alpha", [K("ctrl", "a")]),
    ("press control plus", [K("ctrl", "plus")]),
    ("press control minus", [K("ctrl", "minus")]),
    ("press caps lock", [K("capslock")]),
    ("press print screen", [K("printscreen")]),
    ("press control z", [K("ctrl", "z")]),
    ("Press Ctrl Z 3 times", [K("ctrl", "z", repeat=3)]),
    # --- editing commands
    ("copy", [K("ctrl", "c")]),
    ("Copy.", [K("ctrl", "c")]),
    ("copy that", [K("ctrl", "c")]),
    ("paste", [K("ctrl", "v")]),
    ("paste it", [K("ctrl", "v")]),
    ("cut", [K("ctrl", "x")]),
    ("undo", [K("ctrl", "z")]),
    ("undo that", [K("ctrl", "z")]),
    ("scratch that", [A("erase_typed")]),  # takes back voxctl's last typing (tools/journal.py)
    ("undo three times", [K("ctrl", "z", repeat=3)]),
    ("redo", [K("ctrl", "y")]),
    ("select all", [K("ctrl", "a")]),
    ("select everything", [K("ctrl", "a")]),
    ("save", [K("ctrl", "s")]),
    ("save the file", [K("ctrl", "s")]),
    ("save as", [K("ctrl", "shift", "s")]),
    ("find", [K("ctrl", "f")]),
    ("new tab", [K("ctrl", "t")]),
    ("open a new tab", [K("ctrl", "t")]),
    ("close tab", [K("ctrl", "w")]),
    ("close this tab", [K("ctrl", "w")]),
    ("reopen closed tab", [K("ctrl", "shift", "t")]),
    ("next tab", [K("ctrl", "tab")]),
    ("Next, tab.", [K("ctrl", "tab")]),
    ("previous tab", [K("ctrl", "shift", "tab")]),
    ("new window", [K("ctrl", "n")]),
    ("print", [K("ctrl", "p")]),
    ("refresh", [K("f5")]),
    ("reload the page", [K("f5")]),
    ("go back", [K("alt", "left")]),
    ("go forward", [K("alt", "right")]),
    ("zoom in", [K("ctrl", "plus")]),
    ("zoom out", [K("ctrl", "minus")]),
    ("bold", [K("ctrl", "b")]),
    ("delete word", [K("ctrl", "backspace")]),
    ("go to the top", [K("ctrl", "home")]),
    ("go to the bottom", [K("ctrl", "end")]),
    ("switch window", [K("alt", "tab")]),
    ("show desktop", [K("win", "d")]),
    ("minimize all the windows", [K("win", "d")]),  # not a window titled "all the windows"
    ("full screen", [A("fullscreen_window")]),  # asked of the window manager (tools/window_state.py)
    ("toggle fullscreen", [K("f11")]),  # the app's own full screen
    # --- window state, "again", "what can I say" (issue 13.4, 13.7)
    ("maximize the window", [A("maximize_window")]),
    ("Maximize this window.", [A("maximize_window")]),
    ("minimize this", [A("minimize_window")]),
    ("minimise the window", [A("minimize_window")]),
    ("restore the window", [A("restore_window")]),
    ("exit full screen", [A("restore_window")]),
    ("maximize firefox", [A("maximize_window", title="firefox")]),
    ("again", [A("repeat_last")]),
    ("Repeat that.", [A("repeat_last")]),
    ("do that three times", [A("repeat_last", times=3)]),
    ("do that twice", [A("repeat_last", times=2)]),
    ("What can I say?", [A("list_commands")]),
    ("help", [A("list_commands")]),
    ("show me what i can say", [A("list_commands")]),
    ("start recording greet", [A("start_recording", name="greet")]),
    ("Stop recording.", [A("stop_recording")]),
    ("delete macro greet", [A("delete_macro", name="greet")]),
    ("cancel", [K("escape")]),
    ("new line", [K("enter")]),
    ("quit app", [K("ctrl", "q")]),
    ("lock screen", [K("win", "l")]),
    # --- chains
    ("select all and copy", [K("ctrl", "a"), K("ctrl", "c")]),
    ("Select all, and copy.", [K("ctrl", "a"), K("ctrl", "c")]),
    ("Select all in copy.", [K("ctrl", "a"), K("ctrl", "c")]),
    ("select all then copy", [K("ctrl", "a"), K("ctrl", "c")]),
    ("select all and then copy", [K("ctrl", "a"), K("ctrl", "c")]),
    ("Select all. Copy.", [K("ctrl", "a"), K("ctrl", "c")]),
    ("select all copy", [K("ctrl", "a"), K("ctrl", "c")]),
    ("copy and paste", [K("ctrl", "c"), K("ctrl", "v")]),
    ("press control a then press delete", [K("ctrl", "a"), K("delete")]),
    ("save and close the window", [K("ctrl", "s"), A("close_window")]),
    ("scroll down and click", [A("scroll", direction="down"), A("click")]),
    ("press tab then type hello", [K("tab"), A("type_text", text="hello")]),
    ("press tab type hello", [K("tab"), A("type_text", text="hello")]),
    ("open the terminal and type make test", [A("open_app", name="terminal"), A("type_text", text="make test")]),
    ("switch to firefox and press f five", [A("focus_window", title="firefox"), K("f5")]),
    ("take a screenshot and wait two seconds", [A("screenshot"), A("wait", seconds=2)]),
    ("new tab, then type hello world and press enter",  # dictation ends before a whole command (issue 9.4)
     [K("ctrl", "t"), A("type_text", text="hello world"), K("enter")]),
    # --- typing: text after "type" runs to the end, kept as spoken
    ("type hello world", [A("type_text", text="hello world")]),
    ("Type Hello World", [A("type_text", text="Hello World")]),
    ("Type hello, world.", [A("type_text", text="hello, world")]),
    ("Type: git status", [A("type_text", text="git status")]),
    ("type make test", [A("type_text", text="make test")]),
    ("please type thank you", [A("type_text", text="thank you")]),
    ("type I'm done, then press enter?", [A("type_text", text="I'm done"), K("enter")]),
    ("dictate see you at 5 p.m.", [A("type_text", text="see you at 5 p.m")]),
    ("type select all and copy", [A("type_text", text="select all and copy")]),
    ("type twenty five", [A("type_text", text="twenty five")]),
    # --- scrolling
    ("scroll down", [A("scroll", direction="down")]),
    ("scroll down five", [A("scroll", direction="down", amount=5)]),
    ("Scroll down 5.", [A("scroll", direction="down", amount=5)]),
    ("scroll up ten times", [A("scroll", direction="up", amount=10)]),
    ("Scroll up 10 times.", [A("scroll", direction="up", amount=10)]),
    ("scroll left three", [A("scroll", direction="left", amount=3)]),
    ("scroll right", [A("scroll", direction="right")]),
    ("scroll down twenty five", [A("scroll", direction="down", amount=25)]),
    ("scroll down by 10", [A("scroll", direction="down", amount=10)]),
    ("scroll 5 down", [A("scroll", direction="down", amount=5)]),
    ("scroll the page up", [A("scroll", direction="up")]),
    ("scroll downwards a couple of times", [A("scroll", direction="down", amount=2)]),
    # --- mouse
    ("click", [A("click")]),
    ("Click.", [A("click")]),
    ("left click", [A("click", button="left")]),
    ("right click", [A("click", button="right")]),
    ("Right-click.", [A("click", button="right")]),
    ("middle click", [A("click", button="middle")]),
    ("double click", [A("click", count=2)]),
    # "right here" / "over there" point at the pointer: no text on screen called "right here" is meant
    ("click right here", [A("click")]),
    ("double click over there", [A("click", count=2)]),
    ("right click right here", [A("click", button="right")]),
    ("Double-click.", [A("click", count=2)]),
    ("triple click", [A("click", count=3)]),
    ("click twice", [A("click", count=2)]),
    ("click save", [A("click", target="save")]),
    ("Click Save.", [A("click", target="save")]),
    ("click on the save button", [A("click", target="save")]),
    ("click on save", [A("click", target="save")]),
    ("press k to pause the video", [K("k")]),  # why the key is pressed, not another command
    ("turn off the numbers", [A("hide_overlay", what="labels")]),
    ("open up spotify, i need some music", [A("open_app", name="spotify")]),  # a remark after a pause
    ("that was a mistake, undo it", [K("ctrl", "z")]),  # a remark before a pause
    ("enter the text open the window", [A("type_text", text="open the window")]),  # dictation, not the Enter key
    ("find and replace", [K("ctrl", "h")]),
    ("select to the end of the file", [K("ctrl", "shift", "end")]),
    ("switch apps", [K("alt", "tab")]),
    ("stop loading the page", [K("escape")]),
    ("show me the fourth tab", [K("ctrl", "4")]),
    ("the page is stuck, reload it", [K("f5")]),
    ("can you zoom in a bit, i can't read this", [K("ctrl", "plus")]),
    ("hey computer, go to youtube dot com", [A("open_url", url="https://youtube.com")]),
    ("get rid of the grid", [A("hide_overlay", what="grid")]),
    ("square five", [A("grid_narrow", cells=[5])]),
    ("double click on number nine", [A("click_label", label=9, count=2)]),
    ("drag from three to eight", [A("drag_label", label=3, to_label=8)]),
    ("label everything", [A("show_labels")]),  # was ctrl+a (select all) from the model
    ("take that back", [A("erase_typed")]),  # was alt+left (browser back) from the model
    ("finish recording", [A("stop_recording")]),
    ("press space so it ticks the box", [K("space")]),
    ("no no scratch that", [A("erase_typed")]),  # a no that takes back
    ("go to localhost colon eight thousand", [A("open_url", url="http://localhost:8000")]),
    ("open the bbc dot co dot uk website", [A("open_url", url="https://bbc.co.uk")]),  # was the text "on save": the grammar file's `on` read as true
    ("click the OK button", [A("click", target="ok")]),
    ("double click the readme file", [A("click", target="readme file", count=2)]),
    ("right click on downloads", [A("click", target="downloads", button="right")]),
    ("press the submit button", [A("click", target="submit")]),
    ("click at 300 200", [A("click", x=300, y=200)]),
    ("Click at 300-200.", [A("click", x=300, y=200)]),
    ("Click at 3-0-0-200.", [A("click", x=300, y=200)]),
    ("click at three hundred two hundred", [A("click", x=300, y=200)]),
    ("click at 300 by 200", [A("click", x=300, y=200)]),
    ("right click at 40 50", [A("click", x=40, y=50, button="right")]),
    ("double click at 1,024 768", [A("click", x=1024, y=768, count=2)]),
    ("move the mouse to 300 200", [A("move_mouse", x=300, y=200)]),
    ("Move the mouse to 500, 400.", [A("move_mouse", x=500, y=400)]),
    ("move the mouse to five hundred four hundred", [A("move_mouse", x=500, y=400)]),
    ("move the pointer to a hundred and twenty 80", [A("move_mouse", x=120, y=80)]),
    ("mouse to 10 10", [A("move_mouse", x=10, y=10)]),
    ("mouse left 100", [A("nudge_mouse", direction="left", pixels=100)]),
    ("move the mouse left one hundred", [A("nudge_mouse", direction="left", pixels=100)]),
    ("move the mouse up fifty", [A("nudge_mouse", direction="up", pixels=50)]),
    ("nudge the mouse right", [A("nudge_mouse", direction="right")]),
    ("move the mouse 20 pixels down", [A("nudge_mouse", direction="down", pixels=20)]),
    ("drag to 500 300", [A("drag", to_x=500, to_y=300)]),
    ("Drag to 500300", [A("drag", to_x=500, to_y=300)]),
    ("drag to five hundred three hundred", [A("drag", to_x=500, to_y=300)]),
    ("drag from 10 20 to 300 400", [A("drag", from_x=10, from_y=20, to_x=300, to_y=400)]),
    # --- pointing by voice: the mouse grid and numbered labels (issue 12)
    ("mouse grid", [A("mouse_grid")]),
    ("show me the grid", [A("mouse_grid")]),
    ("window grid", [A("mouse_grid", scope="window")]),
    ("mouse grid 5 3 then click", [A("mouse_grid", cells=[5, 3]), A("click")]),
    ("grid 5", [A("grid_narrow", cells=[5])]),
    ("grid five three", [A("grid_narrow", cells=[5, 3])]),
    ("Grid 53.", [A("grid_narrow", cells=[5, 3])]),
    ("7", [A("grid_narrow", cells=[7])]),
    ("grid 1 and double click", [A("grid_narrow", cells=[1]), A("click", count=2)]),
    ("drag to grid 7 2", [A("grid_drag", cells=[7, 2])]),
    ("cancel grid", [A("hide_overlay", what="grid")]),
    ("cancel", [K("escape")]),
    ("show numbers", [A("show_labels")]),
    ("show labels on the screen", [A("show_labels", scope="screen")]),
    ("hide numbers", [A("hide_overlay", what="labels")]),
    ("click 12", [A("click_label", label=12)]),
    ("Click twelve.", [A("click_label", label=12)]),
    ("double click 12", [A("click_label", label=12, count=2)]),
    ("right click number 3", [A("click_label", label=3, button="right")]),
    ("click save", [A("click", target="save")]),
    ("move to 12", [A("move_to_label", label=12)]),
    ("drag 3 to 12", [A("drag_label", label=3, to_label=12)]),
    # --- apps and windows
    ("open firefox", [A("open_app", name="firefox")]),
    ("Open Firefox.", [A("open_app", name="firefox")]),
    ("Open fire, Fox.", [A("open_app", name="firefox")]),
    ("launch the calculator", [A("open_app", name="calculator")]),
    ("open the text editor", [A("open_app", name="text editor")]),
    ("open the terminal app", [A("open_app", name="terminal")]),
    ("start gedit", [A("open_app", name="gedit")]),
    ("go to wikipedia dot org", [A("open_url", url="https://wikipedia.org")]),
    ("Visit example.com/docs.", [A("open_url", url="https://example.com/docs")]),
    ("switch to terminal", [A("focus_window", title="terminal")]),
    ("Switch to Derminal", [A("focus_window", title="terminal")]),
    ("switch to the firefox window", [A("focus_window", title="firefox")]),
    # the window before, not a window titled "previous" (focus_window would find none)
    ("switch to the previous window", [K("alt", "tab")]),
    ("go to the other window", [K("alt", "tab")]),
    ("go to the next window", [K("alt", "tab")]),  # was focus_window "next"
    ("restore the window size", [A("restore_window")]),  # was a window titled "window size"
    # --- moving and selecting by word, a tab by its place (were a scroll right, nothing, the previous tab)
    ("move one word to the right", [K("ctrl", "right")]),
    ("go back one word", [K("ctrl", "left")]),
    ("word left three times", [K("ctrl", "left", repeat=3)]),
    ("select the next word", [K("ctrl", "shift", "right")]),
    ("select the previous word", [K("ctrl", "shift", "left")]),
    ("select to the end of the line", [K("shift", "end")]),
    ("select to the beginning of the line", [K("shift", "home")]),
    ("go to the first tab", [K("ctrl", "1")]),
    ("switch to tab three", [K("ctrl", "3")]),
    ("Go to tab 8.", [K("ctrl", "8")]),
    # "tab three" is the third tab: three blind sets' writers (3, 17, 21) meant it so, none the key; with "times" the key
    ("tab three", [K("ctrl", "3")]),
    ("tab three times", [K("tab", repeat=3)]),
    ("last tab", [K("ctrl", "shift", "tab")]),
    ("delete the next word", [K("ctrl", "delete")]),
    ("show me the numbers", [A("show_labels")]),
    ("one more time", [A("repeat_last")]),
    ("one more time, press enter", [K("enter")]),
    ("one more time. one more time.", [A("repeat_last"), A("repeat_last")]),
    ("kindly do the needful and save it", [K("ctrl", "s")]),
    # wrong actions of the dev sets' model readings, now the grammar's (blind probe sets 17 and 19)
    ("look for a word on this page", [K("ctrl", "f")]),
    ("click twice on it", [A("click", count=2)]),
    ("tuck this window away out of sight for now", [A("minimize_window")]),
    ("shrink thunderbird down out of the way", [A("minimize_window", title="thunderbird")]),
    ("go across to the next column", [K("right")]),
    ("next row", [K("down")]),
    ("switch over to the second tab along", [K("ctrl", "2")]),
    # blind probe set 21 (casual speech): "nah" corrects as "no" does, "like" before a count, slang's words
    ("next tab, nah, previous tab", [K("ctrl", "shift", "tab")]),
    ("undo, nah wait, redo", [K("ctrl", "y")]),
    # blind probe set 23 (a tremor: restarts and stutters): a start said again runs once, the same said twice twice
    ("save, save the file", [K("ctrl", "s")]),
    ("undo, undo that", [K("ctrl", "z")]),
    ("undo, undo", [K("ctrl", "z"), K("ctrl", "z")]),
    ("scroll down. scroll down.", [A("scroll", direction="down"), A("scroll", direction="down")]),
    ("go back, go back a page", [K("alt", "left")]),
    ("type, type import os", [A("type_text", text="import os")]),
    ("type hello, hello world", [A("type_text", text="hello, hello world")]),  # dictation keeps its words
    ("pause the, the music", [K("playpause")]),
    ("open the, the terminal", [A("open_app", name="terminal")]),
    ("press up up up", [K("up", repeat=3)]),
    ("press right right", [K("right", repeat=2)]),
    ("minimise everything", [K("win", "d")]),
    ("next tab, no, the previous tab", [K("ctrl", "shift", "tab")]),
    ("go to the top, sorry, the bottom of the file", [K("ctrl", "end")]),
    ("save the notebook then close the tab", [K("ctrl", "s"), K("ctrl", "w")]),
    ("reply to this one please", [A("click", target="reply")]),  # no mail app focused: its button (test_app_keys)
    ("would you mind zooming in please", [K("ctrl", "plus")]),
    ("do you mind closing the tab", [K("ctrl", "w")]),
    ("skip two songs", [K("nexttrack", repeat=2)]),
    # blind probe sets 25 and 26 (a sysadmin in the North of England, a journalist in Glasgow)
    ("press control b then c", [K("ctrl", "b"), K("c")]),  # one press verb for the keys on both sides of "then"
    ("press control a and then d", [K("ctrl", "a"), K("d")]),
    ("press enter then type hello", [K("enter"), A("type_text", text="hello")]),
    ("switch to slack, naw, whatsapp", [A("focus_window", title="whatsapp")]),  # "naw" is no
    ("press control two, naw, control three", [K("ctrl", "3")]),
    ("maximise it, no, minimise it", [A("minimize_window")]),  # a command of its own, not a window's title
    ("okay, kill that tab, don't need it", [K("ctrl", "w")]),  # why it is not wanted: no "don't" to the command
    ("right, let's have a look at the next tab then", [K("ctrl", "tab")]),
    ("let's have a look at the bottom of the page then", [K("ctrl", "end")]),
    ("okay, let's get this saved before i forget", [K("ctrl", "s")]),
    ("let's get that copied", [K("ctrl", "c")]),
    ("let's get the numbers up then", [A("show_labels")]),
    ("i want that as a big heading so press control one", [K("ctrl", "1")]),  # the model had read "i" as a key
    ("type the scottish government insists the cap is working", [A("type_text", text="the scottish government insists the cap is working")]),
    ("type hello cap john", [A("type_text", text="hello John")]),  # "cap" still capitalises a word
    ("type in this chapter we describe the setup", [A("type_text", text="in this chapter we describe the setup")]),
    ("type out of office until monday", [A("type_text", text="out of office until monday")]),
    ("type in hello world", [A("type_text", text="hello world")]),  # the particle is no text before other words
    ("type of course i will", [A("type_text", text="of course i will")]),
    # blind probe set 24 (Australian): reassurance said first is no negation; "first" said last orders, no more
    ("yeah nah, don't worry about it, just save it", [K("ctrl", "s")]),
    ("paste, actually no, copy it first", [K("ctrl", "c")]),
    ("save it first", [K("ctrl", "s")]),  # was the model's save as
    # a web search (blind probe sets 20 and 24 asked for one; none existed): the engine's address, the words encoded
    ("search google for hdfc netbanking login", [A("open_url", url="https://www.google.com/search?q=hdfc+netbanking+login")]),
    ("google cheap flights to dublin", [A("open_url", url="https://www.google.com/search?q=cheap+flights+to+dublin")]),
    ("search youtube for water cycle for kids",
     [A("open_url", url="https://www.youtube.com/results?search_query=water+cycle+for+kids")]),
    ("look up the weather in dublin on wikipedia",
     [A("open_url", url="https://en.wikipedia.org/w/index.php?search=the+weather+in+dublin")]),
    ("search the web for what's on at the cinema", [A("open_url", url="https://www.google.com/search?q=what%27s+on+at+the+cinema")]),
    # blind probe set 28 (Birmingham): "for us" as "for me", approval set off first, "let's have" the thing
    ("click goods in for us please", [A("click", target="goods in")]),
    ("bostin, archive that email", [A("click", target="archive")]),
    # blind probe set 29 (Dublin): an Irish lead word, "so" and "there" last, exasperation
    ("c'mere, go to the second tab", [K("ctrl", "2")]),
    ("jaysus, undo that", [K("ctrl", "z")]),
    ("mute it, for god's sake", [K("volumemute")]),
    ("copy that so it is", [K("ctrl", "c")]),
    ("double click over there", [A("click", count=2)]),
    # blind probe set 30 (Lagos): Nigerian English's lead words and its "o" last; "o" the key still pressed
    ("save it o", [K("ctrl", "s")]),
    ("press o", [K("o")]),
    ("abeg what can i say", [A("list_commands")]),
    ("oya type cap we finished the piling full stop", [A("type_text", text="We finished the piling.")]),
    ("please do scroll up sharp sharp", [A("scroll", direction="up")]),
    # blind probe set 32 (Singapore): particles last, "can help me" first, a number corrected with no pause
    ("refresh the page can or not", [K("f5")]),
    ("wah show numbers leh", [A("show_labels", scope="window")]),
    ("open spotify lah", [A("open_app", name="spotify")]),
    ("scroll down five no three", [A("scroll", direction="down", amount=3)]),
    ("go to tab two no tab three", [K("ctrl", "3")]),
    ("press tab four times no five times", [K("tab", repeat=5)]),
    ("type yes no maybe", [A("type_text", text="yes no maybe")]),  # no number on both sides: words typed
    # blind probe sets 37-39: a direction corrected with no pause; the value need not be last
    ("scroll up no down", [A("scroll", direction="down")]),
    ("scroll up naw down", [A("scroll", direction="down")]),
    ("zoom in no out", [K("ctrl", "minus")]),
    ("press tab three times naw two", [K("tab", repeat=2)]),
    # Glaswegian, Indian English (Hindi, Kannada) and Gen-Z lead and last words (sets 37-39)
    ("umm, swalpa zoom in", [K("ctrl", "plus")]),
    ("lowkey just go to the top of the page", [K("ctrl", "home")]),
    ("aye, save it", [K("ctrl", "s")]),
    ("turn down the music", [K("volumedown")]),
    ("crank that song up", [K("volumeup")]),
    # a toggle said twice is said for emphasis: done once ("pause it, pause it" paused and played on); not a scroll
    ("pause it, pause it", [K("playpause")]),
    ("mute, mute", [K("volumemute")]),
    ("scroll down, scroll down", [A("scroll", direction="down"), A("scroll", direction="down")]),
    ("do it again two more times", [A("repeat_last", times=2)]),
    # sets 40-42: a correction of the next/previous kind, of a chord said again from its modifier, of a number in typed
    # words set off by pauses; a command said again in other words is done once; other languages' interjections first
    ("next tab no previous tab", [K("ctrl", "shift", "tab")]),
    ("press control shift d no control shift a", [K("ctrl", "shift", "a")]),
    ("type pallet twelve, no, fourteen", [A("type_text", text="pallet fourteen")]),
    ("type yes, no, maybe", [A("type_text", text="yes, no, maybe")]),
    ("go back previous page lah", [K("alt", "left")]),
    ("go back, previous page", [K("alt", "left")]),
    ("undo undo", [K("ctrl", "z"), K("ctrl", "z")]),
    ("czekaj, take me back to where i was", [K("alt", "left")]),
    ("kurczę, undo that", [K("ctrl", "z")]),
    ("oye, open chrome", [A("open_app", name="chrome")]),
    ("aiya undo lah", [K("ctrl", "z")]),
    ("reply all mm goi", [A("click", target="reply all")]),
    ("run standup please", [A("run_macro", name="standup")]),  # "please" is no part of a macro's name
    ("could you save that for me please?", [K("ctrl", "s")]),
    # sets 43-45: Japanese and Russian interjections first and "please" last; "blin no", "er no" correct
    ("ano, eto, scroll down please", [A("scroll", direction="down")]),
    ("blin, undo that", [K("ctrl", "z")]),
    ("take the screenshot, onegaishimasu", [A("screenshot")]),
    ("minimize it, blin no, maximize it", [A("maximize_window")]),
    ("would ya mind opening firefox for me please mate", [A("open_app", name="firefox")]),
    ("have a squiz at bom dot gov dot au", [A("open_url", url="https://bom.gov.au")]),
    # sets 49-54: "on"/"off" for switching (West African, Indian English), the South's "mash" and "carry me back", a
    # control named by its words, "sorry, i meant" correcting
    ("on the calculator for me", [A("open_app", name="calculator")]),
    ("off the music abeg", [K("playpause")]),
    ("turn off the music", [K("playpause")]),
    ("mash enter", [K("enter")]),
    ("carry me back to where i was", [K("alt", "left")]),
    ("mash the button that says comment", [A("click", target="comment")]),
    ("click the button that says comment", [A("click", target="comment")]),  # had clicked "button that says comment"
    ("hit the link called privacy policy", [A("click", target="privacy policy")]),
    ("press that save button", [A("click", target="save")]),
    ("bold that, sorry, i meant italics", [K("ctrl", "i")]),
    ("open firefox, sorry, i meant chrome", [A("open_app", name="chrome")]),
    ("and you please make this bold", [K("ctrl", "b")]),  # slt's "can you" (spoken sets 39, 54)
    ("scroll down some", [A("scroll", direction="down")]),  # the South's "some" (sets 33, 53)
    ("zoom in on the map some", [K("ctrl", "plus")]),
    ("go to youtube dot com, no, web dot whatsapp dot com", [A("open_url", url="https://web.whatsapp.com")]),
    ("search youtube for it is well with my soul, no, how great thou art",
     [A("open_url", url="https://www.youtube.com/results?search_query=how+great+thou+art")]),
    ("if you wouldn't mind, go back to the page i was on", [K("alt", "left")]),
    ("bring back the chrome window please", [A("restore_window", title="chrome")]),  # set 43: the model's had no title
    ("yalla save the notebook", [K("ctrl", "s")]),  # sets 46-48: Arabic, Korean, Afrikaans, Midwestern interjections
    ("aigoo, undo that", [K("ctrl", "z")]),
    ("lekker, save it", [K("ctrl", "s")]),
    ("ope sorry, close that tab", [K("ctrl", "w")]),  # spoken, the model's was below the speech threshold
    ("save the sheet and close the tab", [K("ctrl", "s"), K("ctrl", "w")]),
    ("cut that music off", [K("playpause")]),  # it was ctrl+x; "stop the music" the model's focus and ctrl+q
    ("stop the music", [K("playpause")]),
    # dictation's marks said by name keep "write <word> up ..." dictation; "type your name, full stop" stays talk
    ("write pr's up comma could somebody gie it a look question mark", [A("type_text", text="pr's up, could somebody gie it a look?")]),
    # blind probe set 34 (Amsterdam): Dutch "nee", an ordinal corrected with no pause, a wait alone is talk;
    # a code formatter inside dictation formats the name after it; "type spell ..." spells
    ("scroll down five nee ten", [A("scroll", direction="down", amount=10)]),
    ("go to the third tab no the fourth tab", [K("ctrl", "4")]),
    ("ja genau next tab", [K("ctrl", "tab")]),
    ("wait two seconds", [A("wait", seconds=2.0)]),
    ("type select snake customer id", [A("type_text", text="select customer_id")]),
    ("type git switch kebab fix null dates", [A("type_text", text="git switch fix-null-dates")]),
    ("type we watched snake eyes", [A("type_text", text="we watched snake eyes")]),  # nothing it would format
    ("type i saw a camel at the zoo", [A("type_text", text="i saw a camel at the zoo")]),
    ("type spell victor oscar golf", [A("type_text", text="vog")]),
    ("type spell check is on", [A("type_text", text="spell check is on")]),
    # blind probe set 33 (Georgia): Southern lead words, "right quick", "some" and "a notch" as amounts
    ("might could zoom in on the map", [K("ctrl", "plus")]),
    ("well go on and save it", [K("ctrl", "s")]),
    ("if you don't mind take a screenshot", [A("screenshot")]),
    ("turn the volume up a notch", [K("volumeup")]),
    # blind probe set 35 (South London): Jamaican English's lead words and "di", "man" last
    ("cho, undo that", [K("ctrl", "z")]),
    ("ah beg yuh click fifteen", [A("click_label", label=15)]),
    ("go to di top of di page", [K("ctrl", "home")]),
    ("zoom in please, man", [K("ctrl", "plus")]),
    # blind probe set 36 (Montreal): Quebec French lead words and calques, "non pardon" corrects
    ("ok là make a save", [K("ctrl", "s")]),
    ("voilà save it", [K("ctrl", "s")]),
    ("pass to the third tab", [K("ctrl", "3")]),
    ("reduce the window", [A("minimize_window")]),
    ("click twelve non pardon click thirteen", [A("click_label", label=13)]),
    ("type non sequitur", [A("type_text", text="non sequitur")]),
    # blind probe set 31 (Swansea): the tag "is it" last
    ("next tab is it", [K("ctrl", "tab")]),
    # blind probe set 19: forward as back goes, an app started "up"
    ("go forward to the page i was just on", [K("alt", "right")]),
    ("start firefox up would you", [A("open_app", name="firefox")]),
    # blind probe set 20 (Indian English): "only" for emphasis, "do" a chord, why keys are pressed said with "for"
    ("enter only", [K("enter")]),
    ("first do control home, then type particulars", [K("ctrl", "home"), A("type_text", text="particulars")]),
    ("press tab for completing the name", [K("tab")]),
    # wrong actions and lost words of blind probe sets 14, 15, 17, 19 and 21 (the model's readings before)
    ("take a screenshot and save it as meme dot png", [A("screenshot", path="meme.png")]),
    ("open reddit dot com in a new tab", [A("open_url", url="https://reddit.com")]),
    ("save it before vs code crashes again", [K("ctrl", "s")]),
    ("zoom in, no, out, zoom out", [K("ctrl", "minus")]),
    ("close it, close the tab", [K("ctrl", "w")]),
    ("title the great gatsby", [A("type_text", text="The Great Gatsby")]),
    ("open youtube", [A("open_url", url="https://www.youtube.com")]),
    ("press down, down five times", [K("down", repeat=5)]),
    ("take me to the other program", [K("alt", "tab")]),
    ("open up a new document", [K("ctrl", "n")]),  # was the model's ctrl+o (blind probe set 17)
    ("make it fill the screen", [A("maximize_window")]),
    ("put the window back to how it was", [A("restore_window")]),
    ("bring the firefox window back up please", [A("restore_window", title="firefox")]),
    ("open gmail in a new tab", [A("open_url", url="https://mail.google.com")]),
    ("righto, save it", [K("ctrl", "s")]),
    ("bold, no hang on, underline it", [K("ctrl", "u")]),
    ("stop presenting", [K("escape")]),
    ("type regarding the invoices, full stop", [A("type_text", text="regarding the invoices.")]),
    ("type see ya tomorrow, nah, type see ya tonight", [A("type_text", text="see ya tonight")]),
    ("undo that like three times", [K("ctrl", "z", repeat=3)]),
    ("type i like 2 dogs", [A("type_text", text="i like 2 dogs")]),
    ("vol down twice", [K("volumedown", repeat=2)]),
    ("gimme the fifth tab", [K("ctrl", "5")]),
    ("kill tab", [K("ctrl", "w")]),
    ("run it back", [A("repeat_last")]),
    ("do that again three times", [A("repeat_last", times=3)]),
    ("bruh next tab already", [K("ctrl", "tab")]),
    ("back one song", [K("prevtrack")]),
    ("could you bookmark this page for me", [K("ctrl", "d")]),
    ("open spotify and discord", [A("open_app", name="spotify"), A("open_app", name="discord")]),
    ("minimize discord and spotify", [A("minimize_window", title="discord"), A("minimize_window", title="spotify")]),
    ("go to the end of the line and type a colon", [K("end"), A("type_text", text=":")]),
    ("type a cat", [A("type_text", text="a cat")]),
    ("type a space", [A("type_text", text="a space")]),  # a mark only by a name of the punctuation table
    ("type dear john, nah, dear jonathan", [A("type_text", text="dear jonathan")]),
    ("move the cursor up three lines real quick", [K("up", repeat=3)]),
    ("grid eight six click", [A("grid_narrow", cells=[8, 6]), A("click")]),
    ("start recording my macro called greet", [A("start_recording", name="greet")]),
    ("record a macro with the name greet", [A("start_recording", name="greet")]),  # the naming words are no name
    ("begin record a macro with name greet", [A("start_recording", name="greet")]),
    ("delete the macro with the name greet", [A("delete_macro", name="greet")]),
    ("click 300 200", [A("click", x=300, y=200)]),  # was a click on the text "300 200"
    ("click twelve", [A("click_label", label=12)]),  # one number: still a label
    ("pick twelve", [A("click_label", label=12)]),
    # dialogs, forms and menus without a mouse (were ctrl+f, alt+left, ctrl+tab, ctrl+o, ctrl+l from the model)
    ("check the box", [K("space")]),
    ("delete the selection", [K("delete")]),  # was ctrl+x from the model: the clipboard overwritten
    ("open a new document", [K("ctrl", "n")]),  # was ctrl+o
    ("minimize all", [K("win", "d")]),  # was minimize_window "all"
    ("previous field", [K("shift", "tab")]),
    ("tab to the next button", [K("tab")]),
    ("open the file menu", [K("alt", "f")]),
    ("go to the menu bar", [K("f10")]),
    ("go to the bottom of the page", [K("ctrl", "end")]),
    ("open the start menu", [K("win")]),  # was open_app "start menu"
    ("show applications", [K("win")]),
    # --- media keys (were a scroll up, a wait, a window titled "song")
    ("volume up", [K("volumeup")]),
    ("turn the volume down two", [K("volumedown", repeat=2)]),
    ("mute", [K("volumemute")]),
    ("pause the music", [K("playpause")]),
    ("next song", [K("nexttrack")]),
    ("previous track", [K("prevtrack")]),
    ("go to the address bar and type example dot com", [K("ctrl", "l"), A("type_text", text="example.com")]),
    ("focus on notes", [A("focus_window", title="notes")]),
    ("go to the mail window", [A("focus_window", title="mail")]),
    ("close the window", [A("close_window")]),
    ("Close window.", [A("close_window")]),
    ("close this window", [A("close_window")]),
    # --- waiting, screenshots
    ("wait two seconds", [A("wait", seconds=2)]),
    ("Wait 5 seconds.", [A("wait", seconds=5)]),
    ("wait half a second", [A("wait", seconds=0.5)]),
    ("wait one and a half seconds", [A("wait", seconds=1.5)]),
    ("pause for 3 seconds", [A("wait", seconds=3)]),
    ("take a screenshot", [A("screenshot")]),
    ("Take a screen shot.", [A("screenshot")]),
    ("screenshot", [A("screenshot")]),
    ("capture the screen", [A("screenshot")]),
    # --- fillers
    ("please copy that", [K("ctrl", "c")]),
    ("Okay, paste.", [K("ctrl", "v")]),
    ("can you scroll down please", [A("scroll", direction="down")]),
    ("is it possible to cut this", [K("ctrl", "x")]),  # a request put as a question, as "can you"
    ("click where it says submit", [A("click", target="submit")]),  # the place named is the text on screen
    ("double click where it says readme", [A("click", target="readme", count=2)]),
    # blind probe set 7's kinds
    ("bin that last word", [K("ctrl", "backspace")]),  # British "bin" for delete
    ("select the rest of this line", [K("shift", "end")]),
    ("start a new paragraph", [K("enter")]),
    ("scrap what i just typed", [A("erase_typed")]),
    ("no wait, scratch that", [A("erase_typed")]),
    ("could you move the page down, i can't see the rest", [A("scroll", direction="down")]),
    ("start libreoffice writer", [A("open_app", name="libreoffice writer")]),
    ("take me back to the page i was looking at before", [K("alt", "left")]),
    ("stop loading this page", [K("escape")]),
    ("click in the address bar", [K("ctrl", "l")]),  # a key: the bar shows the address, never its name
    ("copy the link from the address bar", [K("ctrl", "l"), K("ctrl", "c")]),
    ("take me to tab three", [K("ctrl", "3")]),
    ("turn the sound down a smidge", [K("volumedown")]),
    ("put a grid on this window", [A("mouse_grid", scope="window")]),
    ("what commands do you understand", [A("list_commands")]),
    ("open spotify, wait five seconds, then hit play", [A("open_app", name="spotify"), A("wait", seconds=5.0), K("playpause")]),
    ("would it be possible to scroll down", [A("scroll", direction="down")]),
    ("now press enter", [K("enter")]),
    # --- macros
    ("run standup", [A("run_macro", name="standup")]),
    ("Run stand up.", [A("run_macro", name="standup")]),
    ("run my standup workflow", [A("run_macro", name="standup")]),
    ("run the standup macro", [A("run_macro", name="standup")]),
    ("start my day", [A("run_macro", name="standup")]),
    ("Start my day.", [A("run_macro", name="standup")]),
    ("run standup and then press enter", [A("run_macro", name="standup"), K("enter")]),
    # --- kinds from blind probe set 6 (2026-12-05): other verbs for selecting and going, units, nouns of the grid
    ("highlight the previous word", [K("ctrl", "shift", "left")]),
    ("click the highlight button", [A("click", target="highlight")]),
    ("jump to tab two", [K("ctrl", "2")]),
    ("go over to the fifth tab", [K("ctrl", "5")]),
    ("select from here down to the end of the document", [K("ctrl", "shift", "end")]),
    ("bring up search and replace", [K("ctrl", "h")]),
    ("take me back to the page i was on before", [K("alt", "left")]),
    ("get libre office going", [A("open_app", name="libreoffice")]),
    ("grid square seven", [A("grid_narrow", cells=[7])]),
    ("drag it to grid square three", [A("grid_drag", cells=[3])]),
    ("put numbers on everything on the whole screen", [A("show_labels", scope="screen")]),
    ("volume down three notches", [K("volumedown", repeat=3)]),
    ("do that twice more", [A("repeat_last", times=2)]),
    ("i'm done, stop the recording", [A("stop_recording")]),  # a remark about oneself, a pause, the command
    ("i was wrong, undo it", [K("ctrl", "z")]),
    # readings of the spoken blind set 6 (slt, en-us+m1, en-us+f2) that were no command or the wrong one
    ("put that in bold.", [K("ctrl", "b")]),
    ("underline what I selected.", [K("ctrl", "u")]),
    ("put it back to normal size.", [A("restore_window")]),  # the model's only, below the spoken threshold
    # "unmaximize this" heard in every dev voice: "un-" written "and" where nothing comes before to join
    ("and maximize this.", [A("restore_window")]),
    ("open firefox and maximize it", [A("open_app", name="firefox"), A("maximize_window")]),
    ("go in the next tab please.", [K("ctrl", "tab")]),
    ("reload this web site.", [K("f5")]),
    ("cover over number five.", [A("move_to_label", label=5)]),
    ("click under 12.", [A("click_label", label=12)]),  # "number" heard "under": was a click on the text "under 12"
    ("right click under 30.", [A("click_label", label=30, button="right")]),
    ("click under the table", [A("click", target="under the table")]),
    ("click save. then close the window", [A("click", target="save"), A("close_window")]),
    # blind probe set 8's first read (kinds, not its lines): corrections, apps, fillers, the cursor, the page
    ("open chrome, no wait, open firefox", [A("open_app", name="firefox")]),
    ("scroll down, actually scroll up", [A("scroll", direction="up")]),
    ("press enter, no wait, escape", [K("escape")]),
    ("open firefox, I mean chrome", [A("open_app", name="chrome")]),  # a value put in place
    ("scroll down five, I mean three", [A("scroll", direction="down", amount=3)]),
    ("switch to the terminal window, I mean firefox", [A("focus_window", title="firefox")]),
    ("click save, sorry, cancel", [A("click", target="cancel")]),  # alone, "cancel" is Escape
    ("type hello, sorry, type goodbye", [A("type_text", text="goodbye")]),
    ("select all, i mean copy", [K("ctrl", "c")]),
    ("type sorry then press enter", [A("type_text", text="sorry"), K("enter")]),  # no command before "sorry"
    ("fire up steam", [A("open_app", name="steam")]),
    # blind probe set 10's first read: a correction that puts two values in place, a bare "no" before the command
    # said again (and only then: "type no problem" types it)
    ("scroll down, no wait, up five", [A("scroll", direction="up", amount=5)]),
    ("open spotify, no, open thunderbird", [A("open_app", name="thunderbird")]),
    ("type no problem", [A("type_text", text="no problem")]),
    # blind probe set 12's first read (people new to computers or to English): a bare "no" set off by pauses puts a
    # value in place or says another command; in typed text it stays a word unless the command is said again
    ("scroll up... no, down", [A("scroll", direction="down")]),
    ("maximize, no, minimize the window", [A("minimize_window")]),
    ("press enter, ah no, press tab", [K("tab")]),
    ("wait three, no, five seconds", [A("wait", seconds=5)]),
    ("type yes, no, maybe", [A("type_text", text="yes, no, maybe")]),
    ("scroll up. no down.", [A("scroll", direction="down")]),  # slt's reading: a "no" that begins a sentence
    ("type hello no problem", [A("type_text", text="hello no problem")]),
    # blind probe sets 67-70 (typed, no pauses): a value said twice for emphasis after "no" is said once; a bare "no"
    # before a command said whole of more than one word, after one that types nothing, corrects it
    ("scroll down no up up", [A("scroll", direction="up")]),
    ("volume up oh no down down", [K("volumedown")]),
    ("minimize it no maximize it", [A("maximize_window")]),
    ("scroll up no go to the top", [K("ctrl", "home")]),
    ("type no no no", [A("type_text", text="no no no")]),
    ("press the escape button", [K("escape")]),  # a key called a button; any other button is clicked
    ("press the submit button", [A("click", target="submit")]),
    ("move the little arrow right fifty", [A("nudge_mouse", direction="right", pixels=50)]),
    ("put the little arrow on number eight", [A("move_to_label", label=8)]),
    ("click with the right button", [A("click", button="right")]),
    ("double click on the number seven", [A("click_label", label=7, count=2)]),
    ("go to second tab", [K("ctrl", "2")]),  # an article left out: a near miss
    ("switch to other window", [K("alt", "tab")]),
    ("zoom in please, the letters are too small for my eyes", [K("ctrl", "plus")]),  # a remark about a thing after
    ("i finished the email, now press enter", [K("enter")]),  # what the speaker did, then "now ..."
    ("oh this song is terrible, next song", [K("nexttrack")]),
    ("open for me youtube dot com", [A("open_url", url="https://youtube.com")]),
    ("ok now save it please before i forget", [K("ctrl", "s")]),
    ("turn down the volume two times", [K("volumedown", repeat=2)]),
    ("more loud please", [K("volumeup")]),
    ("take away the grid please", [A("hide_overlay", what="grid")]),
    ("what i can say to you", [A("list_commands")]),
    ("make the firefox window big", [A("maximize_window", title="firefox")]),
    ("put the song before", [K("prevtrack")]),
    ("i want to search a word in this page", [K("ctrl", "f")]),  # no word said: the find bar
    # blind probe set 13's first read (a whole day by voice with a motor disability): kinds, not its lines
    ("tick the box that says remember me", [A("click", target="remember me")]),
    ("check the box for newsletter", [A("click", target="newsletter")]),
    ("ugh, page down", [K("pagedown")]),  # impatience said first
    ("oh come on, just click number twelve", [A("click_label", label=12)]),
    ("hide the numbers and give me the mouse grid", [A("hide_overlay", what="labels"), A("mouse_grid")]),
    ("i don't need that, close this tab", [K("ctrl", "w")]),  # a remark said first, the command not pointing back
    ("okay, they're waiting, click join meeting", [A("click", target="join meeting")]),
    ("press escape, that popup is in the way", [K("escape")]),
    ("read me the... no, go to the bottom", [K("ctrl", "end")]),  # a start that trailed off, then a command whole
    ("oh come on, just click save and continue", [A("click", target="save and continue")]),  # a name holding "and"
    ("click save and close the window", [A("click", target="save"), A("close_window")]),  # ... not before a command
    ("hit the submit button", [A("click", target="submit")]),
    ("select everything in this box", [K("ctrl", "a")]),  # where the focus is already
    ("paste it in this field", [K("ctrl", "v")]),  # not a window called "this field"
    ("slide numbers.", [A("hide_overlay", what="labels")]),  # slt's "hide numbers"
    ("drag from one hundred one hundred eight hundred six hundred.",  # "to" not heard (en-us+m1)
     [A("drag", to_x=800, to_y=600, from_x=100, from_y=100)]),
    # blind probe set 11's first read (phrasings of people who never saw a command list): kinds, not its lines
    ("restore down", [A("restore_window")]),  # Windows' name for it, not a window called "down"
    ("save this file", [K("ctrl", "s")]),
    ("oh no, undo that", [K("ctrl", "z")]),
    ("i didn't mean to do that, undo it", [K("ctrl", "z")]),  # a regret said first
    ("my hands are aching, could you scroll down for me", [A("scroll", direction="down")]),
    ("narrow it to square five", [A("grid_narrow", cells=[5])]),
    ("go into square nine", [A("grid_narrow", cells=[9])]),
    ("drag that over to grid square three", [A("grid_drag", cells=[3])]),
    ("put the cursor at the beginning of this line", [K("home")]),
    ("do one thing, open the calculator", [A("open_app", name="calculator")]),
    ("copy this. open the address bar and paste.", [K("ctrl", "c"), K("ctrl", "l"), K("ctrl", "v")]),
    ("pop open the calendar app", [A("open_app", name="calendar")]),
    ("kindly open outlook", [A("open_app", name="outlook")]),
    ("yo skip this song", [K("nexttrack")]),
    ("open up slack would ya", [A("open_app", name="slack")]),
    ("please to type good morning", [A("type_text", text="good morning")]),
    ("delete the word after the cursor", [K("ctrl", "delete")]),
    ("select everything up to the start of the line", [K("shift", "home")]),
    ("erase what you just typed", [A("erase_typed")]),
    ("show a grid on just this window", [A("mouse_grid", scope="window")]),
    ("stop the page loading", [K("escape")]),
    ("switch back to excel", [A("focus_window", title="excel")]),
    ("what commands can i use here", [A("list_commands")]),
    # lead-ins that end in "and" (a command never spans "and", so no segment could strip them), and polite ones
    ("go ahead and open firefox", [A("open_app", name="firefox")]),
    ("be a dear and zoom in", [K("ctrl", "plus")]),
    ("if you could scroll down", [A("scroll", direction="down")]),
    ("alright then, copy that", [K("ctrl", "c")]),
    ("open firefox if you don't mind", [A("open_app", name="firefox")]),
    ("zoom in, cheers mate", [K("ctrl", "plus")]),
    ("save the file asap", [K("ctrl", "s")]),
    # blind probe set 9's first read, as kinds
    ("delete the letter before the cursor", [K("backspace")]),
    ("this page isn't loading right, refresh it", [K("f5")]),  # a remark said first, a pause, the command
    ("okay i'm done, stop recording", [A("stop_recording")]),
    ("can we get rid of this tab", [K("ctrl", "w")]),
    ("it's way too zoomed in, zoom back out", [K("ctrl", "minus")]),
    ("bring the thunderbird window to the front please", [A("focus_window", title="thunderbird")]),
    ("just quit the whole app", [K("ctrl", "q")]),
    ("put a grid over just this window", [A("mouse_grid", scope="window")]),
    ("i can't use the mouse, put numbers on the buttons", [A("show_labels")]),
    ("label everything on the whole screen", [A("show_labels", scope="screen")]),
    ("what can i tell you to do in this window", [A("list_commands")]),
    ("no, delete what i just dictated", [A("erase_typed")]),
    ("turn the volume up three notches", [K("volumeup", repeat=3)]),
    ("click at x640 y360.", [A("click", x=640, y=360)]),  # an axis and its number run together (slt, en-us+f2)
    ("rename it to final draft and hit enter", [K("f2"), A("type_text", text="final draft"), K("enter")]),
    ("click yeah", [A("click", target="yeah")]),  # "yeah" ends nothing: "click yes" is heard so
    # a filler's words are glue only inside the filler: "as" of "as well", not of "save as"
    ("new file, type shopping list, save as", [K("ctrl", "n"), A("type_text", text="shopping list"), K("ctrl", "shift", "s")]),
    # blind probe set 14's first read: corrections that put a value of the same kind in place inside the command,
    # or say another command with its own verb, or come with more interjections
    ("go to the fourth tab, no, the fifth", [K("ctrl", "5")]),
    ("go to the fourth tab, i mean the fifth", [K("ctrl", "5")]),
    ("jump to tab three, no, four", [K("ctrl", "4")]),  # "four" alone is no grid cell here
    ("go to tab three, no, tab four", [K("ctrl", "4")]),  # not the tab key pressed four times
    ("volume up, no, down", [K("volumedown")]),
    ("zoom in, no, out", [K("ctrl", "minus")]),
    ("maximize slack, sorry, minimize slack", [A("minimize_window", title="slack")]),  # not a window "minimize slack"
    ("open firefox, actually no, open terminal", [A("open_app", name="terminal")]),
    ("scroll down five, make that ten", [A("scroll", direction="down", amount=10)]),
    ("select all, make that bold", [K("ctrl", "a"), K("ctrl", "b")]),  # "make that" corrects only a number
    ("copy, no, cut", [K("ctrl", "x")]),
    ("back two words", [K("ctrl", "left", repeat=2)]),
    ("once more", [A("repeat_last")]),
    ("find on page", [K("ctrl", "f")]),
    # blind probe set 15's first read (a writer and spreadsheet user with RSI): lines, cells, ranges, a word cut
    ("go down four lines", [K("down", repeat=4)]),
    ("move right two cells", [K("right", repeat=2)]),
    ("down five cells", [K("down", repeat=5)]),
    ("select down four lines", [K("shift", "down", repeat=4)]),
    ("tab over three", [K("tab", repeat=3)]),
    ("select back to the start of the line", [K("shift", "home")]),
    ("select everything down to the end of the document", [K("ctrl", "shift", "end")]),
    ("select up to the beginning of the document", [K("ctrl", "shift", "home")]),
    ("go to the top of the sheet", [K("ctrl", "home")]),
    ("jump to the top of the doc", [K("ctrl", "home")]),
    ("cut the next word", [K("ctrl", "shift", "right"), K("ctrl", "x")]),
    ("cut this and paste it at the end of the line", [K("ctrl", "x"), K("end"), K("ctrl", "v")]),
    ("open find and type budget", [K("ctrl", "f"), A("type_text", text="budget")]),
    ("search this page for quarterly", [K("ctrl", "f"), A("type_text", text="quarterly")]),
    ("find the word budget", [K("ctrl", "f"), A("type_text", text="budget")]),
    ("rename this file.", [K("f2")]),
    ("search in the page the word invoice", [K("ctrl", "f"), A("type_text", text="invoice")]),
    ("start recording the macro called greet", [A("start_recording", name="greet")]),
    ("right now press enter twice.", [K("enter", repeat=2)]),  # slt's "right, now press enter twice"
    ("scroll right now", [A("scroll", direction="right")]),  # "right now" is no filler at the end
    ("show numbers on this window", [A("show_labels")]),
    ("minimize all my windows", [K("win", "d")]),
    ("scratch that last bit", [A("erase_typed")]),
    ("do it three more times", [A("repeat_last", times=3)]),
    ("type open quote good morning close quote she said", [A("type_text", text='"good morning" she said')]),
    ("type sam dot lee at sign example dot com", [A("type_text", text="sam.lee@example.com")]),
    ("type sam dot lee at example dot com", [A("type_text", text="sam.lee@example.com")]),  # "at" in an address
    ("type sam at example dot com", [A("type_text", text="sam@example.com")]),
    ("type i work at example dot com", [A("type_text", text="i work at example.com")]),  # a sentence keeps it
    # blind probe set 17
    ("write arrow three times.", [K("right", repeat=3)]),  # slt's "right arrow three times"
    ("write click on that", [A("click", button="right")]),
    ("double click on this icon", [A("click", count=2)]),  # was a click on the text "this"
    ("okay pause the lecture video for a sec", [K("playpause")]),
    ("okay bring the volume down two notches", [K("volumedown", repeat=2)]),
    ("turn it up three", [K("volumeup", repeat=3)]),
    ("bring up the grid", [A("mouse_grid")]),
    ("could you please save my essay", [K("ctrl", "s")]),
    ("zoom in on this slide", [K("ctrl", "plus")]),
    ("please maximize the okular window", [A("maximize_window", title="okular")]),
    # blind probe set 19 (a person new to computers)
    ("show me the list of commands", [A("list_commands")]),
    ("next picture", [K("right")]),
    ("go back to the picture before", [K("left")]),
    ("louder three times", [K("volumeup", repeat=3)]),
    ("turn the sound off and lock the screen", [K("volumemute"), K("win", "l")]),
    ("put the grid up", [A("mouse_grid")]),
    ("take the numbers away", [A("hide_overlay", what="labels")]),
    ("start me a fresh line please", [K("enter")]),
    ("rub that out", [A("erase_typed")]),
    ("go to the bottom of the recipe", [K("ctrl", "end")]),
    ("click on the little x thing in the corner", [A("close_window")]),
    ("click the little x on this tab", [K("ctrl", "w")]),
    ("start a new recording called sunday call", [A("start_recording", name="sunday call")]),
    ("would you be so kind as to open thunderbird for me", [A("open_app", name="thunderbird")]),
    ("make that bold, no, underline it instead", [K("ctrl", "u")]),
    # why it is wanted, said after it (acknowledged.before_purpose); dictation keeps it
    ("could you please open zoom so i can talk to the grandchildren", [A("open_app", name="zoom")]),
    ("please save this email for me so i don't lose it", [K("ctrl", "s")]),
    ("type so i can go", [A("type_text", text="so i can go")]),
    # a remark first: what one has done or what is there
    ("oh i've clicked on the wrong thing, take me back to where i was", [K("alt", "left")]),
    ("there's a little video of a cat on the news, could you pause it", [K("playpause")]),
    ("these pop ups drive me round the bend, just click accept all cookies", [A("click", target="accept all cookies")]),
    # blind probe set 20 (an accountant whose English is a second language)
    ("please to open the calc", [A("open_app", name="calc")]),
    ("please open document viewer", [A("open_app", name="document viewer")]),
    ("go to the before page", [K("alt", "left")]),
    ("the before sheet", [K("ctrl", "pageup")]),
    ("go to the next sheet", [K("ctrl", "pagedown")]),
    ("take me till the last page", [K("ctrl", "end")]),
    ("go on the first page", [K("ctrl", "home")]),
    ("mouse up hundred", [A("nudge_mouse", direction="up", pixels=100)]),
    ("open hdfc bank dot com", [A("open_url", url="https://hdfcbank.com")]),
    ("go to intranet dot acme corp dot com", [A("open_url", url="https://intranet.acmecorp.com")]),
    ("click on the approve button, no, reject", [A("click", target="reject")]),
    ("right click on this cell", [A("click", button="right")]),
    ("double click this folder", [A("click", count=2)]),
    ("what all commands i can say", [A("list_commands")]),
    ("search total liabilities in this pdf", [K("ctrl", "f"), A("type_text", text="total liabilities")]),
    ("search on this page for gst", [K("ctrl", "f"), A("type_text", text="gst")]),
    ("zoom out little", [K("ctrl", "minus")]),
    # a key between pauses in dictation, as a form or a sheet's row is filled in
    ("type gst payable, tab, two thousand, enter", [A("type_text", text="gst payable"), K("tab"),
                                                     A("type_text", text="two thousand"), K("enter")]),
    ("type name, tab, age", [A("type_text", text="name"), K("tab"), A("type_text", text="age")]),
    ("type hello tab world", [A("type_text", text="hello tab world")]),
    ("type wait till the end", [A("type_text", text="wait till the end")]),
    # once more, said right after the command: it, once; after a pause or alone: a repeat
    ("press enter one more time", [K("enter")]),
    ("reload the page one more time", [K("f5")]),
    ("undo again", [K("ctrl", "z")]),
    ("press enter. one more time", [K("enter"), A("repeat_last")]),
    ("one more time", [A("repeat_last")]),
    ("left, left", [K("left", repeat=2)]),
    ("down down down", [K("down", repeat=3)]),
    ("down a bit", [A("scroll", direction="down")]),
    # blind probe sets 55, 56: a correction after a command that names nothing installed (it is taken back); an
    # address on ".so"; Scots and Doric words; "do again"
    ("open notion, no wait, open slack", [A("open_app", name="slack")]),
    ("open zorblax, no, thunderbird", [A("open_app", name="thunderbird")]),
    ("go to notion dot so", [A("open_url", url="https://notion.so")]),
    ("scroll doon a wee bit if ye widna mind", [A("scroll", direction="down")]),
    ("switch tae the ither windae", [K("alt", "tab")]),
    ("zoom in, no, oot", [K("ctrl", "minus")]),
    ("dae that twice mair", [A("repeat_last", times=2)]),
    ("do again one more time", [A("repeat_last")]),
    ("write a new email and type hello", [A("click", target="compose"), A("type_text", text="hello")]),  # an app action, then text
    ("write save and press enter", [A("type_text", text="save"), K("enter")]),
    # blind probe sets 57, 58: Greek and Farsi interjections first ("ela" is a given name too), "merci" last, a
    # drawing zoomed, the page "before", "just now" and "for him" said last, a mail to the bin
    ("ela, scroll down", [A("scroll", direction="down")]),
    ("yani, zoom in on the drawing", [K("ctrl", "plus")]),
    ("please save my work, merci", [K("ctrl", "s")]),
    ("go to before page", [K("alt", "left")]),
    ("remove what you wrote just now", [A("erase_typed")]),
    ("let's scroll down", [A("scroll", direction="down")]),
    ("google thank you notes", [A("open_url", url="https://www.google.com/search?q=thank+you+notes")]),
    ("type hello period", [A("type_text", text="hello.")]),
    ("type the report is due by the end of the period period", [A("type_text", text="the report is due by the end of the period.")]),
    # blind probe sets 59-62: a quote that is a noun, a bare "no" between two addresses, "write a new email" after
    # another command, Thai particles last, West African "small small", "reply this mail", apps
    ("type i will send the quote today period", [A("type_text", text="i will send the quote today.")]),
    ("type he said quote hello quote", [A("type_text", text='he said "hello"')]),
    ("go to youtube dot com no facebook dot com", [A("open_url", url="https://facebook.com")]),
    ("switch to thunderbird and write a new email", [A("focus_window", title="thunderbird"), K("ctrl", "n")]),
    ("can you please pause the music ka", [K("playpause")]),
    ("scroll down small small", [A("scroll", direction="down")]),
    ("go to whatsapp", [A("focus_window", title="whatsapp")]),
    ("open powershell", [A("open_app", name="powershell")]),
    # blind probe sets 63-66: Spanish "de antes" and "más grande", a search said as two steps, "aah wait" first, a
    # thing named first and taken up with "it" (topic.py)
    ("go to the page of before", [K("alt", "left")]),
    ("put the volume more low", [K("volumedown")]),
    ("open the google and search for rate parity meaning",
     [A("open_url", url="https://www.google.com/search?q=rate+parity+meaning")]),
    ("aah wait, go back", [K("alt", "left")]),
    ("this window, maximize it", [A("maximize_window")]),
    # blind probe sets 67-70 (a new prompt: the person's own words): a word said alone, Spanish "actualizar" and
    # "hasta", ways to restore, to open a web app, to say why after a command with no pause
    ("back", [K("alt", "left")]),
    ("okay back please", [K("alt", "left")]),
    ("tab over", [K("tab")]),
    ("actualize the page", [K("f5")]),
    ("go until the end of the document", [K("ctrl", "end")]),
    ("go back to the other one", [K("alt", "tab")]),
    ("maximize this thing", [A("maximize_window")]),
    ("get this outta the way", [A("minimize_window")]),
    ("bring it back normal size", [A("restore_window")]),
    ("continue the music", [K("playpause")]),
    ("put the numbers on the whole screen", [A("show_labels", scope="screen")]),
    ("go back to the song before", [K("prevtrack")]),
    ("pull up my google calendar", [A("open_url", url="https://calendar.google.com")]),
    ("please open for me the youtube", [A("open_url", url="https://www.youtube.com")]),
    ("could you zoom in a bit please i can't see the notes", [K("ctrl", "plus")]),
    ("uh what do you call it mute the sound", [K("volumemute")]),
    ("open the snipping tool", [A("open_app", name="snipping tool")]),
    ("this email put it in the archive", [A("click", target="archive")]),  # a topic with no pause: no mail app known
    ("make more big the sound", [K("volumeup")]),
    ("the sound make it little down", [K("volumedown")]),
    ("quit the sound", [K("volumemute")]),  # Spanish "quitar": never the quit of an app called "sound"
    ("get rid of them numbers", [A("hide_overlay", what="labels")]),
    ("start the film back up", [K("playpause")]),
    ("click twenty free.", [A("click_label", label=23)]),  # slt's reading of "click twenty three" (sets 67-69)
]

NOT_COMMANDS = [
    "back in five",  # "back" is a command alone only (`alone: true`): "i'm grabbing some coffee, back in five" (set 22)
    "top",  # praise in German ("top!", blind probe set 34's talk), not the top of the page
    "let's end",  # slt's reading of "that's grand" pressed End (blind probe set 56); "let's scroll down" still scrolls
    "google thanks",  # a search for courtesy alone ("okay cool, thanks" heard "okay Google thanks.", set 33)
    "click close the door",  # en-us+m3's reading of "honey close the door please, ..." (blind probe set 55): the room's
    "close enough, that'll do",  # a contraction of "will" names no window (blind probe set 23)
    "start recording your observations in the table",  # to a class: the listener's (blind probe set 24)
    "type of optimizer doesn't matter that much",  # "type" the noun (blind probe set 27)
    "type and screen is back she's o positive",  # ... and a blood test (blind probe set 65)
    "type your phone number on the ipad",  # what a customer is to fill in (blind probe set 63)
    "type it and send it to me",  # "it" is nothing to type (blind probe set 64)
    "you should google that",  # a web search said to a person
    "we should get the car washed",  # a thing to get done by someone, not "let's get this saved" (blind probe set 25)
    "i want you to leave so close the door",  # what the speaker wants of a person
    "smash that attack button",  # a formatter's word as a verb: was typed "thatattackbutton" (blind probe set 21)
    "right, right",  # said to agree
    "open spotify and the door",  # a second app only by a name the grammar knows
    "open amazon dot com and order it",  # words said apart in an address end on its domain, never on talk
     # said to someone by name (a correction beside the word makes it no name)
    "switch to your branch and run make again",  # no window is "your ..." (none listed)
    "start recording the meeting",  # "... the meeting please." was the hint's reading of "..., sam" (slt, m1, f2): a meeting, no macro
    "check the weather",  # "check" alone ticks nothing
    "i don't need the weekly report macro anymore, delete it",  # "it" is what the remark named
    "can you take me to the airport",  # "take me to" is "go to": a place is no window
    "put it in the bin the next time",
    "is it possible to close the door",  # a question lead-in as "can you": the rest must still be a command
    # a click target ends where the sentence does (en-us+m5's reading of "the kids love to click their pens in
    # class" clicked the text "there pens in class")
    "the kid is locked up. click there. pens in class.",
    "What time is it?",
    "The quick brown fox jumps over the lazy dog.",
    "I had a great weekend with my family.",
    "Can you tell me a joke?",
    "Thanks very much.",
    "I think we should go to lunch.",
    "How are you doing today?",
    "right",
    "Hmm.",
    "The window is open.",
    "My favourite number is seven.",
    "Let me think about it.",
    "type it later",  # "tab it later" (awb, short talk): doing it later is no dictation now
    "my son is in grade seven",  # "grade" is "grid" only after a word of a grid command
    "open chrome, no wait",  # the correction takes the command back and says nothing in its place
    "Right, click at 12080",  # "right click at 120 80" (slt): a place heard wrong, no text to click
    "type your name at the top and hand it in",  # said to a person (two blind sets): nobody dictates "your name"
    "start recording me. I look terrible today",  # en-us+m1's "stop recording me, ...": "me" names no macro
]

# Near-misses of command words that are still understood (never destructive ones).
NEAR_MISSES = [
    ("scrol down 5", [A("scroll", direction="down", amount=5)]),
    ("Scrolled down.", [A("scroll", direction="down")]),
    ("clik", [A("click")]),
    ("pres enter", [K("enter")]),
    ("coppy", [K("ctrl", "c")]),
    ("screenshoot", [A("screenshot")]),
    ("Brag to 500-300", [A("drag", to_x=500, to_y=300)]),
    ("press escaped", [K("escape")]),
    ("sellect all", [K("ctrl", "a")]),
    ("undoo", [K("ctrl", "z")]),
    ("mouse grade.", [A("mouse_grid")]),  # "grid" heard "grade" (slt, blind probe set 10) after a grid's word
    ("cancel grade.", [A("hide_overlay", what="grid")]),
    ("slide the numbers.", [A("hide_overlay", what="labels")]),  # "hide" heard "slide" (slt)
    ("write click label seven.", [A("click_label", label=7, button="right")]),  # en-us+m1: before a label
]

# Near-misses of destructive commands: refused, with a reason that says why.
DESTRUCTIVE_NEAR_MISSES = [
    "close the windows",
    "close tabs",
    "closed tab",
    "quitt app",
    "lock screens",
    "control shift deleted",
    "run wipes",
    "select all and close the windows",
    "close the windows and type goodbye",
]


# Readings that are no confident command (None: no action, so the audio gets the second look) and the
# forms next to them that stay commands (issue #9, the recognition bench's lost clips).
CONFIDENT: list[tuple[str, list[tuple[str, dict]] | None]] = [
    # a lone modifier (or modifiers alone): "press shift." was "press shift tab" cut short
    ("press shift.", None),
    ("Press control.", None),
    ("press super", None),
    ("press control shift", None),
    ("press alt 3 times", None),
    ("press the shift key", [K("shift")]),
    ("press the windows key", [K("win")]),
    ("hit the control key twice", [K("ctrl", repeat=2)]),
    ("press shift tab", [K("shift", "tab")]),
    # plain keys pressed together: "press f i." was "press f five" misheard
    ("press f i.", None),
    ("press a b", None),
    ("press f five", [K("f5")]),
    ("tab enter", [K("tab"), K("enter")]),  # two presses, not one chord
    # two commands with no "and" and no pause only when both are edit actions or keys said alone; these were
    # misheard speech read as two ("hit backspace three times", "hit the cancel button", "snap a screenshot")
    ("hit x paste three times", None),
    ("hide the cancel", None),
    ("tap a screenshot for me", None),
    ("select all copy", [K("ctrl", "a"), K("ctrl", "c")]),
    # a modifier after a plain key is no chord: "A win." (flite, "the game") was Super
    ("A win.", None),
    ("I shift", None),
    ("win", None),
    ("super.", None),
    ("control s", [K("ctrl", "s")]),
    # "end" heard for "and" before dictation, as between two commands; the End key where it is one
    ("open the terminal end type make test", [A("open_app", name="terminal"), A("type_text", text="make test")]),
    ("select all end type hello", [K("ctrl", "a"), A("type_text", text="hello")]),
    ("open the terminal end press enter", [A("open_app", name="terminal"), K("enter")]),
    ("Open the terminal. End. Type make test.",
     [A("open_app", name="terminal"), K("end"), A("type_text", text="make test")]),
    ("press end", [K("end")]),
    ("press end type hello", [K("end"), A("type_text", text="hello")]),
    ("press control end type hello", [K("ctrl", "end"), A("type_text", text="hello")]),
]


@pytest.fixture(scope="module")
def grammar() -> GrammarInterpreter:
    return GrammarInterpreter(None, {"standup": STANDUP, "wipe": DANGER})


def _expected(actions: list[tuple[str, dict]]) -> list[dict]:
    return [call(tool, **args).model_dump() for tool, args in actions]


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 150
    tools = {tool for _, plan in TABLE for tool, _ in plan}
    from voxctl.tools.registry import TOOLS

    assert tools == set(TOOLS), f"tools without a phrasing: {set(TOOLS) - tools}"


@pytest.mark.parametrize(("text", "actions"), TABLE, ids=[t for t, _ in TABLE])
def test_phrasing(grammar: GrammarInterpreter, text: str, actions: list) -> None:
    plan = grammar.parse(text)
    assert [c.model_dump() for c in plan.actions] == _expected(actions), plan.reason
    assert plan.source == "grammar" and plan.transcript == text and plan.reason is None


@pytest.mark.parametrize("text", NOT_COMMANDS)
def test_not_a_command(grammar: GrammarInterpreter, text: str) -> None:
    plan = grammar.parse(text)
    assert plan.actions == []
    assert plan.reason and text.strip() in plan.reason


@pytest.mark.parametrize("text", ["please wait for me, i come in two minutes", "wait for me", "hold on for us",
                                  # a wait alone with no time said: "wait wait", "wait, i have to save the notebook
                                  # first" (blind probe set 34); "wait two seconds" still waits
                                  "wait", "wait a second", "wait, i have to save the notebook first"])
def test_waiting_for_a_person_is_no_command(grammar: GrammarInterpreter, text: str) -> None:
    """Blind probe set 12's talk: "for me" ends many commands ("scroll down for me"), but not a wait."""
    plan = grammar.parse(text)
    assert plan.actions == [] and "said to a person" in (plan.reason or ""), plan.reason
    assert [a.tool for a in grammar.parse("scroll down for me").actions] == ["scroll"]


def test_a_reply_after_a_command_is_no_correction(grammar: GrammarInterpreter) -> None:
    """"click save. no way.": a bare "no" beginning a sentence corrects ("scroll up. no down."), but "no way" is a
    reply, not "way" in place of "save"."""
    plan = grammar.parse("click save. no way.")
    assert plan.actions == [] and "no way" in (plan.reason or ""), plan.reason


def test_only_confident_commands(grammar: GrammarInterpreter) -> None:
    wrong = []
    for text, actions in CONFIDENT:
        got = grammar.analyse(text)
        if [c.model_dump() for c in got.plan.actions] != _expected(actions or []):
            wrong.append(f"{text!r}: {[c.model_dump() for c in got.plan.actions] or got.plan.reason}")
        elif actions is None and (got.refused or not got.plan.reason):
            wrong.append(f"{text!r}: refused (no second look) or no reason")  # refused would skip the second look
    assert wrong == []
    assert 'say "press the shift key"' in grammar.parse("press shift.").reason


@pytest.mark.parametrize(("text", "actions"), NEAR_MISSES, ids=[t for t, _ in NEAR_MISSES])
def test_near_miss_understood(grammar: GrammarInterpreter, text: str, actions: list) -> None:
    assert [c.model_dump() for c in grammar.parse(text).actions] == _expected(actions)


@pytest.mark.parametrize("text", DESTRUCTIVE_NEAR_MISSES)
def test_no_destructive_action_from_a_near_miss(grammar: GrammarInterpreter, text: str) -> None:
    result = grammar.analyse(text)
    assert result.plan.actions == []
    assert result.refused
    assert "destructive" in result.plan.reason


def test_destructive_said_exactly_is_understood(grammar: GrammarInterpreter) -> None:
    # The same commands, heard exactly, do produce the destructive actions (the policy then confirms them).
    assert grammar.parse("close the window").actions[0].tool == "close_window"
    assert grammar.parse("close tab").actions[0].args.keys == ["ctrl", "w"]
    assert grammar.parse("run wipe").actions[0].args.name == "wipe"


def test_threshold_one_means_exact_words_only() -> None:
    exact = GrammarInterpreter(InterpreterConfig(fuzzy_threshold=1.0))
    assert exact.parse("scrol down").actions == []
    assert exact.parse("scroll down").actions[0].tool == "scroll"


def test_reasons_say_what_went_wrong(grammar: GrammarInterpreter) -> None:
    assert "50" in grammar.parse("scroll down 200").reason  # the limit, not "not understood"
    assert grammar.parse("").reason == "heard nothing"
    assert 'no macro called "deploy"' in grammar.parse("run deploy").reason
    partial = grammar.parse("select all and fly to the moon").reason
    assert partial.startswith('understood "select all and"') and "fly to the moon" in partial
    # All or nothing: a chain with a part not understood runs none of it.
    assert grammar.parse("copy and fly to the moon").actions == []


def test_window_titles_on_screen_fit_a_misheard_title(grammar: GrammarInterpreter) -> None:
    from voxctl.agent.utterance import ScreenState

    ctx = ScreenState(window_titles=("notes.txt - gedit", "Mozilla Firefox"))
    assert grammar.parse("switch to mozzila", ctx).actions[0].args.title == "mozilla"
    assert grammar.parse("switch to notes", ctx).actions[0].args.title == "notes"  # matches already
    assert grammar.parse("switch to spotify", ctx).actions[0].args.title == "spotify"  # nothing close: as heard


def test_a_window_named_by_what_it_shows_only_among_the_open_ones(grammar: GrammarInterpreter) -> None:
    """"go to the maintenance log", "show me the practice log spreadsheet" focus the window that shows it (blind probe
    sets 67-70), only where the screen lists the open windows and one is called so: with none listed, or none called
    so, it is no command ("go to the bank"); "go to the top" stays what it says."""
    from voxctl.agent.utterance import ScreenState

    ctx = ScreenState(active_window="(2) WhatsApp - Google Chrome", window_titles=(
        "Vehicle Maintenance Log - Google Sheets - Google Chrome", "Practice Log - Google Sheets - Google Chrome"))
    assert [(a.tool, a.args.title) for a in grammar.parse("go to the maintenance log", ctx).actions] == [
        ("focus_window", "maintenance log")]
    assert [(a.tool, a.args.title) for a in grammar.parse("show me the practice log spreadsheet", ctx).actions] == [
        ("focus_window", "practice log")]
    assert grammar.parse("go to the bank", ctx).actions == []
    assert grammar.parse("go to the kitchen and get me a drink", ctx).actions == []
    assert grammar.parse("go to the maintenance log").actions == []  # the open windows not known
    assert [a.args.keys for a in grammar.parse("go to the top", ctx).actions] == [["ctrl", "home"]]


def test_parse_is_fast(grammar: GrammarInterpreter) -> None:
    import time

    grammar.parse("warm up")
    # CPU time of this process, not wall time: a busy box (the suite's other worker, a bench beside it) stretches the
    # wall clock 4-5x (20.5 ms at load 4.6 on 2 cores, 2026-12-07) while the parse costs the same
    t0 = time.process_time()
    for text, _ in TABLE:
        grammar.parse(text)
    per_command_ms = (time.process_time() - t0) * 1000 / len(TABLE)
    print(f"grammar: {per_command_ms:.2f} ms per command")
    assert per_command_ms < 20


def test_spoken_set_is_understood_from_its_text() -> None:
    # The spoken set's own words must all parse: what the speech test loses is then the recogniser's.
    from voxctl.agent.benchmarks.interpret import load_spoken_set, same_plan

    macros, commands = load_spoken_set()
    g = GrammarInterpreter(None, macros)
    wrong = [c.say for c in commands if not same_plan(g.parse(c.say).actions, c.plan)]
    assert len(commands) >= 60 and wrong == []


def test_no_remark_after_keys_named_with_no_verb(grammar: GrammarInterpreter) -> None:
    # "Alright, that's it, you can stop recording now" as en-us+m1 was heard (blind probe3, 2026-12-05): alt+right
    assert grammar.parse("alt right. that's it. you can stop recording now.").actions == []
    assert [a.args.keys for a in grammar.parse("press alt right. that's it.").actions] == [["alt", "right"]]


def test_no_remark_that_quotes_someone(grammar: GrammarInterpreter) -> None:
    # "quit while you're ahead, that's what my dad says" as slt was heard (blind probe4's talk, 2026-12-05): a click
    assert grammar.parse("click well you're ahead. that's what my address says.").actions == []
    assert [a.tool for a in grammar.parse("open up spotify, I need some music").actions] == ["open_app"]


def test_a_number_alone_is_no_command_while_the_screen_says_no_grid_is_shown(grammar: GrammarInterpreter) -> None:
    """"hang on" read "and one." narrowed a grid nobody had shown (blind probe set 7, slt). A number alone narrows the
    grid only while it is shown, or when the screen does not say (a typed command); "grid one" always does."""
    from voxctl.agent.utterance import ScreenState, Utterance

    def plan(text: str, shown: bool | None) -> list:
        return grammar.interpret(Utterance.from_text(text, ScreenState(grid_shown=shown))).actions

    narrow = [call("grid_narrow", cells=[1])]
    assert plan("and one.", False) == [] and plan("one", False) == []
    assert "none is shown" in grammar.interpret(Utterance.from_text("one", ScreenState(grid_shown=False))).reason
    assert plan("one", True) == narrow and plan("one", None) == narrow
    assert plan("grid one", False) == narrow
    assert plan("mouse grid, then seven", False) == [call("mouse_grid"), call("grid_narrow", cells=[7])]  # shown first
    # after another command that shows no grid, no: slt's "hi mum" read "find one." was ctrl+f and a narrowing
    assert plan("find one.", False) == [] and plan("find one.", True) == [call("press_keys", keys=["ctrl", "f"]), *narrow]


@pytest.mark.parametrize(("text", "tool"), [("scroll down a bit", "scroll"), ("zoom in a touch", "press_keys"),
                                            ("turn the volume up a little", "press_keys"),
                                            ("move the mouse left a bit", "nudge_mouse"), ("copy", "press_keys"),
                                            ("copy a bit", None), ("save a little", None), ("click a bit", None)])
def test_how_much_is_said_only_after_a_command_with_an_amount(grammar: GrammarInterpreter, text: str, tool) -> None:
    """"copy of it" heard "copy a bit." copied in the hands-free stream (2026-12-06): nobody copies "a bit"."""
    plan = grammar.parse(text)
    assert [c.tool for c in plan.actions] == ([tool] if tool else []), plan.reason
    if tool is None:
        assert "says how much" in plan.reason


@pytest.mark.parametrize(("text", "want"), [
    ("great, scroll down", [A("scroll", direction="down")]),
    ("perfect, save it", [K("ctrl", "s")]),
    ("cool, next tab", [K("ctrl", "tab")]),
    ("okay great, scroll down five", [A("scroll", direction="down", amount=5)]),
    ("right, next tab", [K("ctrl", "tab")]),
    # the whole first: slt's "right click" is read "Right, click." and stays a right click
    ("Right, click.", [A("click", button="right")]),
    ("great, see you tomorrow", []),
    ("nice, you did it", []),
    ("um where was i, go to the end of the document", [K("ctrl", "end")]),  # a question to oneself, then a pause
])
def test_an_acknowledgement_said_first_before_a_pause(grammar: GrammarInterpreter, text: str, want: list) -> None:
    """"great, scroll down" was read as said to someone called "great" (addressed.py), and ran nothing."""
    assert [c.model_dump() for c in grammar.parse(text).actions] == _expected(want)


@pytest.mark.parametrize(("text", "want"), [
    ("zoom in, no i mean zoom out", [K("ctrl", "minus")]),  # "no" said with the correction
    ("switch to tab two, no three", [K("ctrl", "3")]),  # a number alone after "no" and a pause
    ("scroll down five, no ten", [A("scroll", direction="down", amount=10)]),
    ("delete the macro called notes, no, forget it", []),  # taken back: no macro called "forget it"
    ("open firefox, no, never mind", []),
    ("close the tab, sorry, forget it", []),
    ("type hello, no three", [A("type_text", text="hello, no three")]),  # text keeps its words
])
def test_a_correction_puts_a_value_in_place_or_takes_the_command_back(grammar: GrammarInterpreter, text: str,
                                                                     want: list) -> None:
    plan = grammar.parse(text)
    assert [c.model_dump() for c in plan.actions] == _expected(want)
    if not want and "forget" in text or "never mind" in text:
        assert "takes itself back" in plan.reason


@pytest.mark.parametrize("text", ["just google it", "google the opening hours yourself", "search google for it"])
def test_a_search_of_nothing_or_said_to_a_person_is_no_command(grammar: GrammarInterpreter, text: str) -> None:
    plan = grammar.parse(text)
    assert plan.actions == [] and "nothing is named to search for" in plan.reason


def test_an_edit_actions_spoken_form_may_be_a_pattern() -> None:
    from voxctl.agent.interpret.patterns import PatternError, spellings

    assert spellings("save (my|the) [new] essay") == ["save my essay", "save my new essay", "save the essay",
                                                      "save the new essay"]
    with pytest.raises(PatternError):
        spellings("save {text}")


@pytest.mark.parametrize("heard", ["hide there.", "enter there.", "save some for me.", "copy some."])
def test_a_word_that_ends_talk_is_no_filler(grammar: GrammarInterpreter, heard: str) -> None:
    """Hands-free short remarks "hi there" and "under there" were heard "hide there." and "enter there." (rms, awb) and,
    with "there" a filler said last, minimised a window and pressed Enter; "some" last made "save some for me" a save."""
    assert grammar.analyse(heard).plan.actions == []
