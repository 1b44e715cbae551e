# The assetbridge API. Neo4j runs in its own container (see docker-compose.yml).
# The explorer page's graph library, from npm at the version the lockfile pins.
FROM node:20-slim AS assets
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Production unless told otherwise: `assetbridge serve` then refuses to start until
# ASSETBRIDGE_AUTH_SECRET (32+ characters) and NEO4J_PASSWORD are given at run time
# (never baked into the image). Development mode would listen on 127.0.0.1 only.
ENV ASSETBRIDGE_API_ENVIRONMENT=production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY schema ./schema
COPY api ./api
COPY --from=assets /web/node_modules/cytoscape/dist/cytoscape.min.js ./api/static/vendor/
COPY loaders ./loaders
COPY assetbridge ./assetbridge
RUN pip install --no-cache-dir .
RUN useradd --create-home assetbridge \
 && mkdir /keys && chown assetbridge /keys
# The per-person key store (ASSETBRIDGE_KEYSTORE_PATH): mount a volume here, apart from
# the graph's, and back it up on its own schedule (docs/security.md).
VOLUME /keys
ENV ASSETBRIDGE_KEYSTORE_PATH=/keys/keystore.sqlite3
USER assetbridge
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz')" || exit 1
CMD ["assetbridge", "serve", "--host", "0.0.0.0", "--port", "8000"]
