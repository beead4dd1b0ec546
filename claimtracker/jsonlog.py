"""One JSON object per log line, for log shippers (journald, Loki, CloudWatch, Datadog).

Used by production settings for Django's own logs and by ``gunicorn.conf.py`` for gunicorn's
error and access logs, so everything a server writes to stdout parses the same way.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Mapping

# Gunicorn passes each access-log line's values as a mapping of one-letter "atoms".
ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "protocol": "H",
    "status": "s",
    "bytes": "B",
    "referer": "f",
    "user_agent": "a",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(self.access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        return json.dumps(entry, default=str)

    @staticmethod
    def access_fields(atoms: Mapping[str, object]) -> dict[str, object]:
        fields: dict[str, object] = {"message": "request"}
        for name, atom in ACCESS_FIELDS.items():
            value = atoms.get(atom)
            if value not in (None, "-", ""):
                fields[name] = value
        if "status" in fields:
            fields["status"] = int(str(fields["status"]).split()[0])
        if "bytes" in fields:
            fields["bytes"] = int(str(fields["bytes"]))
        duration = atoms.get("D")
        if duration not in (None, "-"):
            fields["duration_ms"] = round(int(str(duration)) / 1000, 1)
        forwarded_for = atoms.get("{x-forwarded-for}i")
        if forwarded_for not in (None, "-", ""):
            fields["forwarded_for"] = forwarded_for
        return fields
