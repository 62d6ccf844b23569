from optout_bot.cli.main import run

run()
