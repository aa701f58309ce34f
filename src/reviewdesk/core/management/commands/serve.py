"""`reviewdesk serve [--host 127.0.0.1] [--port 8000] [--no-worker]`: web app + background worker.

What `make run` ends with. The web server is Django's own threaded WSGI server (the one behind
`runserver`, without the autoreloader), wrapped in StaticFilesHandler so CSS/JS are served with
DEBUG off. It is meant for the demo and a small team on one machine; production runs the WSGI app
(`reviewdesk.wsgi:application`) under gunicorn or uWSGI and `reviewdesk run_huey` as a service
(docs/operations.md).

The Huey consumer runs as a child process (`reviewdesk run_huey`) in its own session, so the
terminal's Ctrl-C reaches only this command, which then stops the web server, asks the consumer
to finish its running tasks (SIGINT = graceful in Huey), waits for it, and exits 0. SIGTERM does
the same. On Linux the child also gets SIGTERM if this process dies without cleaning up.
"""

from __future__ import annotations

import ctypes
import signal
import socketserver
import subprocess
import sys
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError

WORKER_GRACE_SECONDS = 15  # running tasks (a sync takes well under a second) may finish


class ThreadedWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow client never blocks shutdown


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM when the parent dies (Linux prctl)."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class Command(BaseCommand):
    help = "Serve the web app and its background worker; Ctrl-C stops both."
    requires_migrations_checks = True

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument(
            "--no-worker", action="store_true", help="serve the web app only (no Huey consumer)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        app = StaticFilesHandler(get_wsgi_application())
        try:
            httpd = ThreadedWSGIServer((host, port), WSGIRequestHandler, ipv6=":" in host)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        httpd.set_app(app)

        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

        worker = None if options["no_worker"] else self._start_worker()
        server = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True
        )
        server.start()
        self._banner(host, port, worker is not None)
        try:
            worker_exited = False
            while not stop.wait(0.5):
                if worker is not None and not worker_exited and worker.poll() is not None:
                    worker_exited = True
                    self.stderr.write(
                        f"background worker exited with code {worker.returncode}; the web app "
                        "keeps running, background jobs (simulator, reminders) are stopped"
                    )
        finally:
            self.stdout.write("stopping…")
            httpd.shutdown()
            httpd.server_close()
            if worker is not None:
                self._stop_worker(worker)
        self.stdout.write("stopped")

    def _start_worker(self) -> subprocess.Popen[bytes]:
        # --quiet: the consumer logs warnings and errors; the tasks log what they did.
        command = [sys.executable, "-m", "reviewdesk", "run_huey", "--quiet"]
        # Started before the server thread, so preexec_fn runs in a single-threaded process.
        return subprocess.Popen(  # noqa: S603 - our own interpreter and command
            command,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is not None:
            return
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=WORKER_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.stderr.write("background worker did not stop in time; terminating it")
            worker.terminate()
            try:
                worker.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def _banner(self, host: str, port: int, with_worker: bool) -> None:
        # The demo's logins live with the demo; importing them here keeps core free of platforms
        # at import time (this is an interface, the only place allowed to know both).
        from reviewdesk.platforms.management.commands.demo import logins_text

        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}/"
        try:
            self.stdout.write(logins_text(url))
        except DatabaseError:
            self.stdout.write(f"reviewdesk: {url}")
            self.stderr.write("the database is not ready: run `reviewdesk migrate` first")
        worker = "with its background worker" if with_worker else "without background worker"
        self.stdout.write(
            f"serving {worker} (Django's threaded development server); Ctrl-C stops",
        )
        self.stdout.flush()  # the banner must show even when stdout is a pipe
