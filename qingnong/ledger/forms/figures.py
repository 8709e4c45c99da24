"""figures (to be written)."""
