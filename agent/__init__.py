"""voxctl's agent: configuration, listening, understanding, the LangGraph pipeline and the CLI."""

__version__ = "0.1.0"
