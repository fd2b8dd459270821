"""Placeholder: filled in by the responses work (see docs/architecture.md)."""
