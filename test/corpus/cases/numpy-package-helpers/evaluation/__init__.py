"""Offline evaluation of saved probability maps (numpy only, no framework)."""
