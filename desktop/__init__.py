"""Factdesk: extract, correct and export entities and facts from news articles."""

__version__ = "0.1.0"
APP_NAME = "Factdesk"
