"""`reviewdesk explain check TEXT [--json]` and `reviewdesk explain draft CASE_ID`.

`check` prints the tone findings of a public explanation (`{"findings": [{"rule", "message", ...}]}`
with --json) plus any compliance findings, and exits 0: the findings are advice for a person.
`draft` prints the draft explanation for a case (the LLM when configured, else the template),
acting as the console's system actor or, with --as, as that user.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.cases.errors import CaseError
from reviewdesk.cases.selectors import case_get
from reviewdesk.replies import llm
from reviewdesk.replies.compliance import check
from reviewdesk.replies.errors import ReplyError
from reviewdesk.replies.explanations import explanation_deadline
from reviewdesk.replies.services import explanation_facts, known_personal_data
from reviewdesk.replies.tone import check_tone
from reviewdesk.shops.selectors import Actor, SystemActor


class Command(BaseCommand):
    help = "Public explanations (评价解释): tone check and drafts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        checking = sub.add_parser("check", help="tone and compliance findings for TEXT")
        checking.add_argument("text")
        checking.add_argument("--json", action="store_true")
        drafting = sub.add_parser("draft", help="print a draft explanation for a case")
        drafting.add_argument("case_id", type=int)
        drafting.add_argument("--new-products", action="store_true", help="add a new-product line")
        drafting.add_argument("--no-llm", action="store_true", help="use the template engine")
        drafting.add_argument("--as", dest="as_user", help="act as USERNAME")
        drafting.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(options["text"], as_json=options["json"])
        else:
            self._draft(options)

    def _check(self, text: str, *, as_json: bool) -> None:
        findings = [f.as_dict() for f in check_tone(text)]
        compliance = check(text)
        findings += [
            {
                "rule": f"compliance:{f.rule_id}",
                "message": f"{f.rule_name}：{f.explanation}",
                "evidence": f.evidence,
                "severity": "error",
            }
            for f in compliance.findings
        ]
        if as_json:
            self.stdout.write(json.dumps({"findings": findings}, ensure_ascii=False))
            return
        if not findings:
            self.stdout.write("没有发现问题")
        for finding in findings:
            evidence = f"“{finding['evidence']}” " if finding["evidence"] else ""
            self.stdout.write(f"[{finding['rule']}] {evidence}{finding['message']}")

    def _actor(self, username: str | None) -> Actor:
        if not username:
            return SystemActor()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"unknown user {username!r}", returncode=2)
        return user

    def _draft(self, options: dict[str, Any]) -> None:
        actor = self._actor(options.get("as_user"))
        try:
            case = case_get(actor=actor, case_id=options["case_id"])
        except CaseError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if case.review is None:
            raise CommandError(f"case {case.pk} has no review to explain", returncode=2)
        try:
            facts = explanation_facts(case=case, new_product_line=options["new_products"])
        except ReplyError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        config = None if options["no_llm"] else llm.LlmConfig.from_settings()
        draft = llm.draft_explanation_text(
            facts, config=config, known_personal=known_personal_data(case)
        )
        deadline = explanation_deadline(case.review)
        if options["json"]:
            payload = {
                "case": case.pk,
                "draft": draft.text,
                "source": draft.source,
                "fallback_reason": draft.fallback_reason or None,
                "deadline": deadline.isoformat() if deadline else None,
                "findings": [f.as_dict() for f in check_tone(draft.text)],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(draft.text)
        if draft.fallback_reason:
            self.stderr.write(f"（模板草稿：{draft.fallback_reason}）")
        if deadline is None:
            self.stderr.write("注意：买家已追评，平台不再接受解释（PLATFORM L8）")
