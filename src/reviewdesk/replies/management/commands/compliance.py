"""`reviewdesk compliance check [TEXT] [--file FILE] [--json]`.

Checks one text, or one text per line of FILE (blank lines skipped), and prints per text whether it
is blocked, the rule and the evidence. Exit status: 1 when any text is blocked, 0 when none is,
2 on a usage error (no text, unreadable file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.replies.compliance import CheckContext, check


class Command(BaseCommand):
    help = "Check texts for review inducement (好评返现, requests to revise or delete a review)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        checking = sub.add_parser("check", help="check TEXT, or each line of --file")
        checking.add_argument("text", nargs="?", help="the text to check")
        checking.add_argument("--file", help="a UTF-8 file with one text per line")
        checking.add_argument("--json", action="store_true", help="one JSON object per text")
        checking.add_argument(
            "--buyer-offered",
            action="store_true",
            help="the buyer offered to revise on their own (allows the how-to they asked for)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        texts = self._texts(options)
        context = CheckContext(buyer_offered_revise=options["buyer_offered"])
        blocked = 0
        for text in texts:
            result = check(text, context)
            blocked += result.blocked
            if options["json"]:
                self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
                continue
            mark = "blocked: true " if result.blocked else "blocked: false"
            self.stdout.write(f"{mark}  {text}")
            for finding in result.findings:
                self.stdout.write(
                    f"  - {finding.rule_id} {finding.rule_name}：“{finding.evidence}” "
                    f"（{finding.source}）"
                )
        if blocked:
            raise CommandError(f"{blocked} of {len(texts)} texts blocked", returncode=1)

    def _texts(self, options: dict[str, Any]) -> list[str]:
        texts: list[str] = []
        if options["text"]:
            texts.append(options["text"])
        if options["file"]:
            try:
                content = Path(options["file"]).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {options['file']}: {exc}", returncode=2) from exc
            texts.extend(line.strip() for line in content.splitlines() if line.strip())
        if not texts:
            raise CommandError("give a TEXT or --file FILE", returncode=2)
        return texts
