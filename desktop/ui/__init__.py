"""The Qt desktop GUI (PySide6): main window, item models, widgets, undo commands, workers."""
