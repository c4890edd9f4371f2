"""Secrets Manager rotation function of `markmail-<env>-db-secret` (Aurora PostgreSQL).

Secrets Manager calls `handler` four times per rotation with the same ClientRequestToken:
createSecret, setSecret, testSecret, finishSecret. A failed step leaves AWSCURRENT where it was
(the backend keeps working) and Secrets Manager reattempts the rotation with the same token, so
every step is idempotent.

Strategy (environment ROTATION_STRATEGY):
  alternating (default): two database users, `markmail` and `markmail_clone`. Each rotation gives
    the user that is *not* AWSCURRENT a new password and makes it AWSCURRENT; the other user's
    password (now AWSPREVIOUS) stays valid until the next rotation, so running tasks and open
    pools never see a rejected login. The clone is created on the first rotation by the current
    user, as a member of `markmail` whose sessions run `SET ROLE markmail`: it owns nothing, every
    object it creates belongs to `markmail`, migrations behave the same under either login.
  single: one user, new password in place; old connections live on, new ones with the old
    password fail until the backend has redeployed (use only where nothing long-running logs in).

Each user sets its own password where it still can (the password it had before, AWSPREVIOUS);
only the first creation of the clone and a repair need the current user's rights. Passwords reach
the server only as SCRAM-SHA-256 verifiers computed here, never as text in a statement (the
database logs DDL). Nothing in this file logs a password, a verifier or a URL.

After finishSecret the backend service (ECS_CLUSTER / ECS_SERVICE) gets a new deployment: ECS
tasks read secrets when they start, so new tasks log in with the new AWSCURRENT.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import string
import urllib.parse

import boto3
from botocore.exceptions import ClientError

from pgwire import Connection, PgError, quote_ident, quote_literal, scram_verifier

logger = logging.getLogger()
logger.setLevel(logging.INFO)

CLONE_SUFFIX = "_clone"
PASSWORD_LENGTH = 40
# Letters and digits only: the password sits in a URL (`url`) without escaping.
ALPHABET = string.ascii_letters + string.digits
REQUIRED_KEYS = ("username", "password", "engine", "host", "port", "dbname")
# Login refused: bad password (28P01) or unknown role / no pg_hba entry (28000).
LOGIN_REFUSED = {"28P01", "28000"}


class RotationError(Exception):
    """A step cannot complete; the message names what and never contains a secret value."""


def handler(event, context):  # noqa: ARG001 - the Lambda signature
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    strategy = os.environ.get("ROTATION_STRATEGY", "alternating")
    if strategy not in ("alternating", "single"):
        raise RotationError(f"ROTATION_STRATEGY={strategy!r}: expected alternating or single")
    sm = boto3.client("secretsmanager")

    meta = sm.describe_secret(SecretId=arn)
    if not meta.get("RotationEnabled", False):
        raise RotationError(f"rotation is not enabled for {arn}")
    versions = meta.get("VersionIdsToStages", {})
    if token not in versions:
        raise RotationError(f"version {token} of {arn} has no stage for rotation")
    if "AWSCURRENT" in versions[token]:
        logger.info("%s: version %s is already AWSCURRENT", step, token)
        if step == "finishSecret":  # a reattempt after the label moved: make sure the backend follows
            redeploy_backend()
        return
    if "AWSPENDING" not in versions[token]:
        raise RotationError(f"version {token} of {arn} is not AWSPENDING")

    steps = {"createSecret": create_secret, "setSecret": set_secret, "testSecret": test_secret, "finishSecret": finish_secret}
    if step not in steps:
        raise RotationError(f"unknown step {step!r}")
    steps[step](sm, arn, token, strategy)


# ---------------------------------------------------------------------------------------------
# The four steps


def create_secret(sm, arn: str, token: str, strategy: str) -> None:
    """AWSPENDING: the other user (alternating) or the same one, a new password, a matching url."""
    current = get_secret(sm, arn, "AWSCURRENT")
    try:
        get_secret(sm, arn, "AWSPENDING", token)
        logger.info("createSecret: AWSPENDING %s exists already", token)
        return
    except ClientError as err:
        if err.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    pending = dict(current)  # same keys in the same order
    if strategy == "alternating":
        pending["username"] = other_user(current["username"])
    pending["password"] = new_password()
    pending["url"] = connection_url(pending, current.get("url"))
    sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(pending), VersionStages=["AWSPENDING"])
    logger.info("createSecret: AWSPENDING %s for user %s", token, pending["username"])


def set_secret(sm, arn: str, token: str, strategy: str) -> None:
    """Gives the pending user its new password in the database."""
    pending = get_secret(sm, arn, "AWSPENDING", token)
    current = get_secret(sm, arn, "AWSCURRENT")
    previous = get_secret_or_none(sm, arn, "AWSPREVIOUS")
    for key in ("host", "port", "dbname"):
        if str(pending[key]) != str(current[key]):
            raise RotationError(f"setSecret: AWSPENDING {key} differs from AWSCURRENT; refusing to rotate onto another database")
    user = pending["username"]
    expected = user if strategy == "single" else other_user(current["username"])
    if user != expected:
        raise RotationError(f"setSecret: AWSPENDING user {user} is not {expected} ({strategy} strategy)")

    already = login(pending)
    if already is not None:
        already.close()
        logger.info("setSecret: %s already logs in with the pending password", user)
        return
    verifier = scram_verifier(pending["password"])
    change = f"ALTER ROLE {quote_ident(user)} PASSWORD {quote_literal(verifier)}"

    # 1. The user changes its own password with one it still has (single: AWSCURRENT; alternating: AWSPREVIOUS).
    own = [s for s in (current if strategy == "single" else None, previous) if s and s["username"] == user]
    for creds in own:
        conn = login(creds)
        if conn is not None:
            with conn:
                conn.query(change)
            logger.info("setSecret: %s changed its own password", user)
            return
    if strategy == "single":
        raise RotationError(f"setSecret: {user} logs in with neither AWSCURRENT nor AWSPREVIOUS")

    # 2. The current user administers the other one (and creates the clone on the first rotation).
    conn = login(current)
    if conn is None:
        raise RotationError(f"setSecret: the current user {current['username']} cannot log in with AWSCURRENT")
    base = base_user(user)
    with conn:
        exists = conn.scalar(f"SELECT count(*) FROM pg_roles WHERE rolname = {quote_literal(user)}") == "1"
        if not exists:
            if user == base:
                raise RotationError(f"setSecret: the role {user} does not exist; only the clone is created here")
            # One implicit transaction: the clone exists complete or not at all.
            conn.query(
                f"CREATE ROLE {quote_ident(user)} LOGIN PASSWORD {quote_literal(verifier)};"
                f"GRANT {quote_ident(base)} TO {quote_ident(user)};"
                f"ALTER ROLE {quote_ident(user)} SET role = {quote_literal(base)}"
            )
            logger.info("setSecret: created %s (member of %s, sessions SET ROLE %s)", user, base, base)
        else:
            conn.query(change)
            logger.info("setSecret: %s set the password of %s", current["username"], user)


def test_secret(sm, arn: str, token: str, strategy: str) -> None:
    """The pending credentials log in, act as the owner role, and the url says the same."""
    pending = get_secret(sm, arn, "AWSPENDING", token)
    conn = login(pending)
    if conn is None:
        raise RotationError(f"testSecret: {pending['username']} cannot log in with the pending password")
    with conn:
        session_user, current_user = conn.query("SELECT session_user, current_user")[0]
    want = pending["username"] if strategy == "single" else base_user(pending["username"])
    if session_user != pending["username"] or current_user != want:
        raise RotationError(f"testSecret: logged in as {session_user} acting as {current_user}, expected {pending['username']} acting as {want}")
    url = urllib.parse.urlsplit(pending["url"])
    parts = (urllib.parse.unquote(url.username or ""), urllib.parse.unquote(url.password or ""), url.hostname, str(url.port), url.path.lstrip("/"))
    if parts != (pending["username"], pending["password"], pending["host"].lower(), str(pending["port"]), pending["dbname"]):
        raise RotationError("testSecret: url does not carry the pending username, password, host, port and dbname")
    logger.info("testSecret: %s logs in (acting as %s) and the url matches", session_user, current_user)


def finish_secret(sm, arn: str, token: str, strategy: str) -> None:  # noqa: ARG001
    """AWSCURRENT moves to the new version (the old one becomes AWSPREVIOUS); the backend redeploys."""
    meta = sm.describe_secret(SecretId=arn)
    current = next((v for v, stages in meta["VersionIdsToStages"].items() if "AWSCURRENT" in stages), None)
    sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)
    # No AWSPENDING left behind: the next RotateSecret must not look like a rotation in progress.
    sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSPENDING", RemoveFromVersionId=token)
    logger.info("finishSecret: version %s is AWSCURRENT (was %s)", token, current)
    redeploy_backend()


# ---------------------------------------------------------------------------------------------
# Helpers


def redeploy_backend() -> None:
    """A new deployment of the backend service, so its tasks start with the new AWSCURRENT."""
    cluster, service = os.environ.get("ECS_CLUSTER"), os.environ.get("ECS_SERVICE")
    if not cluster or not service:
        logger.info("no ECS_CLUSTER/ECS_SERVICE: nothing to redeploy")
        return
    ecs = boto3.client("ecs")
    try:
        ecs.update_service(cluster=cluster, service=service, forceNewDeployment=True)
        logger.info("redeploy: new deployment of %s in %s", service, cluster)
    except ClientError as err:
        code = err.response["Error"]["Code"]
        if code in ("ClusterNotFoundException", "ServiceNotFoundException", "ServiceNotActiveException"):
            # The ecs layer is not deployed yet (first deploy): its tasks will start with AWSCURRENT.
            logger.warning("redeploy: %s/%s does not exist yet (%s); nothing to redeploy", cluster, service, code)
            return
        raise


def get_secret(sm, arn: str, stage: str, token: str | None = None) -> dict:
    kwargs = {"SecretId": arn, "VersionStage": stage}
    if token:
        kwargs["VersionId"] = token
    value = json.loads(sm.get_secret_value(**kwargs)["SecretString"])
    missing = [k for k in REQUIRED_KEYS if not value.get(k)]
    if missing:
        raise RotationError(f"{stage} of {arn} lacks {', '.join(missing)}")
    if value.get("engine") != "postgres":
        raise RotationError(f"{stage} of {arn} is not a postgres secret")
    return value


def get_secret_or_none(sm, arn: str, stage: str) -> dict | None:
    try:
        return get_secret(sm, arn, stage)
    except ClientError as err:
        if err.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise
    except RotationError:
        return None  # an unusable AWSPREVIOUS is simply not a way in


def login(secret: dict) -> Connection | None:
    """An open session with these credentials, or None when the server refuses the login."""
    url = urllib.parse.urlsplit(secret.get("url", ""))
    sslmode = dict(urllib.parse.parse_qsl(url.query)).get("sslmode", "require")
    try:
        return Connection(secret["host"], int(secret["port"]), secret["username"], secret["password"], secret["dbname"], sslmode=sslmode, timeout=10)
    except PgError as err:
        if err.sqlstate in LOGIN_REFUSED:
            return None
        raise


def base_user(user: str) -> str:
    return user[: -len(CLONE_SUFFIX)] if user.endswith(CLONE_SUFFIX) else user


def other_user(user: str) -> str:
    """markmail <-> markmail_clone."""
    other = base_user(user) if user.endswith(CLONE_SUFFIX) else user + CLONE_SUFFIX
    quote_ident(other)  # a plain role name of at most 63 characters
    return other


def new_password() -> str:
    while True:
        pw = "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(c.islower() for c in pw) and any(c.isupper() for c in pw) and any(c.isdigit() for c in pw):
            return pw


def connection_url(secret: dict, template: str | None) -> str:
    """postgresql://<user>:<password>@<host>:<port>/<dbname>?<query of the current url>."""
    current = urllib.parse.urlsplit(template or "postgresql://x@h/d?sslmode=require")
    user = urllib.parse.quote(secret["username"], safe="")
    password = urllib.parse.quote(secret["password"], safe="")
    url = f"{current.scheme}://{user}:{password}@{secret['host']}:{secret['port']}/{secret['dbname']}"
    return f"{url}?{current.query}" if current.query else url
