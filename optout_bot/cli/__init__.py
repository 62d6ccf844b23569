"""The `optout-bot` command line: `main` parses arguments and dispatches; each
``*_cmd`` module registers one command group (``register(add)``) and is found automatically,
so adding a command touches no other file. Command modules keep their top-level imports light
(standard library only) so that `optout-bot --help` stays fast.
"""
