"""Accounts, roles, API tokens, the audit log and the protection of personal data."""
