"""The progress dashboard (written separately; a stub until then)."""
urls = []
