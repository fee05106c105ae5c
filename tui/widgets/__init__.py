"""Widgets of the fouille app, one per module."""
