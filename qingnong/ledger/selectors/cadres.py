"""cadres (to be written)."""
