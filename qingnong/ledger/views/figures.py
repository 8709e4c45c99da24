"""figures (to be written)."""
urls = []
