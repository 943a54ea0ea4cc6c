"""Channels and the app shell: terminal chat, CLI, configuration and wiring. No business rules."""
