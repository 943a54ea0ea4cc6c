"""Renders a :class:`flows.documents.model.Document` as ODT, DOCX, PDF or Markdown, and charts as PNG.

Each format module has ``render(document, template, templates) -> bytes``: ``template`` is a
municipality's own template file or None, ``templates`` the folder of the default ones
(content/templates). :mod:`bot.documents.press` runs them off the event loop.
"""
