"""Domain models of the place graph (pydantic), one module a concern."""
