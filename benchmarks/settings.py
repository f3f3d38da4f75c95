"""Settings for benchmark runs: mains' own, plus a constant-JSON view as the framework's floor."""

from mains.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
