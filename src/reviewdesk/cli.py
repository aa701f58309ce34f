"""The `reviewdesk` console script: Django's management commands plus reviewdesk's own.

`reviewdesk import reviews FILE --shop SLUG`, `reviewdesk cases list`, `reviewdesk migrate`, ...
all go through here, so DATABASE_URL and the other settings apply the same way everywhere.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["reviewdesk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
