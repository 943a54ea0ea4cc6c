"""The conversation engine: a pure state machine over the DAKS content model.

Nothing here touches the network, a database or a messenger library.
"""
