from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("daftar/verifikasi/", views.register_verify, name="register_verify"),
    path("lupa-sandi/", views.password_reset, name="password_reset"),
    path(
        "lupa-sandi/kode/", views.password_reset_confirm, name="password_reset_confirm"
    ),
    path("profil/", views.profile_edit, name="profile_edit"),
    path("sandi/", views.password_change, name="password_change"),
    path("email/", views.contact_change, {"field": "email"}, name="email_change"),
    path("ponsel/", views.contact_change, {"field": "phone"}, name="phone_change"),
    path("tutup/", views.account_close, name="close"),
    path("usaha/", views.businesses, name="businesses"),
    path(
        "usaha/anggota/<int:pk>/<str:action>/",
        views.membership_action,
        name="membership_action",
    ),
    path("petugas/", views.officer_home, name="officer_home"),
    path("petugas/pelimpahan/", views.delegations, name="delegations"),
    path(
        "petugas/pelimpahan/<int:pk>/akhiri/",
        views.delegation_revoke,
        name="delegation_revoke",
    ),
    path("auditor/", views.auditor_home, name="auditor_home"),
    path("2fa/aktifkan/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/", views.two_factor_verify, name="two_factor_verify"),
    path("undangan/<uidb64>/<token>/", views.invitation, name="invitation"),
]
