"""The Matrix channel (matrix-nio, E2EE): sync, inbound, render, send, channel, postman; the session and cross-signing
of the bot's own device."""
