"""System checks of issued documents."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_no_development_ca(app_configs, **kwargs):
    """Production signs with a PSrE certificate, never the local development CA
    (its key sits unencrypted under var/ and nobody outside trusts it)."""
    if settings.DOCUMENTS_SIGNER.endswith("LocalCASigner"):
        return [
            Error(
                "DOCUMENTS_SIGNER is the local development CA.",
                hint="Use documents.signing.Pkcs12Signer with the signatory's "
                "PSrE certificate (DOCUMENTS_SIGNING_PKCS12); see docs/documents.md.",
                id="documents.E001",
            )
        ]
    return []
