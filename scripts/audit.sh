#!/usr/bin/env bash
# Security audit: bandit over the project's code, pip-audit over the installed dependencies.
# Exits non-zero on any unresolved finding. Reviewed false positives carry a `# nosec` with
# the reason on the line itself.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# Every Django app (a folder with an apps.py) and the project package; new apps are covered
# without editing this list.
mapfile -t CODE < <(for apps in */apps.py; do dirname "$apps"; done; echo claimtracker)
echo "bandit: static analysis of ${CODE[*]}"
.venv/bin/bandit -c pyproject.toml -r "${CODE[@]}" --quiet --exclude "*/migrations/*"
echo "bandit: no findings"

# pip-audit looks each installed package up in a vulnerability service (PyPI's JSON API). Where
# that service cannot be reached, say so plainly rather than report a clean audit.
if $PY - <<'PY'
import sys
import urllib.request

import django

# pip-audit asks for each installed release by name and version.
url = f"https://pypi.org/pypi/django/{django.get_version()}/json"
try:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        sys.exit(0 if response.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
then
    echo "pip-audit: installed dependencies against known vulnerabilities"
    .venv/bin/pip-audit --strict --progress-spinner off
else
    echo "pip-audit: NOT RUN - PyPI's vulnerability data (https://pypi.org/pypi/<name>/<version>/json) is not reachable"
    echo "           from this machine, so no dependency could be checked. Run 'make audit' where it is."
fi
