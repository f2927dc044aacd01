"""Prompt templates, as files. Loaded with `agent.interpret.prompt`; no schema is written here by hand."""
