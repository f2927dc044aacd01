"""The safety suite (issue #6): hostile plans, risky speech, non-speech audio, the emergency stop, the
hotkey chords and the audit trail. Each test prints its figures and adds them to FIGURES, which the
suite's conftest prints in the terminal summary (`pytest tests/safety -s`)."""

FIGURES: dict[str, str] = {}


def report(item: str, text: str) -> str:
    """Print one item's figures and keep them for the terminal summary; returns the text for asserts."""
    FIGURES[item] = text
    print(f"\n[safety] {item}: {text}")
    return text


from tests.hinting import FOUND_WITH, SHIPPED_EXAMPLES, found_hint  # noqa: E402, F401 - the hint the holes were found with
