"""The knowledge graph of a place: vocabulary, models, Cypher, services and algorithms."""
