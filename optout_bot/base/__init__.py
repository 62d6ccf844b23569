"""Small foundations every room may use: where files live (`paths`) and logging (`log`).
Nothing here imports another room of optout-bot."""
