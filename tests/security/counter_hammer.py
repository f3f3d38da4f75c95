"""Run by test_rate_limits_shared in several processes at once: hits one limit many times.

Each process sets Django up on the database its environment names, says "ready", waits
for a line on stdin (so all start together) and prints one JSON list: whether each hit
was within the limit.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mains.settings")


def main() -> None:
    import django

    django.setup()
    from mains.public.ratelimit import Limit

    limit, hits = int(sys.argv[1]), int(sys.argv[2])
    counter = Limit("hammer", limit, 3600)
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps([counter.hit("203.0.113.7") for _ in range(hits)]), flush=True)


if __name__ == "__main__":
    main()
