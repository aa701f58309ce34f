"""Platform ids (tid, oid, num_iid) are 64-bit integers that must never pass through a float.

Exports mangle them: `="1930679858170647"`, a leading tab or quote, or Excel's scientific
notation `1.93068E+15` (which has lost digits and is rejected). PLATFORM §1.3, EXPORTS §1a.
"""

from __future__ import annotations

import re

_WRAPPERS = re.compile(r'^[=\s\'"]+|[\s\'"]+$')
_DIGITS = re.compile(r"^\d{1,19}$")
MAX_INT64 = 2**63 - 1


class PlatformIdError(ValueError):
    pass


def parse_platform_id(raw: object) -> int:
    """Return the id as int; raise PlatformIdError with the reason otherwise."""
    if isinstance(raw, bool):
        raise PlatformIdError("not an id")
    if isinstance(raw, int):
        value = raw
    else:
        if isinstance(raw, float):
            raise PlatformIdError("stored as a number in the spreadsheet; digits may be lost")
        text = _WRAPPERS.sub("", str(raw or ""))
        if text == "":
            raise PlatformIdError("missing")
        if "E+" in text.upper() or "." in text:
            raise PlatformIdError(
                f"{text!r} looks like Excel scientific notation; digits were lost"
            )
        if not _DIGITS.match(text):
            raise PlatformIdError(f"{text!r} is not a numeric id")
        value = int(text)
    if not 0 < value <= MAX_INT64:
        raise PlatformIdError(f"{value} is outside the 64-bit id range")
    return value
