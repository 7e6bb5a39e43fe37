# The dashboard and ETL image: the project installed with pip from this repository.
# Used by docker-compose.yml for both the one-shot `etl` service and the `app` service.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BAROMETER_CACHE_DIR=/tmp/barometer-cache \
    HOST=0.0.0.0 \
    PORT=8050

WORKDIR /srv/barometer
COPY . .
# Editable install: the code finds data/, migrations/, alembic.ini and assets/ beside the package
# (core.config.PROJECT_ROOT), so the repository tree stays in place and is what runs. The user gets a
# home folder because gunicorn keeps its control socket in ~/.gunicorn.
RUN pip install -e . \
    && useradd --system --uid 10001 --create-home --shell /usr/sbin/nologin barometer

USER barometer
EXPOSE 8050
CMD ["barometer", "serve", "--prod", "--host", "0.0.0.0"]
