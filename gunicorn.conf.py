"""gunicorn settings for tieju, read from the environment (`gunicorn -c gunicorn.conf.py tieju.wsgi`).

Defaults suit one host behind nginx on the same machine; every value can be set per host
without editing this file.
"""

import multiprocessing

from tieju.env import env_bool, env_int, env_str

wsgi_app = "tieju.wsgi:application"
bind = env_str("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker, so the count bounds concurrent requests
# and PostgreSQL connections (workers × threads per host).
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", 1, minimum=1)
timeout = env_int("GUNICORN_TIMEOUT", 60, minimum=1)  # an import of a large table takes a few seconds
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = env_int("GUNICORN_KEEPALIVE", 5, minimum=0)
# Recycle workers now and then so a slow leak in any library cannot grow without bound.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 200, minimum=0)
# Access log to stdout ("-") by default, for journald; GUNICORN_ACCESS_LOG=off turns it off.
_access_log = env_str("GUNICORN_ACCESS_LOG", "-")
accesslog = None if _access_log == "off" else _access_log
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = env_str("GUNICORN_ERROR_LOG", "-")
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
# Only the local nginx may claim a client's scheme and address.
forwarded_allow_ips = env_str("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
worker_tmp_dir = env_str("GUNICORN_WORKER_TMP_DIR", "/dev/shm")
# Import the app once in the master, so workers start serving at once (used by `make bench`);
# off by default so a HUP reloads code.
preload_app = env_bool("GUNICORN_PRELOAD", default=False)
proc_name = "tieju"
