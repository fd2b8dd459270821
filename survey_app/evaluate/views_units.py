"""Placeholder: filled in by the units work (see docs/architecture.md)."""
