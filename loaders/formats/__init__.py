"""One module a family of input formats; each exposes ``Format`` objects."""
