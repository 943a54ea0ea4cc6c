"""The Matrix channel (matrix-nio): encryption helpers such as cross-signing of the bot's own device."""
