"""cadres (to be written)."""
urls = []
