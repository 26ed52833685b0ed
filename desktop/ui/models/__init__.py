"""Qt item models: thin adapters over the store that hold ids and fetch rows lazily."""
