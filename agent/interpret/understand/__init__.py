"""The understanding model: a small trained model, shipped in model/, that reads natural phrasings the
grammar does not ("save this document", "tab over twice") into plans, and says "not a command" to
overheard speech. The `understand` backend (backends.py); trained by `voxctl train`."""
