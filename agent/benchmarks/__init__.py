"""`voxctl bench` measurements, one module per subject, each exposing `run(args, config) -> dict`."""
