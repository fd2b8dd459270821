"""Placeholder: filled in by the dashboard work (see docs/architecture.md)."""
