"""Importers: asset-mapping outputs in, validated batches handed to graph/."""
