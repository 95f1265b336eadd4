"""Calibrations bundled with the project: a folder per calibration, as `wijkteam calibrate` writes it.

They are package data, so an installed package carries the posterior that `--posterior` and the
dashboard use (``experiments.posterior.BUNDLED``).
"""
