"""Dockable panels of the main window: each a small widget with its own signals."""
