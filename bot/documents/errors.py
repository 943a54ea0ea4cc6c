"""What a renderer raises for a municipality's template it cannot use (the message says why, for the person)."""


class BadTemplate(ValueError):
    """The template cannot be used: not a DOCX/ODT file, a placeholder error, a missing part. ``str()`` says which."""
