"""Object stores, database models and the review queue (embedded defaults first)."""
