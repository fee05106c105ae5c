"""Screens of the fouille app."""
