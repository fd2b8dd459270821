"""Placeholder: filled in by the exports work (see docs/architecture.md)."""
