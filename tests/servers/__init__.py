"""Real servers (for example Synapse) started on loopback for integration tests."""
