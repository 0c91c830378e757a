"""Server pieces without HTTP: password hashing, tokens, the command line's checks."""
from __future__ import annotations

import time

import pytest

from fx_bureau import tokens
from fx_desktop.domain import passwords
from tests.support.bureau import Bureau, run_cli


def test_scrypt_hash_verifies_and_is_salted():
    a, b = passwords.hash_password("secret-123"), passwords.hash_password("secret-123")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert passwords.verify_password("secret-123", a)
    assert not passwords.verify_password("secret-124", a)
    assert not passwords.verify_password("x", "garbage")


def test_access_tokens_expire_and_cannot_be_forged():
    secret = b"k" * 32
    token = tokens.issue_access(secret, 7, "c1", 60)
    assert tokens.read_access(secret, token).user_id == 7
    with pytest.raises(tokens.TokenInvalid, match="invalid"):
        tokens.read_access(b"x" * 32, token)
    head, payload, sig = token.split(".")
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_access(secret, f"{head}.{payload}x.{sig}")
    old = tokens.issue_access(secret, 7, "c1", 1, now=time.time() - 10)
    with pytest.raises(tokens.TokenInvalid, match="expired"):
        tokens.read_access(secret, old)
    assert tokens.read_access(secret, token).generation == 0  # the generation `expire-tokens` compares
    assert tokens.read_access(secret, tokens.issue_access(secret, 7, "c1", 60, generation=3)).generation == 3


def test_create_user_explains_bad_input(tmp_path):
    bureau = Bureau("sqlite", tmp_path).init()
    weak = run_cli("create-user", "--db", bureau.db_url, "--username", "u1", "--role", "officer", "--town",
                   "nanqiao", stdin="short\n")
    assert weak.returncode == 1 and "至少需要 8 个字符" in weak.stderr
    town = run_cli("create-user", "--db", bureau.db_url, "--username", "u1", "--role", "officer", "--town",
                   "atlantis", stdin="good-pass-1\n")
    assert town.returncode == 1 and "atlantis" in town.stderr and "nanqiao" in town.stderr
    role = run_cli("create-user", "--db", bureau.db_url, "--username", "u1", "--role", "king", "--town",
                   "nanqiao", stdin="good-pass-1\n")
    assert role.returncode == 1 and "没有“king”这一角色" in role.stderr
    ok = run_cli("create-user", "--db", bureau.db_url, "--username", "u1", "--role", "officer", "--town",
                 "nanqiao", stdin="good-pass-1\n")
    assert ok.returncode == 0
    again = run_cli("create-user", "--db", bureau.db_url, "--username", "u1", "--role", "officer", "--town",
                    "nanqiao", stdin="good-pass-1\n")
    assert again.returncode == 1 and "已存在" in again.stderr
    stored = bureau.sql("SELECT password_hash FROM users WHERE username = 'u1'")[0][0]
    assert "good-pass-1" not in stored and stored.startswith("scrypt$")


def test_init_is_idempotent_and_reports_an_unreachable_database(tmp_path):
    bureau = Bureau("sqlite", tmp_path).init()
    again = run_cli("init", "--db", bureau.db_url)
    assert again.returncode == 0 and "unchanged" in again.stdout
    down = run_cli("init", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert down.returncode == 1 and "无法连接数据库" in down.stderr


def test_the_push_schema_and_the_draft_reader_take_the_same_officer_shapes():
    """One reader of an officer ([姓名, 执法证号] or the old {"name", "cert_no"}) behind both."""
    from pydantic import ValidationError

    from fx_bureau.arguments import Args, Officer
    from fx_desktop.domain.case_draft import Officer as DraftOfficer
    from fx_desktop.domain.case_draft import officer_from_json

    class One(Args):
        officer: Officer

    good = (["王伟", "31200001"], {"name": "王伟", "cert_no": "31200001"}, {"name": "王伟"})
    bad = (["王伟"], ["王伟", 5], {"name": None}, "王伟", ["a", "b", "c"], None)
    for value in good:
        assert One.model_validate({"officer": value}).officer == value
    assert officer_from_json(good[1]) == DraftOfficer("王伟", "31200001") == officer_from_json(good[0])
    for value in bad:
        with pytest.raises(ValueError, match=r"应为 \[姓名, 执法证号\]"):
            officer_from_json(value)
        with pytest.raises(ValidationError):
            One.model_validate({"officer": value})


def test_a_blob_address_is_the_sha256_the_schemas_accept():
    import re

    from fx_bureau.arguments import SHA256_PATTERN
    from fx_bureau.blobs import is_sha256

    for text in ("a" * 64, "0123456789abcdef" * 4, "A" * 64, "a" * 63, "a" * 64 + "\n", "g" * 64, ""):
        assert is_sha256(text) == bool(re.fullmatch(SHA256_PATTERN, text)) == (
            len(text) == 64 and set(text) <= set("0123456789abcdef"))


def test_resolving_the_caller_takes_one_query(tmp_path):
    """principal() runs on every request (twice per upload chunk): the user, their organisation's kind, the token
    generation and the refresh token come in one query (was four, then three); the token secret is read once."""
    import uuid

    from sqlalchemy import event

    from fx_bureau import accounts
    from fx_bureau.config import Settings
    from fx_bureau.db import make_engine, make_sessions

    bureau = Bureau("sqlite", tmp_path).init()
    bureau.add_user("zhang", "squad_leader", "nanqiao")
    engine = make_engine(bureau.db_url)
    try:
        _reads, writes = make_sessions(engine)
        with writes() as session, session.begin():
            login = accounts.login(session, Settings(bureau.db_url, tmp_path / "blobs"), username="zhang", password="test-pass-1",
                                   client_id=str(uuid.uuid4()))
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: statements.append(sql))
        selects = []
        for _ in range(2):
            statements.clear()
            with writes() as session, session.begin():
                p = accounts.principal(session, f"Bearer {login['access_token']}")
            assert p.username == "zhang"
            selects.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
        assert selects == [2, 1], statements  # the first request also reads the token secret
    finally:
        engine.dispose()
