"""Orders created through the API while the PostgreSQL behind it restarts: none lost, none twice.

    .venv/bin/python -m benchmarks.api_outage [--seconds 60] [--down-seconds 5] [--clients 4]

Starts a PostgreSQL of its own (initdb into a temporary directory, the Debian binaries of
/usr/lib/postgresql/*/bin, a free port on 127.0.0.1; as the `postgres` OS user when run as
root, since initdb refuses root), migrates it, makes an agent and an API token, and serves
mains with gunicorn on loopback. Client threads then create orders for `--seconds`, each
order with its own Idempotency-Key, retrying the same key after a 5xx or a broken
connection. In the middle the PostgreSQL is stopped (`-m immediate`: a crash, no
checkpoint, so its restart replays the WAL), left down for `--down-seconds` and started.

At the end it prints the acknowledged orders (2xx) against the rows in the database (lost:
acknowledged but absent; duplicated: more than one row for a key), the 5xx and broken
connections seen while the database was down (and whether every 5xx was a JSON 503 with
Retry-After), and the recovery time from the database accepting connections to the first
201. Everything it started (gunicorn, PostgreSQL, temporary files) is removed at the end,
on Ctrl+C too; every wait is bounded. The machine's own PostgreSQL is never touched.
"""

import argparse
import contextlib
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_NAME = "mains_outage"
REQUEST_TIMEOUT_S = 10
GRACE_S = 30  # after the run, a client finishes the order it is retrying for at most this


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        sys.exit(
            "No PostgreSQL server binaries in /usr/lib/postgresql/*/bin "
            "(apt-get install postgresql)."
        )
    return Path(found[-1]).parent


