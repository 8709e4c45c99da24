"""activities (to be written)."""
urls = []
