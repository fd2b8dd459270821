"""Orchestration between the domain core and the database.

Services take the SQLAlchemy session, call the domain, add and flush — and never
commit: the request handler or CLI command that called them owns the transaction.
"""
