"""docker-compose.yml and the Dockerfile: the stack starts in the right order and every service can be checked.

No Docker engine is needed: the file is parsed with PyYAML and its wiring asserted. When a `docker compose`
(or `docker-compose`) client is installed, `config -q` validates the file against the Compose schema too.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from core.config import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
APP_PORT = 8050


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def healthcheck_command(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    assert test[0] in ("CMD", "CMD-SHELL"), test
    return " ".join(test[1:])


def conditions(service: dict[str, Any]) -> dict[str, str]:
    return {name: spec["condition"] for name, spec in service["depends_on"].items()}


def command_line(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else list(command)


def test_the_four_services_and_the_optional_proxy(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == {"postgres", "redis", "etl", "app", "proxy"}
    assert [name for name, service in services.items() if service.get("profiles")] == ["proxy"]


def test_the_proxy_is_the_official_nginx_with_the_tested_config(services: dict[str, dict[str, Any]]) -> None:
    from tests.services import COMPOSE_LISTEN, COMPOSE_UPSTREAM, NGINX_CONFIG

    proxy = services["proxy"]
    assert proxy["image"].partition(":")[0] == "nginx"
    source, target = proxy["volumes"][0].removesuffix(":ro").split(":")
    assert (PROJECT_ROOT / source).resolve() == NGINX_CONFIG  # the file tests/app/web/caching/test_proxy_cache.py runs
    assert target == "/etc/nginx/conf.d/default.conf"
    config = NGINX_CONFIG.read_text()
    app_port = command_line(services["app"])[-1]
    assert COMPOSE_UPSTREAM == f"app:{app_port}" and COMPOSE_LISTEN in config
    assert conditions(proxy) == {"app": "service_healthy"}
    assert "/healthz" in healthcheck_command(proxy)


def test_postgres_is_the_official_image_with_a_volume_and_readiness_check(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    postgres = services["postgres"]
    name, _, tag = postgres["image"].partition(":")
    assert name == "postgres" and int(tag.split("-")[0]) >= 14
    assert "pg_isready" in healthcheck_command(postgres)
    volume, _, target = postgres["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data"
    assert volume in compose["volumes"]
    env = postgres["environment"]
    assert env["POSTGRES_USER"] and env["POSTGRES_DB"] and env["POSTGRES_PASSWORD"]


def test_redis_is_the_official_image_answering_ping(services: dict[str, dict[str, Any]]) -> None:
    redis = services["redis"]
    assert redis["image"].partition(":")[0] == "redis"
    assert healthcheck_command(redis) == "redis-cli ping"


def test_etl_runs_once_after_postgres_is_healthy(services: dict[str, dict[str, Any]]) -> None:
    etl = services["etl"]
    assert command_line(etl) == ["barometer", "etl", "run"]
    assert conditions(etl) == {"postgres": "service_healthy"}
    # the string "no": an unquoted YAML `no` would be the boolean false, which Compose rejects
    assert etl["restart"] == "no"
    assert etl["build"] == "."


def test_app_serves_with_gunicorn_after_its_dependencies(services: dict[str, dict[str, Any]]) -> None:
    app = services["app"]
    assert command_line(app)[:3] == ["barometer", "serve", "--prod"]
    args = command_line(app)
    assert args[args.index("--host") + 1] == "0.0.0.0"
    assert conditions(app) == {
        "postgres": "service_healthy",
        "redis": "service_healthy",
        "etl": "service_completed_successfully",
    }
    assert app["build"] == "."
    assert app["image"] == services["etl"]["image"], "ETL and app must run the same code"
    assert any(str(port).endswith(f":{APP_PORT}") for port in app["ports"])


def test_app_and_etl_reach_the_compose_services(services: dict[str, dict[str, Any]]) -> None:
    app_env = services["app"]["environment"]
    database = urlsplit(app_env["DATABASE_URL"])
    assert database.scheme == "postgresql" and database.hostname == "postgres" and database.port == 5432
    assert database.path == "/" + services["postgres"]["environment"]["POSTGRES_DB"]
    assert database.username == services["postgres"]["environment"]["POSTGRES_USER"]
    assert services["etl"]["environment"]["DATABASE_URL"] == app_env["DATABASE_URL"]
    redis = urlsplit(app_env["REDIS_URL"])
    assert redis.scheme == "redis" and redis.hostname == "redis" and redis.port == 6379


def test_app_healthcheck_requests_the_health_endpoint_inside_the_container(
    services: dict[str, dict[str, Any]],
) -> None:
    command = healthcheck_command(services["app"])
    assert f"http://127.0.0.1:{APP_PORT}/healthz" in command
    # the slim Python image has no curl: the check must use what the image has
    assert command.startswith("python -c")


def test_the_app_serves_the_health_endpoint_the_healthcheck_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.factory import create_app

    monkeypatch.setenv("BAROMETER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    # the app is built while the database is unreachable (it answers 503 until the database comes)
    server = create_app("postgresql://nobody@127.0.0.1:9/none").server
    try:
        rules = {rule.rule: rule.methods for rule in server.url_map.iter_rules()}
        assert "GET" in rules["/healthz"]
    finally:  # its pool would go on reconnecting to the unreachable server, and logging it, until pytest exits
        server.extensions["barometer_db"].close()


def test_dockerfile_installs_the_project_with_pip_and_serves_it() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()]
    base = next(line for line in lines if line.startswith("FROM "))
    assert base.startswith("FROM python:3.1")
    assert any(line.startswith("COPY . ") for line in lines)
    assert any("pip install -e ." in line for line in lines)
    assert any(line.startswith("USER ") and "root" not in line for line in lines)
    assert lines[-1] == 'CMD ["barometer", "serve", "--prod", "--host", "0.0.0.0"]'


def test_build_context_leaves_out_local_state() -> None:
    ignored = set(DOCKERIGNORE.read_text(encoding="utf-8").split())
    # the embedded server's folder is owned by another user and may be unreadable; .venv is host-specific
    assert {".pgdata", ".venv", ".git", ".cache"} <= ignored
    for needed in ("data", "migrations", "alembic.ini", "pyproject.toml", "assets"):
        assert needed not in ignored
        assert (PROJECT_ROOT / needed).exists()


def compose_client() -> list[str] | None:
    """The first Compose client that works here, as an argv prefix, or None."""
    candidates = [["docker", "compose"]] if shutil.which("docker") else []
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for argv in candidates:
        probe = subprocess.run([*argv, "version"], capture_output=True, text=True, timeout=30)
        if probe.returncode == 0:
            return argv
    return None


def test_compose_validates_the_file() -> None:
    client = compose_client()
    if client is None:
        pytest.skip("no docker compose plugin or docker-compose binary installed")
    result = subprocess.run([*client, "-f", str(COMPOSE_FILE), "config", "-q"], capture_output=True, text=True,
                            timeout=60, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr


def test_the_app_can_be_scaled_behind_the_proxy(services: dict[str, dict[str, Any]]) -> None:
    """`APP_PORT=0 docker compose --profile proxy up -d --scale app=N`: replicas need no name or host port of their
    own, and the proxy balances over every address the service name gives (tests/app/test_several_instances.py
    runs the same config with two instances)."""
    from tests.services import COMPOSE_SERVER, NGINX_CONFIG

    app = services["app"]
    assert "container_name" not in app  # a fixed name could be given to one replica only
    published = [str(port) for port in app["ports"]]
    assert published == ["${APP_BIND:-127.0.0.1}:${APP_PORT:-8050}:8050"]  # APP_PORT=0: a free port per replica
    config = NGINX_CONFIG.read_text()
    group = config[config.index("upstream barometer_app {"):]
    group = group[:group.index("}")]
    assert COMPOSE_SERVER in group and "least_conn;" in group
    assert "proxy_pass http://barometer_app;" in config
    # every instance shares the same database and cache: nothing in the app's environment names an instance
    assert {"DATABASE_URL", "REDIS_URL"} <= set(app["environment"])