class Cluster:
    """A throw-away PostgreSQL: its own data directory, socket directory and port."""

    def __init__(self, workdir: Path):
        self.bin = postgres_bin()
        self.port = free_port()
        self.data = workdir / "pgdata"
        self.sockets = workdir / "pgsocket"
        self.log = workdir / "postgres.log"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def _run(self, *command: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_postgres, *command],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def create(self) -> None:
        for path in (self.data, self.sockets):
            path.mkdir()
            if self.as_postgres:
                shutil.chown(path, "postgres", "postgres")
        if self.as_postgres:
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            timeout=120,
        )
        self.start()
        self._run(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            DB_NAME,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.sockets}"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
            timeout=90,
        )

    def stop(self, mode: str = "immediate") -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-m",
            mode,
            "-w",
            "-t",
            "30",
            "stop",
            timeout=60,
        )

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@dataclass
class Tally:
    """What the clients saw; appended to from every thread under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: dict[str, dict] = field(default_factory=dict)  # key → the 2xx answer
    abandoned: list[str] = field(default_factory=list)  # keys given up at the deadline
    refused: list[tuple[str, int, str]] = field(default_factory=list)  # 4xx other than 409
    failures: list[dict] = field(default_factory=list)  # every 5xx and broken connection
    replayed: int = 0
    created_at: list[float] = field(default_factory=list)  # when each 201 arrived


def api_request(conn, key: str, body: bytes, token: str):
    conn.request(
        "POST",
        "/api/v1/orders",
        body=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
            "Accept-Language": "en",
        },
    )
    response = conn.getresponse()
    return response, response.read()


def client_loop(port: int, token: str, until: float, stop: threading.Event, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    while time.monotonic() < until and not stop.is_set():
        key = uuid.uuid4().hex
        body = json.dumps(
            {"category": "W-LEAK", "description": f"outage bench {key}", "address": "压测路1号"}
        ).encode()
        give_up = until + GRACE_S
        while not stop.is_set():
            if time.monotonic() > give_up:
                with tally.lock:
                    tally.abandoned.append(key)
                break
            try:
                response, raw = api_request(conn, key, body, token)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                with tally.lock:
                    tally.failures.append(
                        {"at": time.monotonic(), "status": None, "error": repr(exc)}
                    )
                time.sleep(0.5)
                continue
            status = response.status
            if 200 <= status < 300:
                with tally.lock:
                    tally.acknowledged[key] = json.loads(raw)
                    tally.created_at.append(time.monotonic())
                    tally.replayed += response.getheader("Idempotent-Replayed") == "true"
                break
            if status >= 500:
                failure = {
                    "at": time.monotonic(),
                    "status": status,
                    "content_type": response.getheader("Content-Type", ""),
                    "retry_after": response.getheader("Retry-After"),
                    "error": _error_code(raw),
                }
                with tally.lock:
                    tally.failures.append(failure)
                time.sleep(min(float(failure["retry_after"] or 1), 0.5))
                continue
            if status == 409:  # in_progress: the first copy is still running; ask again
                time.sleep(0.2)
                continue
            with tally.lock:
                tally.refused.append((key, status, raw.decode("utf-8", "replace")[:200]))
            break
    conn.close()


def _error_code(raw: bytes) -> str | None:
    try:
        return json.loads(raw).get("error")
    except (ValueError, AttributeError):
        return None


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout


def wait_for_http(port: int, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz")


def count_rows(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as db:
        rows = db.execute(
            "SELECT substr(description, 14), count(*) FROM desk_workorder "
            "WHERE description LIKE 'outage bench %%' GROUP BY 1"
        ).fetchall()
    return dict(rows)


def run(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="mains-outage-"))
    os.chmod(workdir, 0o755)  # the postgres user reaches its data directory inside
    cluster = Cluster(workdir)
    server = None
    stop = threading.Event()
    try:
        print(f"PostgreSQL {cluster.bin.parent.name} in {workdir} on 127.0.0.1:{cluster.port}")
        cluster.create()
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "MAINS_DATA_DIR": str(workdir / "var"),
            "DJANGO_SETTINGS_MODULE": "mains.settings",
            "DEBUG": "False",
            "LOG_LEVEL": "ERROR",
            "AUTO_DISPATCH": "True",
        }
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        manage(
            env,
            "shell",
            "-c",
            "from mains.org.models import User; "
            "User.objects.create_user('outage-agent', password='outage-bench', role='agent')",
        )
        token = manage(env, "api_token", "create", "outage-agent", "--name", "outage bench").strip()
        http_port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "mains.wsgi:application",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{http_port}",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=open(workdir / "gunicorn.log", "wb"),
            stderr=subprocess.STDOUT,
        )
        wait_for_http(http_port)
        print(
            f"gunicorn, {args.workers} workers, on 127.0.0.1:{http_port}; "
            f"{args.clients} clients for {args.seconds} s"
        )

        tally = Tally()
        began = time.monotonic()
        until = began + args.seconds
        threads = [
            threading.Thread(
                target=client_loop, args=(http_port, token, until, stop, tally), daemon=True
            )
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, args.seconds / 2 - args.down_seconds / 2))
        down_at = time.monotonic()
        cluster.stop("immediate")
        print(f"  {down_at - began:5.1f} s  PostgreSQL stopped (immediate)")
        time.sleep(args.down_seconds)
        cluster.start()
        up_at = time.monotonic()
        print(f"  {up_at - began:5.1f} s  PostgreSQL accepting connections again")
        for thread in threads:
            thread.join(timeout=max(0.0, until - time.monotonic()) + GRACE_S + REQUEST_TIMEOUT_S)
        stop.set()

        rows = count_rows(cluster.url)
        return report(tally, rows, began, down_at, up_at)
    except Exception:
        for log in ("gunicorn.log", "postgres.log"):
            if (workdir / log).exists():
                print(
                    f"--- the end of {log}:",
                    *(workdir / log).read_text().splitlines()[-15:],
                    sep="\n",
                )
        raise
    finally:
        stop.set()
        if server is not None and server.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=5)
        if cluster.running():
            with contextlib.suppress(Exception):
                cluster.stop("immediate")
        shutil.rmtree(workdir, ignore_errors=True)


def report(tally: Tally, rows: dict[str, int], began: float, down_at: float, up_at: float) -> int:
    acknowledged = set(tally.acknowledged)
    lost = [key for key in acknowledged if rows.get(key, 0) == 0]
    duplicated = {key: n for key, n in rows.items() if n > 1}
    unacknowledged_rows = [key for key in rows if key not in acknowledged]
    first_after_up = min((t for t in tally.created_at if t >= up_at), default=None)
    outage = [f for f in tally.failures if f["at"] >= down_at]
    http5xx = [f for f in tally.failures if f["status"] is not None]
    broken = [f for f in tally.failures if f["status"] is None]
    json503 = [
        f
        for f in http5xx
        if f["status"] == 503
        and f["content_type"].startswith("application/json")
        and f["retry_after"]
        and f["error"] == "database_unavailable"
    ]
    print()
    print(
        f"acknowledged orders (2xx)         {len(acknowledged)}"
        f" ({len(acknowledged) / (tally.created_at[-1] - began if tally.created_at else 1):.1f}/s)"
    )
    print(f"  of them replayed answers        {tally.replayed}")
    print(f"rows in the database              {sum(rows.values())}")
    print(f"lost (acknowledged, no row)       {len(lost)}")
    print(f"duplicated (keys with > 1 row)    {len(duplicated)}")
    print(f"rows never acknowledged           {len(unacknowledged_rows)}")
    print(f"abandoned at the deadline         {len(tally.abandoned)}")
    print(f"refused (4xx)                     {len(tally.refused)}")
    after_stop = len([f for f in outage if f["status"]])
    print(f"5xx answers                       {len(http5xx)} (after the stop: {after_stop})")
    print(f"  JSON 503 database_unavailable with Retry-After: {len(json503)} of {len(http5xx)}")
    print(f"broken connections                {len(broken)}")
    for failure in broken[:3]:
        print(f"  at {failure['at'] - began:5.1f} s: {failure['error']}")
    if first_after_up is None:
        print("recovery: no 201 after the database came back")
    else:
        print(f"recovery (database up → first 201) {(first_after_up - up_at) * 1000:.0f} ms")
    print(f"database down for                 {up_at - down_at:.1f} s")
    for key, status, text in tally.refused[:3]:
        print(f"  refused {key}: {status} {text}")
    ok = not lost and not duplicated and len(json503) == len(http5xx) and first_after_up is not None
    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--down-seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if not 10 <= args.seconds <= 600 or not 1 <= args.down_seconds <= args.seconds / 2:
        parser.error("--seconds 10–600, --down-seconds from 1 to half of it")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))  # the finally cleans up
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
