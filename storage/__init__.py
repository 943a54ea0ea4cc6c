"""Persistence: SQLModel tables, Alembic migrations and the unit of work the app talks to.

Knows users, identities, conversations and answers; knows no messenger.
"""
