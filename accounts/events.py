"""Notification events of the accounts app, registered from ``AccountsConfig.ready``
the way ``notifications.events`` documents. One-time codes use the notifications
app's own ``account.otp`` event."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.events import Event, register_event

ACCOUNT_INVITATION = register_event(
    Event(
        name="account.invitation",
        label=_("Staff invitation"),
        variables=("url", "valid_hours"),
        sample={
            "url": "https://ptsp.tangerangkota.go.id/akun/undangan/x/y/",
            "valid_hours": 72,
        },
        channels=(Channel.EMAIL,),
        texts={
            "id": (
                "Akun petugas PTSP Anda",
                "Admin telah membuat akun petugas PTSP untuk Anda. Buat kata sandi "
                "di tautan ini (berlaku {{ valid_hours }} jam):\n{{ url }}\n\n"
                "Setelah itu Anda memasang aplikasi autentikator untuk verifikasi "
                "dua langkah.",
            ),
            "en": (
                "Your PTSP staff account",
                "An administrator created a PTSP staff account for you. Choose a "
                "password at this link (valid for {{ valid_hours }} hours):\n{{ url }}"
                "\n\nYou will then set up an authenticator app for two-step "
                "verification.",
            ),
        },
    )
)

ACCOUNT_CHANGED = register_event(
    Event(
        name="account.changed",
        label=_("Account security notice"),
        variables=("change",),
        sample={"change": "password"},
        channels=(Channel.EMAIL,),
        texts={
            "id": (
                "Perubahan akun PTSP Anda",
                "{% if change == 'password' %}Kata sandi akun PTSP Anda telah diubah."
                "{% elif change == 'email' %}Alamat e-mail akun PTSP Anda telah "
                "diganti; pesan berikutnya dikirim ke alamat baru."
                "{% elif change == 'phone' %}Nomor ponsel akun PTSP Anda telah diganti."
                "{% else %}Akun PTSP Anda telah ditutup dan data pribadinya dihapus."
                "{% endif %}\n\nJika bukan Anda yang melakukannya, hubungi PTSP "
                "Kota Tangerang segera.",
            ),
            "en": (
                "A change to your PTSP account",
                "{% if change == 'password' %}Your PTSP account's password was "
                "changed.{% elif change == 'email' %}Your PTSP account's e-mail "
                "address was changed; further messages go to the new address."
                "{% elif change == 'phone' %}Your PTSP account's phone number was "
                "changed.{% else %}Your PTSP account was closed and its personal "
                "data erased.{% endif %}\n\nIf this was not you, contact PTSP Kota "
                "Tangerang at once.",
            ),
        },
    )
)
