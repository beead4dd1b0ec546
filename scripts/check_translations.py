"""Fail when a Ukrainian or Russian catalogue has an untranslated, fuzzy or malformed entry.

Run by `make translations-check` after `makemessages` has brought the catalogues up to date with
the code, so a string marked for translation without a translation fails CI. Prints each problem
with its catalogue and message id, and exits non-zero.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("uk", "ru")
# Ukrainian and Russian have three plural forms ("1 заява / 2 заяви / 5 заяв").
PLURAL_FORMS = 3


def problems(language: str) -> list[str]:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return [f"{path}: missing (run `make messages`)"]
    catalogue = polib.pofile(str(path))
    found = []
    plural_header = catalogue.metadata.get("Plural-Forms", "")
    if f"nplurals={PLURAL_FORMS};" not in plural_header.replace(" ", ""):
        found.append(f"{path}: Plural-Forms should give nplurals={PLURAL_FORMS}, not {plural_header!r}")
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = f"{path.relative_to(ROOT)}: {entry.msgid[:70]!r}"
        if "fuzzy" in entry.flags:
            found.append(f"{where} is fuzzy")
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural.get(index, "") for index in range(PLURAL_FORMS)]
            if not all(forms):
                found.append(f"{where} lacks a plural form ({sum(map(bool, forms))} of {PLURAL_FORMS})")
        elif not entry.msgstr:
            found.append(f"{where} is untranslated")
    return found


def main() -> int:
    found = [problem for language in LANGUAGES for problem in problems(language)]
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} catalogue problem(s): translate them in locale/<lang>/LC_MESSAGES/django.po.")
        return 1
    print("Catalogues complete: " + ", ".join(LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
