"""Network analytics for analysts: project the place graph into networkx, measure
centrality and Gould-Fernandez brokerage, find communities, write scores back to
Neo4j and export for Gephi. See docs/analytics.md.
"""
