"""Placeholder: filled in by the distribution work (see docs/architecture.md)."""
