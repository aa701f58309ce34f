"""`make test`: the whole suite on SQLite, then the database-facing tests on PostgreSQL + Redis.

The second leg runs when PostgreSQL (127.0.0.1:5432, database `test`) and Redis (127.0.0.1:6379)
answer, and prints a notice when they do not, so a laptop without them still passes. CI sets
REVIEWDESK_REQUIRE_SERVICES=1, which turns their absence into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile

PG_URL = os.environ.get("REVIEWDESK_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REVIEWDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _pytest(args: list[str], env: dict[str, str]) -> int:
    cmd = [sys.executable, "-m", "pytest", *args]
    print("$", " ".join(cmd), flush=True)
    return subprocess.call(cmd, env=env)  # noqa: S603 - our own interpreter and arguments


def main() -> int:
    extra = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="reviewdesk-test-") as var_dir:
        base_env = {
            **os.environ,
            "REVIEWDESK_TESTING": "1",
            "REVIEWDESK_VAR_DIR": var_dir,
        }
        base_env.pop("DATABASE_URL", None)
        base_env.pop("REDIS_URL", None)
        print("== reviewdesk tests on SQLite", flush=True)
        code = _pytest(["-q", *extra], base_env)
        if code not in (0, 5):
            return code

        require = os.environ.get("REVIEWDESK_REQUIRE_SERVICES", "") in {"1", "true"}
        if not (_answers("127.0.0.1", 5432) and _answers("127.0.0.1", 6379)):
            message = "PostgreSQL on 127.0.0.1:5432 or Redis on 127.0.0.1:6379 does not answer"
            if require:
                print(f"FAILED: {message}; CI requires them", flush=True)
                return 1
            print(f"NOTICE: {message}; skipped the PostgreSQL + Redis leg", flush=True)
            return 0
        print("== database-facing tests on PostgreSQL + Redis", flush=True)
        pg_env = {**base_env, "DATABASE_URL": PG_URL, "REDIS_URL": REDIS_URL}
        code = _pytest(["-q", "-m", "postgres", *extra], pg_env)
        return 0 if code in (0, 5) else code


if __name__ == "__main__":
    sys.exit(main())
