"""Adapter to SP4N-LAPOR! (*Sistem Pengelolaan Pengaduan Pelayanan Publik
Nasional*), the national complaint system.

The portal talks to LAPOR! only through :class:`LaporClient`; the interface is
documented in ``docs/transparency.md`` ("SP4N-LAPOR! adapter"). LAPOR! grants
API access per institution, so the HTTP shape below is the portal's contract
with an integration gateway (or LAPOR! itself once the city's account is
connected), configured by ``LAPOR_BASE_URL`` and ``LAPOR_TOKEN``:

``POST {LAPOR_BASE_URL}/reports`` with ``Authorization: Bearer <token>`` and
JSON ``{"external_id", "title", "content", "agency_code", "category",
"submitted_at"}`` answers ``201`` (new) or ``200`` (an earlier report with the
same ``external_id``: the call is idempotent) with ``{"tracking_id": "..."}``.

``GET {LAPOR_BASE_URL}/reports/{tracking_id}`` answers ``{"tracking_id",
"status"}``.

Errors: network failures, timeouts and 5xx raise :class:`LaporUnavailable`
(transient, retried by the task); other 4xx raise :class:`LaporRejected`.
Tests run a fake of this interface on loopback (``tests/transparency/
fake_lapor.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

import httpx

#: LAPOR! statuses that end a report (compared case-insensitively): the
#: complaint closes and is no longer polled. "Selesai" is LAPOR!'s own word
#: for a finished report; the others are the gateway's synonyms.
FINAL_STATUSES = frozenset({"selesai", "ditutup", "closed", "done"})


def is_final(status: str) -> bool:
    """Whether the LAPOR! ``status`` ends the report."""
    return status.strip().casefold() in FINAL_STATUSES


class LaporError(Exception):
    """LAPOR! could not take the report."""


class LaporUnavailable(LaporError):
    """LAPOR! did not answer or failed (network, timeout, HTTP 5xx): retry."""


class LaporRejected(LaporError):
    """LAPOR! refused the report (HTTP 4xx other than 429): do not retry."""


@dataclass(frozen=True)
class LaporReport:
    """What is handed over: ``external_id`` is our complaint reference
    (``ADU-2026-000012``), the idempotency key; ``submitted_at`` aware UTC."""

    external_id: str
    title: str
    content: str
    agency_code: str
    category: str
    submitted_at: dt.datetime


class LaporClient:
    """HTTP client of the interface above. ``timeout`` in seconds."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        if not base_url:
            raise LaporUnavailable("LAPOR_BASE_URL is not configured.")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> LaporClient:
        return cls(settings.LAPOR_BASE_URL, settings.LAPOR_TOKEN)

    def _request(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = httpx.request(
                method,
                f"{self.base_url}{path}",
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout,
                **kwargs,
            )
        except httpx.HTTPError as exc:
            raise LaporUnavailable(str(exc)) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise LaporUnavailable(f"LAPOR! answered {response.status_code}.")
        if response.status_code >= 400:
            raise LaporRejected(
                f"LAPOR! refused the report ({response.status_code}): "
                f"{response.text[:200]}"
            )
        try:
            return response.json()
        except ValueError as exc:
            raise LaporUnavailable("LAPOR! answered with invalid JSON.") from exc

    def submit(self, report: LaporReport) -> str:
        """Hand ``report`` over; return the LAPOR! tracking id."""
        data = self._request(
            "POST",
            "/reports",
            json={
                "external_id": report.external_id,
                "title": report.title,
                "content": report.content,
                "agency_code": report.agency_code,
                "category": report.category,
                "submitted_at": report.submitted_at.isoformat(),
            },
        )
        tracking_id = str(data.get("tracking_id") or "")
        if not tracking_id:
            raise LaporUnavailable("LAPOR! answered without a tracking id.")
        return tracking_id

    def status(self, tracking_id: str) -> str:
        """The LAPOR! status of a report, as LAPOR! names it."""
        return str(self._request("GET", f"/reports/{tracking_id}").get("status", ""))
