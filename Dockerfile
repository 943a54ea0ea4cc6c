# DAKS-Begleiter: builds the app and starts `daks serve`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DAKS_DATA_DIR=/data DAKS_CONTENT_DIR=/app/content DAKS_METRICS_LISTEN=0.0.0.0:9090
WORKDIR /app

# WeasyPrint (the tagged PDF) needs Pango, and HarfBuzz's subsetter to embed fonts as subsets quickly; the PDF
# is set in DejaVu Sans. matplotlib (charts) needs no system library: its wheel brings what it uses.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in a layer of their own: editing the code does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# A fixed, unprivileged user, so that volume permissions stay the same across rebuilds.
RUN groupadd --system --gid 10001 daks \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home daks \
    && mkdir -p /data && chown 10001:10001 /data

COPY README.md LICENSE ./
COPY bot bot
COPY flows flows
COPY storage storage
COPY content content
RUN pip install --no-deps .

USER 10001:10001
VOLUME ["/data"]
# 8443: the Telegram webhook (with TELEGRAM_WEBHOOK_URL); 9090: /healthz, /readyz, /metrics.
EXPOSE 8443 9090
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot.cli.healthcheck"]
STOPSIGNAL SIGTERM
CMD ["daks", "serve"]
