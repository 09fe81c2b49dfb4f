"""The `desta` subcommands: one module each, with add_parser(subparsers, parent) and run(args)."""
