"""`dgintake users add` and `dgintake console` (SERVICE.md), ready for the main Typer app:

    app.add_typer(users_app, name="users")
    app.command()(console)

and `serve_demo(port)` ends `dgintake demo`.
"""

from __future__ import annotations

import getpass
import secrets
import sys
from typing import Annotated

import typer

users_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Console users.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        typer.echo("dgintake: the passwords differ", err=True)
        raise typer.Exit(2)
    return first


@users_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option("--role", help="intake, reviewer, approver or admin")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input")] = False,
) -> None:
    """Create a console user (the password is hashed with Argon2id)."""
    from dgintake.settings import get_settings
    from review.services import users
    from storage.db import session_scope

    password = _read_password(password_stdin)
    try:
        with session_scope(get_settings().db_url) as session:
            users.add(session, name, role, password, actor="cli")
    except users.UserError as exc:
        typer.echo(f"dgintake: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"user {name} ({role}) added")


def _demo_users(db_url: str) -> list[tuple[str, str, str]]:
    """A demo reviewer and approver with fresh random passwords (reset on every start)."""
    from sqlalchemy import select

    from review.services import users
    from storage.db import session_scope
    from storage.models import User

    made = []
    with session_scope(db_url) as session:
        for name, role in (("demo-reviewer", "reviewer"), ("demo-approver", "approver")):
            password = secrets.token_urlsafe(12)
            user = session.scalar(select(User).where(User.name == name))
            if user is None:
                users.add(session, name, role, password, actor="demo")
            else:
                user.password_hash, user.role, user.active = users.hash_password(password), role, True
            made.append((name, role, password))
    return made


def console(
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Embedded demo: a generated secret and demo users")] = False,
) -> None:
    """Serve the review console."""
    import uvicorn

    from dgintake.settings import get_settings
    from review.app import MissingSecret, create_app, demo_policy

    settings = get_settings()
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    policy = None
    if demo and not secret:
        secret = secrets.token_urlsafe(32)
        policy = demo_policy()
    try:
        app = create_app(settings, secret_key=secret, policy=policy)
    except MissingSecret as exc:
        typer.echo(f"dgintake: {exc} (or run the embedded demo with --demo)", err=True)
        raise typer.Exit(2) from None
    if demo:
        typer.echo(f"审核台 (review console): http://{host}:{port}/")
        for name, role, password in _demo_users(settings.db_url):
            typer.echo(f"  demo {role}: {name} / {password}")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True, forwarded_allow_ips="127.0.0.1")


def serve_demo(port: int = 8000, host: str = "127.0.0.1") -> None:
    """The end of `dgintake demo`: the console on the embedded database, a generated
    secret unless DGINTAKE_SECRET_KEY is set, demo users printed on screen."""
    console(host=host, port=port, demo=True)
