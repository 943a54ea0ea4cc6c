"""The reference peer: a minimal python-telegram-bot bot written the way most bots are written.

ConversationHandler + PicklePersistence, default (sequential) update handling, run_polling.
It asks QUESTIONS questions, alternating typed answers and inline buttons, and for a button
press answers the query, shows the choice in the question and sends the next question, the same
requests per step as the DAKS-Begleiter. Not part of the product; `make bench` runs it.
Usage: TELEGRAM_TOKEN=... TELEGRAM_BASE_URL=... python -m benchmarks.reference_bot PICKLE_FILE QUESTIONS
"""

from __future__ import annotations

import os
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)

ASK = 0


def question(index: int) -> tuple[str, InlineKeyboardMarkup | None]:
    if index % 2:
        buttons = [[InlineKeyboardButton(option, callback_data=f"{index}:{option}")] for option in ("A", "B", "C")]
        return f"Frage {index + 1}: Bitte wählen Sie.", InlineKeyboardMarkup(buttons)
    return f"Frage {index + 1}: Bitte antworten Sie.", None


def main() -> None:
    token, base_url = os.environ["TELEGRAM_TOKEN"], os.environ["TELEGRAM_BASE_URL"]
    pickle_file, total = sys.argv[1], int(sys.argv[2])

    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        index = context.user_data.get("index", 0)
        if index >= total:
            await context.bot.send_message(update.effective_chat.id, "Fertig, danke!")
            return ConversationHandler.END
        text, markup = question(index)
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)
        return ASK

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data["index"] = 0
        context.user_data["answers"] = {}
        return await ask(update, context)

    async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        index = context.user_data.get("index", 0)
        context.user_data["answers"][index] = update.message.text
        context.user_data["index"] = index + 1
        return await ask(update, context)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        index = context.user_data.get("index", 0)
        context.user_data["answers"][index] = query.data
        context.user_data["index"] = index + 1
        await query.edit_message_text(f"{query.message.text}\n\n→ {query.data.partition(':')[2]}")
        return await ask(update, context)

    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_url.replace("/bot", "/file/bot"))
        .persistence(PicklePersistence(pickle_file))
        .build()
    )
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={ASK: [MessageHandler(filters.TEXT & ~filters.COMMAND, typed), CallbackQueryHandler(pressed)]},
            fallbacks=[],
            name="walk",
            persistent=True,
        )
    )
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=10)


if __name__ == "__main__":
    main()
