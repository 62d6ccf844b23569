from optout_bot.cli.main import main

raise SystemExit(main())
