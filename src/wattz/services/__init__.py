"""Use cases spanning adapters: each takes a store session, calls the pure core, returns values."""
