"""The hand-over of participant-data corrections to BPJS's own systems.

The interface is documented in ``docs/bpjs-adapter.md``. An adapter turns a
``CorrectionRequest`` into BPJS's request and BPJS's answers into a
``HandoverResult``; it never touches the database. ``bpjs_adapter(system)``
builds the adapter configured for ``BPJSKES`` or ``BPJSTK`` in
``settings.CHANNELING_BPJS_ADAPTERS`` (``None`` when there is none: the officer
then records BPJS's reference by hand).

``HttpJsonBpjsAdapter`` speaks the JSON protocol of ``docs/bpjs-adapter.md``
(the shape a BPJS integration gateway offers partners); tests run it against a
fake on loopback (``tests/channeling/fake_bpjs.py``).
"""

from dataclasses import asdict, dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

import httpx


class BpjsUnavailable(Exception):
    """BPJS's system did not answer or answered 5xx/429: retry later."""


class BpjsRefused(Exception):
    """BPJS's system refused the request itself (4xx other than 429): a bug or
    a configuration error, not worth retrying. ``str()`` is BPJS's message."""


@dataclass(frozen=True)
class CorrectionRequest:
    """What is handed over. ``data_item`` is one of
    ``permits.forms_schema.BPJS_DATA_ITEMS``; ``effective_date`` an ISO date or
    empty; ``documents`` one ``{"requirement": code, "sha256": hex,
    "content_type": mime}`` per evidence document (the files stay in the
    portal; BPJS asks for them through the officer when needed)."""

    system: str
    reference: str
    participant_number: str
    nik: str
    full_name: str
    data_item: str
    old_value: str
    new_value: str
    effective_date: str = ""
    documents: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class HandoverResult:
    """BPJS's answer: ``state`` is ``accepted`` (being worked on),
    ``completed`` (``reference`` is BPJS's number of the done correction) or
    ``rejected`` (``reason`` says why)."""

    ticket: str
    state: str
    reference: str = ""
    reason: str = ""


class BpjsAdapter(Protocol):
    def submit(self, request: CorrectionRequest) -> HandoverResult:
        """Hand the correction over; idempotent by ``request.reference``.
        Raises ``BpjsUnavailable`` or ``BpjsRefused``."""

    def status(self, ticket: str) -> HandoverResult:
        """The current state of a handed-over correction. Raises
        ``BpjsUnavailable`` or ``BpjsRefused``."""


_STATES = {"accepted", "completed", "rejected"}


class HttpJsonBpjsAdapter:
    """``POST {URL}/corrections`` and ``GET {URL}/corrections/{ticket}`` with
    ``Authorization: Bearer {TOKEN}`` and ``Idempotency-Key: {reference}``; see
    ``docs/bpjs-adapter.md`` for the bodies. Timeout:
    ``CHANNELING_BPJS_TIMEOUT`` seconds."""

    def __init__(self, *, url: str, token: str = "", timeout: float | None = None):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout or settings.CHANNELING_BPJS_TIMEOUT

    def _call(self, method: str, path: str, **kwargs) -> HandoverResult:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = httpx.request(
                method,
                f"{self.url}{path}",
                headers=headers,
                timeout=self.timeout,
                **kwargs,
            )
        except httpx.HTTPError as error:
            raise BpjsUnavailable(str(error)) from error
        if response.status_code >= 500 or response.status_code == 429:
            raise BpjsUnavailable(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as error:
            raise BpjsUnavailable("not JSON") from error
        if response.status_code >= 400:
            raise BpjsRefused(str(body.get("message") or response.status_code))
        state = str(body.get("state", ""))
        if state not in _STATES or not body.get("ticket"):
            raise BpjsUnavailable(f"unexpected answer: {body!r}"[:200])
        return HandoverResult(
            ticket=str(body["ticket"]),
            state=state,
            reference=str(body.get("reference") or ""),
            reason=str(body.get("reason") or ""),
        )

    def submit(self, request: CorrectionRequest) -> HandoverResult:
        return self._call(
            "POST",
            "/corrections",
            json=request.to_json(),
            headers={"Idempotency-Key": request.reference},
        )

    def status(self, ticket: str) -> HandoverResult:
        return self._call("GET", f"/corrections/{ticket}")


def bpjs_adapter(system: str) -> BpjsAdapter | None:
    """The adapter configured for ``system`` (``BPJSKES``/``BPJSTK``), or
    ``None``."""
    config = settings.CHANNELING_BPJS_ADAPTERS.get(system)
    if not config:
        return None
    cls = import_string(config.get("ADAPTER", "channeling.bpjs.HttpJsonBpjsAdapter"))
    return cls(url=config["URL"], token=config.get("TOKEN", ""))
