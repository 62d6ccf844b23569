"""optout-bot: switch off AI-training settings in your own browser and keep proof."""

__version__ = "0.1.0"
