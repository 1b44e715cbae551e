"""Every Cypher query of assetbridge, one module a concern, each a named constant."""
