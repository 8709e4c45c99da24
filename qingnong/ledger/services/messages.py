"""messages (to be written)."""
