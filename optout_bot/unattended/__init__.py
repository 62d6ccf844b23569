"""Unattended use: scheduling `optout-bot check` with the platform's own scheduler
(`schedule`), and telling the member when a check needs them (`alerts`)."""
