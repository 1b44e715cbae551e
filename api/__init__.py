"""The FastAPI app: health checks, GraphQL and pages."""
