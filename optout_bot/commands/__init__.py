"""Subcommands that live in their own modules.

Each module here defines ``register(add)``; `add(name, help, description)` returns a new
subparser (with optout-bot's formatting), and the module sets ``handler=`` on it with
``parser.set_defaults(handler=function)``; the function takes the parsed arguments and returns
the exit code. Modules are found automatically, so adding a command touches no other file.
Keep imports at the top of these modules light (standard library only): heavy ones go inside
the handler, so that `optout-bot --help` stays fast.
"""
