"""Services own transactions: each call is one managed, retried unit of work."""
