"""Settings of the HTTP benchmark's server: linli's own, with the minimal view added."""

from linli.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
