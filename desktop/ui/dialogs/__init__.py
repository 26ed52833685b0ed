"""Dialogs and small label widgets: the label editor, the tag-and-note dialog, the label palette."""
