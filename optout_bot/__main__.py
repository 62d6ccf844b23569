from optout_bot.cli import main

raise SystemExit(main())
