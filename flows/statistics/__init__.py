"""Official statistics: the municipality directory, statistics files, indicators and their comparison.

Pure like the rest of flows/: files arrive as bytes and leave as :mod:`flows.statistics.model` values;
what is stored is reached through the :class:`~flows.statistics.model.Registry` the app shell passes in.
"""
