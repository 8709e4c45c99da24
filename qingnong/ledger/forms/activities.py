"""activities (to be written)."""
