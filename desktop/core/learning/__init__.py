"""Learning from the analyst's review: the project's own names and a project model."""
