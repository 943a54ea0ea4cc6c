"""What the app shell and the channels say on their own: msgids the catalogues translate.

The channels choose when to say them (a database outage, a group chat, a message that could not be
decrypted, how to answer by typing, the bot's description); the words live here, so bot/ holds no
user-facing text.
"""

from __future__ import annotations

from flows.content.i18n import N_

NOT_SAVED_RESEND = N_(
    "I cannot save anything right now, so I have not taken in your last message. Please "
    "send it again in a minute; your earlier answers are safe."
)
"""The database stayed away through every retry, on a channel that will not deliver the message again."""

SOMETHING_WENT_WRONG = N_(
    "Sorry, something went wrong on my side and I have not taken in your last message. Please "
    "send it again; your earlier answers are safe."
)
"""An unexpected error while handling a message."""

NOT_SAVED_LATER = N_(
    "I cannot save anything right now. I will take in your message as soon as I can; your earlier answers are safe."
)
"""The database is away, and the platform will deliver the message again by itself."""

PRIVATE_CHATS_ONLY = N_(
    "I work in private chats only, so that each person's answers stay their own. Please write to me directly: @{bot}"
)
"""Someone wrote in a group chat; ``bot`` is the bot's username."""

DIRECT_CHATS_ONLY = N_(
    "I work in direct chats only, so that each person's answers stay their own. Please start a direct "
    "chat with me: {bot}"
)
"""Someone wrote in a room that is not a direct chat; ``bot`` is the bot's user id."""

UNDECRYPTABLE = N_(
    "I could not decrypt your last message, so I have not taken it in. Please send it again. If this "
    "keeps happening, allow your app to send keys to unverified devices, or start a new direct chat "
    "with me."
)
"""An encrypted message arrived that the bot had no key for."""

TYPE_NUMBERS = N_("You can also type the numbers, for example “1, 3”.")
"""Under a multiple choice shown as numbered lines (Matrix, terminal); buttons need no such hint."""

TYPE_NUMBERS_OR_ALL = N_("Type the numbers, for example “1, 2, 4”, or “all”.")
"""Under a 'done when' checklist shown as numbered lines."""

DESCRIPTION = N_(
    "The DAKS companion guides municipal staff through a demography strategy in five stages: Kick-off, "
    "municipal profile, future workshop, action plan (Werkstattplan) and mid-term review. It asks one "
    "question at a time, keeps your answers, suggests matching methods and good practice from the "
    "toolbox and exports the results as a file. Press Start to begin."
)
"""The bot's description, shown in an empty chat before Start (at most 512 characters)."""

SHORT_DESCRIPTION = N_("Guides your municipality through a demography strategy, one question at a time.")
"""The bot's short description, on its profile and in shared links (at most 120 characters)."""

FILE_UNREADABLE = N_(
    "I cannot read the file {path}: it does not exist, is a folder or may not be read. Nothing was sent; "
    "please check the path."
)
"""A terminal user sent a file (``/file PATH``) at a path that names no readable file."""

FILE_WITHOUT_PATH = N_("To send a file, write /file and its path, for example: /file ~/Documents/letterhead.docx")
"""A terminal user wrote ``/file`` without a path."""
DOCUMENT_FAILED = N_(
    "Sorry, I could not create the document. Your answers are safe; please try again later or pick another format."
)
"""Rendering a document failed (logged); the answer was committed before."""

BAD_TEMPLATE = N_(
    "Your municipality’s template could not be used: {reason}. Please check the template file; your answers are safe."
)
"""A municipality's own DOCX/ODT template is unusable; ``reason`` says why."""

DOCUMENT_TOO_LARGE = N_(
    "The document would be {size} MB, more than the {limit} MB this messenger can deliver. Please export it "
    "in another format, for example PDF or Markdown."
)
"""The rendered file is over the channel's limit (Telegram: 50 MB for bots)."""
