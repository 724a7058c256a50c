"""The citizen's channel page (/notifikasi/saluran/): only for the signed-in
user, errors in their language without losing what they typed."""

import pytest

from notifications.models import ContactPoint, Notification
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db

URL = "/notifikasi/saluran/"


@pytest.fixture
def citizen_client(client, make_user):
    client.user = make_user()
    client.force_login(client.user)
    return client


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_a_wrong_number_is_explained_and_kept(citizen_client, gateway):
    response = citizen_client.post(
        URL, {"action": "send_code", "phone": "021 555 0123"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Masukkan nomor ponsel Indonesia" in page
    assert 'value="021 555 0123"' in page
    assert 'aria-invalid="true"' in page
    assert not Notification.objects.exists()


def test_verify_then_choose_sms_first(citizen_client, gateway):
    response = citizen_client.post(
        URL, {"action": "send_code", "phone": "0812 3456 7890"}, follow=True
    )
    assert "Kami mengirim kode lewat SMS ke +62812****7890" in response.content.decode()
    notification_send_task(Notification.objects.get(channel="sms").pk)
    code = gateway.handset[0]["text"].split()[0]

    wrong = citizen_client.post(URL, {"action": "confirm", "code": "12345"})
    assert wrong.status_code == 400
    response = citizen_client.post(
        URL, {"action": "confirm", "code": code}, follow=True
    )
    assert "Nomor ponsel Anda sudah terverifikasi." in response.content.decode()

    response = citizen_client.post(
        URL, {"action": "order", "first": "sms", "second": "email", "third": ""}
    )
    assert response.status_code == 302
    contact = ContactPoint.objects.get(user=citizen_client.user)
    assert contact.channels == ["sms", "email"]


def test_sms_cannot_be_chosen_before_the_phone_is_verified(citizen_client):
    response = citizen_client.post(URL, {"action": "order", "first": "sms"})
    assert response.status_code == 400
    assert "Verifikasi nomor ponsel Anda" in response.content.decode()


def test_the_page_speaks_english_too(citizen_client, gateway):
    citizen_client.cookies["django_language"] = "en"
    response = citizen_client.get(URL)
    page = response.content.decode()
    assert "<h1>Notification channels</h1>" in page
    assert "Send code by SMS" in page
