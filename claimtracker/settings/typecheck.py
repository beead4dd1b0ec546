"""Settings mypy's Django plugin loads (pyproject.toml): development, without modeltranslation's
registrations, so the plugin reads each model's managers as declared rather than the classes the
library builds at run time (which it cannot resolve)."""

from claimtracker.settings.dev import *  # noqa: F403

MODELTRANSLATION_ENABLE_REGISTRATIONS = False
