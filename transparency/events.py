"""Notification events of the survey and complaints (registered from
``TransparencyConfig.ready``; texts in Indonesian and English)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.events import Event, register_event
from notifications.variables import BilingualText

_SAMPLE_AT = dt.datetime(2026, 3, 12, 8, 0, tzinfo=dt.UTC)  # 15:00 WIB


def _event(name, label, sample, *, id, en) -> Event:
    return register_event(
        Event(
            name=name,
            label=label,
            variables=tuple(sample),
            sample=sample,
            texts={"id": id, "en": en},
            channels=(Channel.EMAIL, Channel.IN_APP),
        )
    )


SURVEY_INVITED = _event(
    "survey.invited",
    _("Satisfaction survey invitation"),
    {
        "service": BilingualText(
            "Surat Izin Praktik Dokter", "Doctor's Practice Licence"
        ),
        "url": "https://ptsp.tangerangkota.go.id/transparansi/survei/0b7c/",
    },
    id=(
        "Bagaimana pelayanan kami?",
        "Terima kasih telah menggunakan layanan {{ service }}. Mohon isi survei "
        "kepuasan masyarakat (9 pertanyaan, sekitar 2 menit):\n{{ url }}",
    ),
    en=(
        "How did we do?",
        "Thank you for using {{ service }}. Please fill in the satisfaction "
        "survey (9 questions, about 2 minutes):\n{{ url }}",
    ),
)

_COMPLAINT = {
    "reference": "ADU-2026-000012",
    "agency": BilingualText("Dinas Kesehatan", "Health Office"),
    "url": "https://ptsp.tangerangkota.go.id/transparansi/pengaduan/0b7c/",
}

COMPLAINT_RECEIVED = _event(
    "complaint.received",
    _("Complaint received"),
    {**_COMPLAINT, "due_at": _SAMPLE_AT},
    id=(
        "Pengaduan {{ reference }} diterima",
        "Pengaduan Anda {{ reference }} diteruskan ke {{ agency }} dan akan "
        "dijawab paling lambat {{ due_at }}.\n{{ url }}",
    ),
    en=(
        "Complaint {{ reference }} received",
        "Your complaint {{ reference }} was routed to {{ agency }} and will be "
        "answered by {{ due_at }}.\n{{ url }}",
    ),
)

COMPLAINT_ANSWERED = _event(
    "complaint.answered",
    _("Complaint answered"),
    dict(_COMPLAINT),
    id=(
        "Pengaduan {{ reference }} telah dijawab",
        "{{ agency }} telah menjawab pengaduan Anda {{ reference }}. Baca "
        "jawabannya di:\n{{ url }}",
    ),
    en=(
        "Complaint {{ reference }} answered",
        "{{ agency }} answered your complaint {{ reference }}. Read the answer "
        "at:\n{{ url }}",
    ),
)

COMPLAINT_FORWARDED = _event(
    "complaint.forwarded",
    _("Complaint handed over to SP4N-LAPOR!"),
    {**_COMPLAINT, "tracking_id": "LAPOR-1234567"},
    id=(
        "Pengaduan {{ reference }} diteruskan ke SP4N-LAPOR!",
        "{{ agency }} meneruskan pengaduan Anda {{ reference }} ke SP4N-LAPOR! "
        "dengan nomor pelacakan {{ tracking_id }}.\n{{ url }}",
    ),
    en=(
        "Complaint {{ reference }} handed over to SP4N-LAPOR!",
        "{{ agency }} handed your complaint {{ reference }} over to SP4N-LAPOR! "
        "with tracking id {{ tracking_id }}.\n{{ url }}",
    ),
)

COMPLAINT_ROUTED = _event(
    "complaint.routed",
    _("Complaint for your agency"),
    {**_COMPLAINT, "due_at": _SAMPLE_AT},
    id=(
        "Pengaduan baru {{ reference }}",
        "Pengaduan {{ reference }} untuk {{ agency }} wajib dijawab paling "
        "lambat {{ due_at }}.\n{{ url }}",
    ),
    en=(
        "New complaint {{ reference }}",
        "Complaint {{ reference }} for {{ agency }} must be answered by "
        "{{ due_at }}.\n{{ url }}",
    ),
)

COMPLAINT_OVERDUE = _event(
    "complaint.overdue",
    _("Complaint answer overdue"),
    {**_COMPLAINT, "due_at": _SAMPLE_AT},
    id=(
        "Pengaduan {{ reference }} lewat batas waktu",
        "Pengaduan {{ reference }} untuk {{ agency }} belum dijawab, padahal "
        "batas waktunya {{ due_at }}.\n{{ url }}",
    ),
    en=(
        "Complaint {{ reference }} overdue",
        "Complaint {{ reference }} for {{ agency }} is still unanswered; it was "
        "due {{ due_at }}.\n{{ url }}",
    ),
)
