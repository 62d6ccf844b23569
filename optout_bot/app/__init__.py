"""The application layer: the settings file (`config`) and what a run needs before the
engine starts."""
