"""GraphQL types of the place graph, one module a concern, each with ``from_model``."""
