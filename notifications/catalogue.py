"""The portal's notification events and their default texts (Indonesian, English).

Each text is a sandboxed template (``notifications.rendering``) and may use only its
event's variables. Catalogue names (service, step, office, agency) are
``BilingualText`` samples, so the admin's English preview shows English names.
Dates are aware datetimes shown in WIB; amounts are ``Decimal`` in IDR. ``url``
variables are absolute links built by the caller from ``settings.PORTAL_BASE_URL``.
Admins edit the texts in the admin (``NotificationTemplate``); these are the
defaults and the fallback.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .choices import Channel
from .events import Event, register_event
from .variables import BilingualText

_WHEN = "j F Y, H:i"
_SAMPLE_AT = "2026-03-05T07:00:00+00:00"  # 14:00 WIB


def _at(iso: str = _SAMPLE_AT):
    from datetime import datetime

    return datetime.fromisoformat(iso)


_APPLICATION = {
    "reference": "PTSP-2026-000123",
    "service": BilingualText("Persetujuan Bangunan Gedung", "Building Approval"),
    "url": "https://ptsp.tangerangkota.go.id/permohonan/PTSP-2026-000123/",
}


def _event(
    name,
    label,
    sample,
    *,
    id,
    en,
    channels=None,
    sensitive=(),
    urgent=False,
    channel_texts=None,
) -> Event:
    return register_event(
        Event(
            name=name,
            label=label,
            variables=tuple(sample),
            sample=sample,
            texts={"id": id, "en": en},
            channels=channels or (Channel.EMAIL, Channel.IN_APP),
            channel_texts=channel_texts or {},
            sensitive=sensitive,
            urgent=urgent,
        )
    )


# --- Accounts ---------------------------------------------------------------------

# An SMS is short (one 160-character segment) and carries no subject.
_OTP_PURPOSE_ID = (
    "{% if purpose == 'login' %}masuk ke portal"
    "{% elif purpose == 'email_verification' %}memverifikasi alamat e-mail"
    "{% elif purpose == 'phone_verification' %}memverifikasi nomor ponsel"
    "{% elif purpose == 'password_reset' %}mengatur ulang kata sandi"
    "{% else %}{{ purpose }}{% endif %}"
)
_OTP_PURPOSE_EN = (
    "{% if purpose == 'login' %}signing in to the portal"
    "{% elif purpose == 'email_verification' %}verifying your e-mail address"
    "{% elif purpose == 'phone_verification' %}verifying your phone number"
    "{% elif purpose == 'password_reset' %}resetting your password"
    "{% else %}{{ purpose }}{% endif %}"
)
_OTP_SHORT = {
    "id": (
        "Kode sekali pakai PTSP",
        "{{ code }} adalah kode PTSP Anda untuk " + _OTP_PURPOSE_ID + ", berlaku "
        "{{ valid_minutes|default:10 }} menit. JANGAN berikan kepada siapa pun.",
    ),
    "en": (
        "PTSP one-time code",
        "{{ code }} is your PTSP code for " + _OTP_PURPOSE_EN + ", valid "
        "{{ valid_minutes|default:10 }} minutes. Do NOT share it with anyone.",
    ),
}

ACCOUNT_OTP = _event(
    "account.otp",
    _("One-time code"),
    {"code": "482913", "purpose": "login", "valid_minutes": 10},
    channels=(Channel.EMAIL,),
    sensitive=("code",),
    urgent=True,
    channel_texts={Channel.SMS: _OTP_SHORT, Channel.WHATSAPP: _OTP_SHORT},
    id=(
        "Kode sekali pakai PTSP",
        "Kode sekali pakai Anda adalah {{ code }}.\n\n"
        "Kode ini untuk " + _OTP_PURPOSE_ID + " dan berlaku "
        "{{ valid_minutes|default:10 }} menit. Jangan berikan kode ini "
        "kepada siapa pun, termasuk petugas PTSP.\n\n"
        "Jika Anda tidak memintanya, abaikan pesan ini.",
    ),
    en=(
        "PTSP one-time code",
        "Your one-time code is {{ code }}.\n\n"
        "It is for " + _OTP_PURPOSE_EN + " and is valid for "
        "{{ valid_minutes|default:10 }} minutes. Never give this code to "
        "anyone, PTSP staff included.\n\n"
        "If you did not ask for it, ignore this message.",
    ),
)

ACCOUNT_VERIFICATION = _event(
    "account.verification",
    _("Account verification"),
    {"url": "https://ptsp.tangerangkota.go.id/akun/verifikasi/abc/", "valid_hours": 24},
    channels=(Channel.EMAIL,),
    sensitive=("url",),
    id=(
        "Verifikasi akun PTSP Anda",
        "Buka tautan ini untuk memverifikasi akun Anda:\n{{ url }}\n\n"
        "Tautan berlaku {{ valid_hours }} jam. Jika Anda tidak mendaftar, "
        "abaikan pesan ini.",
    ),
    en=(
        "Verify your PTSP account",
        "Open this link to verify your account:\n{{ url }}\n\n"
        "The link is valid for {{ valid_hours }} hours. If you did not sign up, "
        "ignore this message.",
    ),
)

ACCOUNT_NIK_REGISTRATION_ATTEMPT = _event(
    "account.nik_registration_attempt",
    _("New registration with your NIK"),
    {"attempted_at": _at()},
    channels=(Channel.EMAIL, Channel.IN_APP),
    id=(
        "Pendaftaran akun baru dengan NIK Anda",
        'Pada {{ attempted_at|date:"' + _WHEN + '" }} WIB seseorang mendaftarkan '
        "akun baru PTSP dengan NIK Anda. NIK Anda tetap terhubung hanya ke akun "
        "ini.\n\nJika itu Anda, masuklah dengan akun ini atau atur ulang kata "
        "sandi. Jika bukan, hubungi PTSP.",
    ),
    en=(
        "New account registered with your NIK",
        'On {{ attempted_at|date:"' + _WHEN + '" }} WIB someone registered a new '
        "PTSP account with your NIK. Your NIK stays linked to this account only."
        "\n\nIf it was you, log in with this account or reset your password. If "
        "not, contact PTSP.",
    ),
)

# --- Assisted submission at a service point (channeling) --------------------------

# The SMS leaves the service name out: with it, one 160-character segment is
# not enough.

_ASSISTED = {
    "code": "482913",
    "purpose": "assisted_confirmation",
    "valid_minutes": 10,
    "service": BilingualText(
        "Perubahan Data Peserta JKN-KIS", "JKN-KIS Member Data Change"
    ),
    "office": BilingualText("Kecamatan Ciledug", "Ciledug District Office"),
    "operator": "Rina Wulandari",
}
_ASSISTED_SHORT = {
    "id": (
        "Kode konfirmasi PTSP",
        "{{ code }}: kode konfirmasi permohonan Anda di {{ office }}, berlaku "
        "{{ valid_minutes|default:10 }} menit. Berikan hanya di loket itu.",
    ),
    "en": (
        "PTSP confirmation code",
        "{{ code }}: confirmation code of your application at {{ office }}, "
        "valid {{ valid_minutes|default:10 }} minutes. Give it only at that counter.",
    ),
}

CHANNELING_CONFIRMATION_CODE = _event(
    "channeling.confirmation_code",
    _("Confirmation code of an application filed at a service point"),
    _ASSISTED,
    channels=(Channel.EMAIL,),
    sensitive=("code",),
    urgent=True,
    channel_texts={Channel.SMS: _ASSISTED_SHORT, Channel.WHATSAPP: _ASSISTED_SHORT},
    id=(
        "Kode konfirmasi permohonan di {{ office }}",
        "Petugas {{ operator }} di {{ office }} mengisi permohonan {{ service }} "
        "atas nama Anda. Jika Anda sedang berada di loket itu dan setuju, "
        "masukkan kode {{ code }} di layar petugas. Kode berlaku "
        "{{ valid_minutes|default:10 }} menit.\n\nDengan kode yang sama Anda "
        "dapat mengaktifkan akun PTSP Anda nanti (menu Aktifkan akun).\n\n"
        "Jika Anda tidak berada di loket, jangan berikan kode ini kepada siapa pun.",
    ),
    en=(
        "Confirmation code for your application at {{ office }}",
        "Officer {{ operator }} at {{ office }} filled in a {{ service }} "
        "application in your name. If you are at that counter and agree, enter "
        "the code {{ code }} on the officer's screen. It is valid for "
        "{{ valid_minutes|default:10 }} minutes.\n\nWith the same code you can "
        "activate your PTSP account later (Activate account).\n\n"
        "If you are not at the counter, give this code to nobody.",
    ),
)

# --- Applications -----------------------------------------------------------------

APPLICATION_SUBMITTED = _event(
    "application.submitted",
    _("Application submitted (receipt)"),
    {**_APPLICATION, "submitted_at": _at()},
    id=(
        "Tanda terima permohonan {{ reference }}",
        "Permohonan {{ service }} Anda telah kami terima pada "
        '{{ submitted_at|date:"' + _WHEN + '" }} WIB dengan nomor {{ reference }}.'
        "\n\nSimpan nomor ini sebagai tanda terima. Ikuti prosesnya di:\n{{ url }}",
    ),
    en=(
        "Receipt for application {{ reference }}",
        "We received your {{ service }} application on "
        '{{ submitted_at|date:"' + _WHEN + '" }} WIB under number {{ reference }}.'
        "\n\nKeep this number as your receipt. Follow its progress at:\n{{ url }}",
    ),
)

APPLICATION_REVISION_REQUESTED = _event(
    "application.revision_requested",
    _("Revision requested"),
    {**_APPLICATION, "note": "Lampirkan gambar denah terbaru.", "deadline_at": _at()},
    id=(
        "Permohonan {{ reference }} perlu diperbaiki",
        "Petugas meminta perbaikan permohonan {{ service }} {{ reference }}:\n"
        "{{ note }}\n\nKirim perbaikan sebelum "
        '{{ deadline_at|date:"' + _WHEN + '" }} WIB di:\n{{ url }}',
    ),
    en=(
        "Application {{ reference }} needs a revision",
        "The officer asks for a revision of your {{ service }} application "
        "{{ reference }}:\n{{ note }}\n\nSend it before "
        '{{ deadline_at|date:"' + _WHEN + '" }} WIB at:\n{{ url }}',
    ),
)

APPLICATION_RESUBMITTED = _event(
    "application.resubmitted",
    _("Application resubmitted"),
    dict(_APPLICATION),
    id=(
        "Permohonan {{ reference }} telah diperbaiki",
        "Perbaikan permohonan {{ service }} {{ reference }} telah dikirim dan "
        "kembali diproses.\n{{ url }}",
    ),
    en=(
        "Application {{ reference }} was revised",
        "The revision of {{ service }} application {{ reference }} was sent and "
        "is being processed again.\n{{ url }}",
    ),
)

APPLICATION_STEP_COMPLETED = _event(
    "application.step_completed",
    _("Step completed"),
    {
        **_APPLICATION,
        "step": BilingualText("Verifikasi berkas", "Document check"),
        "next_step": BilingualText("Survei lapangan", "Site survey"),
    },
    id=(
        "Permohonan {{ reference }}: {{ step }} selesai",
        "Tahap {{ step }} untuk permohonan {{ service }} {{ reference }} selesai."
        "{% if next_step %} Tahap berikutnya: {{ next_step }}.{% endif %}\n{{ url }}",
    ),
    en=(
        "Application {{ reference }}: {{ step }} completed",
        "The step {{ step }} of your {{ service }} application {{ reference }} is "
        "completed.{% if next_step %} Next step: {{ next_step }}.{% endif %}"
        "\n{{ url }}",
    ),
)

APPLICATION_APPROVED = _event(
    "application.approved",
    _("Application approved"),
    dict(_APPLICATION),
    id=(
        "Permohonan {{ reference }} disetujui",
        "Permohonan {{ service }} {{ reference }} disetujui. Dokumen akan segera "
        "diterbitkan.\n{{ url }}",
    ),
    en=(
        "Application {{ reference }} approved",
        "Your {{ service }} application {{ reference }} is approved. The document "
        "will be issued shortly.\n{{ url }}",
    ),
)

APPLICATION_REJECTED = _event(
    "application.rejected",
    _("Application rejected"),
    {**_APPLICATION, "reason": "Lokasi tidak sesuai rencana tata ruang."},
    id=(
        "Permohonan {{ reference }} ditolak",
        "Permohonan {{ service }} {{ reference }} ditolak dengan alasan:\n"
        "{{ reason }}\n\nRinciannya dan cara mengajukan keberatan ada di:\n{{ url }}",
    ),
    en=(
        "Application {{ reference }} rejected",
        "Your {{ service }} application {{ reference }} was rejected because:\n"
        "{{ reason }}\n\nDetails and how to object are at:\n{{ url }}",
    ),
)

APPLICATION_ISSUED = _event(
    "application.issued",
    _("Permit issued"),
    {**_APPLICATION, "document_number": "503/0123/DPMPTSP/2026"},
    id=(
        "Izin {{ reference }} telah terbit",
        "Dokumen {{ service }} nomor {{ document_number }} untuk permohonan "
        "{{ reference }} telah terbit. Unduh di:\n{{ url }}",
    ),
    en=(
        "Permit {{ reference }} issued",
        "The {{ service }} document number {{ document_number }} for application "
        "{{ reference }} is issued. Download it at:\n{{ url }}",
    ),
)

APPLICATION_COMPLETED = _event(
    "application.completed",
    _("Application completed"),
    dict(_APPLICATION),
    id=(
        "Permohonan {{ reference }} selesai",
        "Permohonan {{ service }} {{ reference }} telah selesai diproses.\n{{ url }}",
    ),
    en=(
        "Application {{ reference }} completed",
        "Your {{ service }} application {{ reference }} is completed.\n{{ url }}",
    ),
)

APPLICATION_DEADLINE_NEAR = _event(
    "application.deadline_near",
    _("Applicant's deadline near"),
    {**_APPLICATION, "deadline_at": _at()},
    id=(
        "Batas waktu permohonan {{ reference }} segera berakhir",
        "Perbaikan permohonan {{ service }} {{ reference }} harus dikirim sebelum "
        '{{ deadline_at|date:"' + _WHEN + '" }} WIB. Setelah itu permohonan '
        "dianggap batal.\n{{ url }}",
    ),
    en=(
        "Deadline for application {{ reference }} is near",
        "The revision of your {{ service }} application {{ reference }} is due "
        'before {{ deadline_at|date:"' + _WHEN + '" }} WIB. After that the '
        "application lapses.\n{{ url }}",
    ),
)

APPLICATION_DEADLINE_LAPSED = _event(
    "application.deadline_lapsed",
    _("Applicant's deadline lapsed"),
    dict(_APPLICATION),
    id=(
        "Permohonan {{ reference }} batal karena melewati batas waktu",
        "Perbaikan permohonan {{ service }} {{ reference }} tidak dikirim sebelum "
        "batas waktu, sehingga permohonan dianggap batal. Anda dapat mengajukan "
        "permohonan baru.\n{{ url }}",
    ),
    en=(
        "Application {{ reference }} lapsed",
        "The revision of your {{ service }} application {{ reference }} was not "
        "sent before the deadline, so the application has lapsed. You may apply "
        "again.\n{{ url }}",
    ),
)

# --- Payments ---------------------------------------------------------------------

PAYMENT_DUE = _event(
    "payment.due",
    _("Payment due"),
    {
        **_APPLICATION,
        "amount": Decimal("1500000"),
        "payment_code": "3671 0126 0000 1234",
        "due_at": _at(),
    },
    id=(
        "Tagihan retribusi {{ reference }}: Rp {{ amount|intcomma }}",
        "Retribusi permohonan {{ service }} {{ reference }} sebesar "
        "Rp {{ amount|intcomma }} harus dibayar sebelum "
        '{{ due_at|date:"' + _WHEN + '" }} WIB dengan kode bayar '
        "{{ payment_code }}.\n\nBayar hanya melalui tagihan resmi ini.\n{{ url }}",
    ),
    en=(
        "Levy for {{ reference }}: IDR {{ amount|intcomma }}",
        "The levy of IDR {{ amount|intcomma }} for your {{ service }} application "
        '{{ reference }} is due before {{ due_at|date:"' + _WHEN + '" }} WIB, '
        "payment code {{ payment_code }}.\n\nPay only through this official "
        "bill.\n{{ url }}",
    ),
)

PAYMENT_RECEIVED = _event(
    "payment.received",
    _("Payment received"),
    {**_APPLICATION, "amount": Decimal("1500000"), "paid_at": _at()},
    id=(
        "Pembayaran {{ reference }} diterima",
        "Pembayaran Rp {{ amount|intcomma }} untuk permohonan {{ service }} "
        '{{ reference }} diterima pada {{ paid_at|date:"' + _WHEN + '" }} WIB.'
        "\n{{ url }}",
    ),
    en=(
        "Payment for {{ reference }} received",
        "We received IDR {{ amount|intcomma }} for your {{ service }} application "
        '{{ reference }} on {{ paid_at|date:"' + _WHEN + '" }} WIB.\n{{ url }}',
    ),
)

# --- SLA (officers, supervisors, heads) --------------------------------------------

_SLA = {
    **_APPLICATION,
    "url": "https://ptsp.tangerangkota.go.id/permohonan/PTSP-2026-000123/",
    "step": BilingualText("Verifikasi berkas", "Document check"),
    "due_at": _at(),
}

SLA_WARNING = _event(
    "sla.warning",
    _("SLA warning"),
    {**_SLA, "remaining_hours": 4},
    id=(
        "Peringatan SLA: {{ reference }} ({{ step }})",
        "Tahap {{ step }} permohonan {{ service }} {{ reference }} harus selesai "
        'sebelum {{ due_at|date:"' + _WHEN + '" }} WIB (sisa '
        "{{ remaining_hours }} jam kerja).\n{{ url }}",
    ),
    en=(
        "SLA warning: {{ reference }} ({{ step }})",
        "The step {{ step }} of {{ service }} application {{ reference }} is due "
        'before {{ due_at|date:"' + _WHEN + '" }} WIB ({{ remaining_hours }} '
        "working hours left).\n{{ url }}",
    ),
)

SLA_BREACHED = _event(
    "sla.breached",
    _("SLA breached"),
    {**_SLA, "overdue_hours": 3},
    urgent=True,
    id=(
        "SLA terlampaui: {{ reference }} ({{ step }})",
        "Tahap {{ step }} permohonan {{ service }} {{ reference }} melewati batas "
        'waktu {{ due_at|date:"' + _WHEN + '" }} WIB, terlambat '
        "{{ overdue_hours }} jam kerja.\n{{ url }}",
    ),
    en=(
        "SLA breached: {{ reference }} ({{ step }})",
        "The step {{ step }} of {{ service }} application {{ reference }} passed "
        'its deadline of {{ due_at|date:"' + _WHEN + '" }} WIB by '
        "{{ overdue_hours }} working hours.\n{{ url }}",
    ),
)

# --- Queue and appointments ---------------------------------------------------------

_QUEUE = {
    "ticket_number": "A-042",
    "office": BilingualText("Mal Pelayanan Publik", "Public Service Mall"),
}

QUEUE_TICKET_CALLED = _event(
    "queue.ticket_called",
    _("Queue ticket called"),
    {**_QUEUE, "counter": "Loket 3"},
    channels=(Channel.IN_APP, Channel.SMS),
    urgent=True,
    id=(
        "Nomor {{ ticket_number }} dipanggil",
        "Nomor antrean {{ ticket_number }} dipanggil ke {{ counter }}, {{ office }}.",
    ),
    en=(
        "Ticket {{ ticket_number }} is called",
        "Queue ticket {{ ticket_number }} is called to {{ counter }}, {{ office }}.",
    ),
)

QUEUE_TURN_NEAR = _event(
    "queue.turn_near",
    _("Queue turn near"),
    {**_QUEUE, "ahead": 3},
    channels=(Channel.IN_APP, Channel.SMS),
    urgent=True,
    id=(
        "Giliran {{ ticket_number }} segera tiba",
        "Tinggal {{ ahead }} nomor sebelum giliran {{ ticket_number }} di "
        "{{ office }}. Mohon bersiap di dekat loket.",
    ),
    en=(
        "Ticket {{ ticket_number }}: your turn is near",
        "{{ ahead }} ticket{{ ahead|pluralize }} before {{ ticket_number }} at "
        "{{ office }}. Please stay near the counters.",
    ),
)

APPOINTMENT_REMINDER = _event(
    "appointment.reminder",
    _("Appointment reminder"),
    {
        "booking_code": "BK-7Q2M",
        "service": BilingualText("Persetujuan Bangunan Gedung", "Building Approval"),
        "office": BilingualText("Mal Pelayanan Publik", "Public Service Mall"),
        "starts_at": _at(),
    },
    id=(
        "Pengingat janji temu {{ booking_code }}",
        "Janji temu Anda untuk {{ service }} di {{ office }} pada "
        '{{ starts_at|date:"' + _WHEN + '" }} WIB. Tunjukkan kode '
        "{{ booking_code }} saat tiba.",
    ),
    en=(
        "Appointment reminder {{ booking_code }}",
        "Your appointment for {{ service }} at {{ office }} is on "
        '{{ starts_at|date:"' + _WHEN + '" }} WIB. Show code {{ booking_code }} '
        "when you arrive.",
    ),
)

APPOINTMENT_INVITATION = _event(
    "appointment.invitation",
    _("Invitation to book a visit"),
    {
        **_APPLICATION,
        "office": BilingualText("Mal Pelayanan Publik", "Public Service Mall"),
        "note": "Bawa dokumen asli untuk diperiksa.",
        "booking_url": "https://ptsp.tangerangkota.go.id/antrian/mpp/janji-temu/"
        "?service=pbg&permohonan=PTSP-2026-000123",
    },
    id=(
        "Silakan datang untuk permohonan {{ reference }}",
        "Petugas mengundang Anda datang ke {{ office }} untuk permohonan "
        "{{ reference }} ({{ service }}).{% if note %}\n{{ note }}{% endif %}\n"
        "Pilih waktu kunjungan di:\n{{ booking_url }}\n\nPermohonan Anda: {{ url }}",
    ),
    en=(
        "Please visit us about application {{ reference }}",
        "An officer invites you to come to {{ office }} about application "
        "{{ reference }} ({{ service }}).{% if note %}\n{{ note }}{% endif %}\n"
        "Choose a time for your visit at:\n{{ booking_url }}\n\nYour application: "
        "{{ url }}",
    ),
)

# --- Permits ----------------------------------------------------------------------

PERMIT_RENEWAL_REMINDER = _event(
    "permit.renewal_reminder",
    _("Permit renewal reminder"),
    {
        "document_number": "503/0123/DPMPTSP/2026",
        "service": BilingualText(
            "Sertifikat Laik Fungsi", "Certificate of Building Worthiness"
        ),
        "expires_on": _at().date(),
        "url": "https://ptsp.tangerangkota.go.id/permohonan/baru/",
    },
    id=(
        "Izin {{ document_number }} perlu diperpanjang",
        "{{ service }} nomor {{ document_number }} berlaku sampai "
        '{{ expires_on|date:"j F Y" }}. Ajukan perpanjangan di:\n{{ url }}',
    ),
    en=(
        "Permit {{ document_number }} is due for renewal",
        "{{ service }} number {{ document_number }} is valid until "
        '{{ expires_on|date:"j F Y" }}. Apply for renewal at:\n{{ url }}',
    ),
)

# --- Issued documents (issue 14) ------------------------------------------------------

_DOCUMENT = {
    "number": "0001/SIP-DOKTER/DPMPTSP/2026",
    "service": BilingualText("Surat Izin Praktik Dokter", "Doctor's Practice Licence"),
}

# The renewal reminder is ``permit.renewal_reminder`` above.
DOCUMENT_REVOKED = _event(
    "document.revoked",
    _("Document revoked"),
    {**_DOCUMENT, "reason": "Data pemohon tidak benar."},
    id=(
        "Dokumen {{ number }} dicabut",
        "{{ service }} nomor {{ number }} telah dicabut dan tidak berlaku lagi. "
        "Alasan: {{ reason }}",
    ),
    en=(
        "Document {{ number }} revoked",
        "Your {{ service }} number {{ number }} has been revoked and is no longer "
        "valid. Reason: {{ reason }}",
    ),
)
