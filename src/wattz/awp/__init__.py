"""The Atomic Workout Protocol: models, validation, timeline, metrics and transforms.

Pure: stdlib and pydantic only.
"""
