# DAKS-Begleiter: builds the app and starts `daks serve`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DAKS_DATA_DIR=/data DAKS_CONTENT_DIR=/app/content
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot bot
COPY flows flows
COPY storage storage
COPY content content
RUN pip install --no-cache-dir . \
    && useradd --system --home-dir /data --create-home daks

USER daks
VOLUME ["/data"]
# The Telegram webhook listens here when TELEGRAM_WEBHOOK_URL is set (polling needs no port).
EXPOSE 8443
STOPSIGNAL SIGTERM
CMD ["daks", "serve"]
