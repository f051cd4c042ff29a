"""`dgintake users add` and `dgintake console` refusing to start without a secret."""

from __future__ import annotations

from typer.testing import CliRunner

from dgintake.cli import app


def test_users_add_and_console_needs_a_secret(tmp_path, monkeypatch):
    from dgintake.settings import get_settings

    monkeypatch.setenv("DGINTAKE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("DGINTAKE_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        added = runner.invoke(app, ["users", "add", "alice", "--role", "reviewer", "--password-stdin"], input="a long password\n")
        assert added.exit_code == 0, added.output
        again = runner.invoke(app, ["users", "add", "alice", "--role", "reviewer", "--password-stdin"], input="a long password\n")
        assert again.exit_code == 2 and "already exists" in again.output
        bad_role = runner.invoke(app, ["users", "add", "bob", "--role", "boss", "--password-stdin"], input="a long password\n")
        assert bad_role.exit_code == 2
        refused = runner.invoke(app, ["console", "--port", "1"])
        assert refused.exit_code == 2 and "DGINTAKE_SECRET_KEY" in refused.output
        from review.services.users import login
        from storage.db import session_scope

        with session_scope(get_settings().db_url) as session:
            from review.services.users import Policy

            assert login(session, "k" * 32, "alice", "a long password", "127.0.0.1", Policy()) not in (None, "throttled")
    finally:
        get_settings.cache_clear()


def test_demo_users_get_fresh_passwords(tmp_path):
    from review.commands import _demo_users
    from review.services.users import Policy, login
    from storage.db import session_scope

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = dict((name, password) for name, _role, password in _demo_users(url))
    second = dict((name, password) for name, _role, password in _demo_users(url))
    assert set(first) == {"demo-reviewer", "demo-approver"} and first != second
    with session_scope(url) as session:
        assert login(session, "k" * 32, "demo-reviewer", second["demo-reviewer"], "127.0.0.1", Policy()) not in (None, "throttled")
        assert login(session, "k" * 32, "demo-approver", first["demo-approver"], "127.0.0.1", Policy()) is None
