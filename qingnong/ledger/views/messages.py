"""messages (to be written)."""
urls = []
