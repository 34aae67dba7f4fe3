# Production image: gunicorn web, Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpq5 curl \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --python python3.11
COPY . .
RUN DEBUG=1 python manage.py collectstatic --no-input -v 0

# var/media is the media volume's mount point: created here, owned by the app user, so a new named
# volume starts writable by it (Docker copies the mount point's ownership into an empty volume).
RUN useradd --system --home /app chophien \
    && mkdir -p /app/var/media /app/var/search \
    && chown -R chophien:chophien /app/var
USER chophien
EXPOSE 8000
# Inside the container gunicorn listens on all interfaces; compose publishes it on 127.0.0.1 only,
# for the reverse proxy (README, "Running in production").
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "-c", "backend/gunicorn_conf.py", "backend.wsgi:application"]
