"""accounts (to be written)."""
urls = []
