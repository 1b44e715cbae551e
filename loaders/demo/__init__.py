"""A synthetic place to explore and test with: generated files, loaded by the real loaders.

``generate_demo`` writes one CSV a loader format from an explicit seed;
``load_demo_folder`` loads such a folder in dependency order.
"""

from loaders.demo.csvout import DEMO_KINDS
from loaders.demo.generate import (
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    DEMO_PEOPLE,
    GenerationReport,
    generate_demo,
)
from loaders.demo.loading import GraphCounts, graph_counts, load_demo_folder

__all__ = [
    "DEFAULT_PEOPLE",
    "DEFAULT_SEED",
    "DEMO_PEOPLE",
    "DEMO_KINDS",
    "GenerationReport",
    "GraphCounts",
    "generate_demo",
    "graph_counts",
    "load_demo_folder",
]
