"""The store: SQLModel tables on SQLite (or PostgreSQL), alembic migrations, queries."""
