"""Documents a council can adopt: the strategy document and the draft council resolution, as a format-free model.

Builders here read a workspace's answers (through :class:`~flows.conversation.context.Ctx`) and
produce a :class:`~flows.documents.model.Document`; bot/documents renders it as ODT, DOCX, PDF or
Markdown, off the event loop.
"""
