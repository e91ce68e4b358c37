"""Adaptation: compliance, classification, the rules and fitness. Pure."""
