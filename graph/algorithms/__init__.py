"""Algorithms over the place graph, on networkx: paths, matching, brokerage, analytics."""
