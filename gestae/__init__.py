"""gestae: who did what to whom, when, where, about what, and who said so."""
__version__ = "0.1.0"
