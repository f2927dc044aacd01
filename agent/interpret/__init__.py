"""Understanding: from an Utterance to an ActionPlan (grammar, audio-LLM, cascade, hybrid)."""
