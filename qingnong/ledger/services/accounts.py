"""accounts (to be written)."""
