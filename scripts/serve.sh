#!/usr/bin/env bash
# Production server: check the settings, apply migrations, collect static files, run gunicorn.
#
# Configuration comes from the environment (see .env.example). `make serve` runs this; so can
# a systemd unit or a container entrypoint. Set SERVE_MIGRATE=0 on all but one app server
# when several start at once, and run `manage.py migrate` as a release step instead.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON_BIN:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-claimtracker.settings.production}"

# Settings refuse to load when something required is missing; say so in one paragraph
# instead of a traceback.
"$PY" - <<'PYTHON'
import sys

import django
from django.core.exceptions import ImproperlyConfigured

try:
    django.setup()
except ImproperlyConfigured as error:
    sys.exit(f"claimtracker cannot start: {error}\nSet these in the environment; .env.example lists every variable.")
PYTHON

if [ "${SERVE_MIGRATE:-1}" != 0 ]; then
    "$PY" manage.py migrate --no-input
fi
"$PY" manage.py collectstatic --no-input --verbosity 0
exec "$PY" -m gunicorn --config gunicorn.conf.py
