"""Gunicorn settings for `make serve` and the systemd unit in docs/deploy.md.

Everything comes from the environment (see .env.example): HOST and PORT to listen on,
WEB_CONCURRENCY worker processes (default: two per CPU core, plus one), LOG_LEVEL, and
GUNICORN_TIMEOUT. Access and error logs go to stdout as one JSON object per line.
"""

import multiprocessing

from claimtracker.env import env_int, env_str

# claimtracker/wsgi.py defaults DJANGO_SETTINGS_MODULE to claimtracker.settings.production.
wsgi_app = "claimtracker.wsgi:application"

bind = [f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000, minimum=1)}"]
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1, minimum=1)
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = timeout
keepalive = 5
# Recycle workers now and then so a slow leak never takes a server down; jitter keeps them
# from all restarting at once.
max_requests = 1000
max_requests_jitter = 100
# Trust X-Forwarded-* only from the proxy in front (nginx on the same host by default).
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "claimtracker.jsonlog.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "root": {"level": loglevel.upper(), "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
