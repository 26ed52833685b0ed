"""Entity resolution: folded keys, automatic linking of mentions, merge proposals."""
