"""The kb tests use the session's default index (tests/conftest.py)."""
