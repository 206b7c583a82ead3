"""gunicorn configuration: gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Workers are recycled now and then (memory); spread widely so they never restart together, and forked from a
# master that has already loaded the app (preload_app), so a new worker serves within milliseconds instead of
# re-importing Django: under load, five workers restarting at once stalled every request for over 10 s.
max_requests = 5000
max_requests_jitter = 2500
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
