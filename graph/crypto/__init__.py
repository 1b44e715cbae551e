"""Personal values encrypted with a key per person, the keys kept apart from the graph.

``keystore`` holds each person's key wrapped with the master key; ``sealing`` turns a
personal value into ciphertext bound to its person and field, and back. Destroying a
person's key (erasure) leaves every copy of their ciphertext, in the graph, its
transaction logs or a backup, unreadable.
"""

from graph.crypto.keystore import KeySettings, KeyStore, get_key_settings, open_key_store
from graph.crypto.sealing import is_sealed, open_value, seal_value

__all__ = [
    "KeySettings",
    "KeyStore",
    "get_key_settings",
    "is_sealed",
    "open_key_store",
    "open_value",
    "seal_value",
]
