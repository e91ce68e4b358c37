"""Readers: workout files and activities into wattz's values (adapters around the core)."""
