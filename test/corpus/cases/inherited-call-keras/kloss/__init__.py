"""Keras losses for the histology models."""
