"""Order e-mail notifications for the shop."""

__version__ = "1.4.0"
