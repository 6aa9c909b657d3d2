"""Check (or with --update, refresh) the zh-hans catalogue.

The check fails when a marked string is missing from the catalogue, when an entry is left
untranslated or fuzzy, or when the compiled .mo differs from the .po.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "linli" / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def makemessages() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.settings",
        "LINLI_ENV": "test",
        "LINLI_SECRET_KEY": "x" * 50,
        "LINLI_FIELD_KEY": "y" * 43,
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            "--no-wrap",
            "-i",
            "static/*",
            "-v",
            "0",
        ],
        cwd=ROOT / "linli",
        env=env,
        check=True,
    )


def keys(po: polib.POFile) -> set[tuple[str, str, str]]:
    return {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete}


def problems(po: polib.POFile) -> list[str]:
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            found.append(f"untranslated: {entry.msgid!r}")
    return found


def main() -> int:
    if "--update" in sys.argv:
        makemessages()
        po = polib.pofile(str(PO))
        po.save_as_mofile(str(MO))
        for line in problems(po):
            print(line)
        print(f"{PO.relative_to(ROOT)} refreshed and compiled")
        return 0
    committed = polib.pofile(str(PO))
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(PO, backup)
        try:
            makemessages()
            fresh = polib.pofile(str(PO))
        finally:
            shutil.copy2(backup, PO)
    errors = []
    missing = keys(fresh) - keys(committed)
    stale = keys(committed) - keys(fresh)
    errors += [f"not in the catalogue: {m[1]!r}" for m in sorted(missing)]
    errors += [f"no longer used: {s[1]!r}" for s in sorted(stale)]
    errors += problems(committed)
    compiled = {
        (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    source = {
        (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in committed
        if e.translated() and not e.obsolete
    }
    if compiled != source:
        errors.append(f"{MO.relative_to(ROOT)} is out of date: run 'make i18n'")
    if errors:
        print("Translation catalogue problems (run 'make i18n', then translate):")
        for line in errors:
            print("  " + line)
        return 1
    print(f"Translations complete: {len(source)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
