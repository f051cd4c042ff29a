"""The optimistic lock on PostgreSQL: the same race as on SQLite, two real clients against
the running server, one wins and the other gets 409. Skipped without a server on
127.0.0.1:5432 (trust auth, user postgres)."""

from __future__ import annotations

import uuid

import pytest

pytest.register_assert_rewrite("tests.console_fixtures")
from tests.console_fixtures import ROLES, LiveServer, add_user, seed_packet  # noqa: E402
from tests.test_console_flow import race_claims_and_saves  # noqa: E402

pytest_plugins = ["tests.console_fixtures"]
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture()
def pg_url():
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    name = f"console_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    from storage import db

    engine = db._engines.pop(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", None)
    if engine is not None:
        engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_two_real_clients_on_postgresql(pg_url, console_template, tmp_path):
    from dgintake.settings import Settings
    from review.app import create_app
    from storage.objects import LocalStore

    for role in ROLES:
        add_user(pg_url, role, role)
    add_user(pg_url, "reviewer2", "reviewer")
    store = LocalStore(tmp_path / "objects", "dgintake")
    packet_id = seed_packet(pg_url, store)
    app = create_app(Settings(var_dir=tmp_path, database_url=pg_url, secret_key="p" * 32), store=store)
    with LiveServer(app) as server:
        race_claims_and_saves(server.url, packet_id)
