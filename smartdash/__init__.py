"""smartdash: the continuation-plan committee's dashboard library."""

__version__ = "0.1.0"
