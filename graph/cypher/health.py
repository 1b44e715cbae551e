"""Queries that ask the server about itself."""

DBMS_COMPONENTS = """
CALL dbms.components()
YIELD name, versions, edition
RETURN name, versions, edition
"""
