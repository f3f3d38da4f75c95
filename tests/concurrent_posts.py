"""Several copies of one API request sent at the same moment, each on its own connection."""

import threading

from django.db import connection
from django.test import Client


def post_at_once(url: str, body: dict, headers: dict, copies: int = 3) -> list[tuple]:
    """(status, JSON answer) of each copy; an exception in a thread is kept as ("error", …)."""
    barrier = threading.Barrier(copies)
    answers: list[tuple] = []

    def post() -> None:
        try:
            barrier.wait(timeout=10)
            response = Client().post(url, body, content_type="application/json", headers=headers)
            answers.append((response.status_code, response.json()))
        except Exception as exc:  # reported by the test, not lost in the thread
            answers.append(("error", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers
