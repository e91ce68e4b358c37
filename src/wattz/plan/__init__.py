"""Periodization: the season skeleton, slot placement and the built-in workout library.

Pure: stdlib, pydantic and ``wattz.awp`` only; today's date is always a parameter.
"""
