"""LLM drafting against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from reviewdesk.replies.explanations import ExplanationFacts, draft_explanation
from reviewdesk.replies.llm import LlmConfig, draft_explanation_text, draft_reply_text
from reviewdesk.replies.models import Explanation
from reviewdesk.replies.services import explanation_draft
from tests.conftest import World, at
from tests.replies.conftest import MakeCase

GOOD = "非常抱歉这次的围巾让您失望了。我们在11月20日 10:20给您打过电话，欢迎联系主管账号甲店:小王。"


class _FakeOpenAI(BaseHTTPRequestHandler):
    reply: ClassVar[str] = GOOD
    status: ClassVar[int] = 200
    seen: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), **body}
        )
        payload = {"choices": [{"message": {"role": "assistant", "content": type(self).reply}}]}
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def fake_llm() -> Iterator[LlmConfig]:
    _FakeOpenAI.reply, _FakeOpenAI.status, _FakeOpenAI.seen = GOOD, 200, []
    server = HTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LlmConfig(
        base_url=f"http://127.0.0.1:{server.server_port}/v1",
        model="fake-model",
        api_key="sk-test-secret",
        timeout=5,
    )
    server.shutdown()
    server.server_close()
    thread.join()


FACTS = ExplanationFacts(
    shop_name="甲店旗舰店",
    supervisor_account="甲店:小王",
    contact_times=[at("2026-11-20 10:20")],
    cause="quality",
)


def test_draft_comes_from_the_llm_when_it_passes_the_checks(fake_llm: LlmConfig) -> None:
    draft = draft_explanation_text(FACTS, config=fake_llm)

    assert (draft.text, draft.source, draft.fallback_reason) == (GOOD, "llm", "")
    (request,) = _FakeOpenAI.seen
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test-secret"
    assert request["model"] == "fake-model"
    assert "甲店:小王" in json.dumps(request["messages"], ensure_ascii=False)


def test_non_compliant_llm_text_falls_back_to_the_template(fake_llm: LlmConfig) -> None:
    _FakeOpenAI.reply = "非常抱歉！给个五星好评，我们返现10元给您。"

    draft = draft_explanation_text(FACTS, config=fake_llm)

    assert draft.source == "template"
    assert draft.text == draft_explanation(FACTS)
    assert draft.fallback_reason.startswith("LLM 草稿未通过合规检查：")
    assert "好评返现（以利益换取评价）（CR1）" in draft.fallback_reason


def test_sarcastic_llm_text_falls_back_with_the_tone_rule(fake_llm: LlmConfig) -> None:
    _FakeOpenAI.reply = "抱歉，您开心就好。"

    draft = draft_explanation_text(FACTS, config=fake_llm)

    assert (draft.source, draft.fallback_reason) == ("template", "LLM 草稿未通过语气检查：sarcasm")


def test_http_error_falls_back_and_never_shows_the_key(fake_llm: LlmConfig) -> None:
    _FakeOpenAI.status = 500

    draft = draft_explanation_text(FACTS, config=fake_llm)

    assert (draft.source, draft.fallback_reason) == ("template", "LLM 接口返回 HTTP 500")
    assert "sk-test-secret" not in repr(fake_llm)


def test_reply_draft_is_checked_with_the_case_context(fake_llm: LlmConfig) -> None:
    _FakeOpenAI.reply = "亲，麻烦把差评删一下吧"

    draft = draft_reply_text(
        buyer_message="围巾掉毛", step_title="给出方案", fallback="抱歉，给您换新", config=fake_llm
    )

    assert (draft.text, draft.source) == ("抱歉，给您换新", "template")
    assert "CR2" in draft.fallback_reason


def test_without_configuration_the_template_serves(settings: SettingsWrapper) -> None:
    settings.REVIEWDESK_LLM_BASE_URL = ""

    assert LlmConfig.from_settings() is None
    assert draft_explanation_text(FACTS, config=None).source == "template"


@pytest.mark.postgres
def test_service_stores_the_llm_draft(
    world: World, make_case: MakeCase, fake_llm: LlmConfig
) -> None:
    case = make_case()

    explanation_draft(actor=world.agent_a, case=case, llm_config=fake_llm)

    row = Explanation.objects.get()
    assert (row.draft, row.draft_source, row.tone_findings) == (GOOD, "llm", [])
