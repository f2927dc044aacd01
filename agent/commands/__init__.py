"""One module per `voxctl` subcommand, each exposing `run(args, config) -> int`."""
