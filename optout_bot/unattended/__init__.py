"""Unattended use: scheduling `optout-bot check` with the platform's own scheduler
(`schedule`, with one module per scheduler in `backends/`), and telling the member when a
check needs them (`alerts`)."""
