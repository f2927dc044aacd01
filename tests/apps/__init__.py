"""Helper programs for the desktop tests (the Tk event logger) and their fixtures."""
