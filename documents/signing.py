"""PAdES signing of issued documents behind one interface (``Signer``).

``documents_signer()`` returns the signer named by ``DOCUMENTS_SIGNER``:

- ``documents.signing.LocalCASigner`` (development, tests): a certificate
  authority and a signatory certificate generated on first use (or by
  ``manage.py documents_dev_ca``) under ``DOCUMENTS_SIGNING_DIR``
  (``var/signing/``, never committed). Basic PAdES-B-B signature, offline.
- ``documents.signing.Pkcs12Signer`` (production): the signatory's certificate
  and key issued by a certified e-signature provider (PSrE, e.g. BSrE of BSSN)
  as a PKCS#12 file (``DOCUMENTS_SIGNING_PKCS12`` + passphrase), with an RFC 3161
  timestamp (``DOCUMENTS_TSA_URL``) and long-term validation data embedded
  (``DOCUMENTS_SIGNING_LTV``: PAdES-B-LT, revocation info fetched at signing).

A provider that signs remotely (BSrE's API with the signatory's passphrase)
plugs in as another class with the same ``sign`` method; see
``docs/documents.md``. Transient provider errors raise
``SigningServiceUnavailable`` (the render task retries them).
"""

import asyncio
import datetime as dt
import functools
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def _outside_event_loop(func, /, *args, **kwargs):
    """Call ``func``, which runs its own event loop (pyHanko's sync API uses
    ``asyncio.run``), in a worker thread when this thread already runs one
    (ASGI, Playwright in tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


class SigningServiceUnavailable(Exception):
    """The signing provider (PSrE, timestamp authority) did not answer; retry."""


class Signer(Protocol):
    """Signs a PDF (bytes in, bytes out) as ``signatory`` (name shown in the
    signature) for ``reason`` at ``location``."""

    def sign(
        self, pdf: bytes, *, signatory: str, reason: str, location: str
    ) -> bytes: ...

    def trust_roots(self) -> list[bytes]:
        """DER certificates a verifier trusts for this signer's signatures."""
        ...


class Pkcs12Signer:
    """Signs with a PKCS#12 file (certificate from a PSrE); timestamp and LTV
    as configured. Raises ``SigningServiceUnavailable`` when the timestamp
    authority or the revocation responders do not answer."""

    def __init__(self) -> None:
        self.pkcs12_path = Path(settings.DOCUMENTS_SIGNING_PKCS12)
        self.passphrase = settings.DOCUMENTS_SIGNING_PKCS12_PASSPHRASE.encode() or None
        self.tsa_url = settings.DOCUMENTS_TSA_URL
        self.ltv = settings.DOCUMENTS_SIGNING_LTV

    @functools.cached_property
    def _signer(self) -> signers.SimpleSigner:
        signer = signers.SimpleSigner.load_pkcs12(
            str(self.pkcs12_path), passphrase=self.passphrase
        )
        if signer is None:
            raise RuntimeError(f"Cannot load the signing key {self.pkcs12_path}.")
        return signer

    def trust_roots(self) -> list[bytes]:
        return [
            Path(p).read_bytes() for p in settings.DOCUMENTS_SIGNING_TRUST_ROOTS if p
        ]

    def _validation_context(self) -> ValidationContext | None:
        if not self.ltv:
            return None
        return ValidationContext(
            trust_roots=[_load_cert(c) for c in self.trust_roots()],
            allow_fetching=True,
        )

    def sign(self, pdf: bytes, *, signatory: str, reason: str, location: str) -> bytes:
        meta = signers.PdfSignatureMetadata(
            field_name="Signature1",
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            name=signatory,
            reason=reason,
            location=location,
            embed_validation_info=self.ltv,
            validation_context=self._validation_context(),
        )
        timestamper = HTTPTimeStamper(self.tsa_url) if self.tsa_url else None
        signer = self._signer  # a missing or wrong key file is not transient
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = io.BytesIO()
        try:
            _outside_event_loop(
                signers.sign_pdf,
                writer,
                meta,
                signer=signer,
                timestamper=timestamper,
                output=out,
            )
        except OSError as error:  # network: TSA, OCSP, CRL
            raise SigningServiceUnavailable(str(error)) from error
        return out.getvalue()


class LocalCASigner(Pkcs12Signer):
    """Development signer: a local CA and signatory certificate generated on
    first use under ``DOCUMENTS_SIGNING_DIR``; no timestamp, no LTV."""

    def __init__(self) -> None:
        directory = Path(settings.DOCUMENTS_SIGNING_DIR)
        self.ca_path, self.pkcs12_path = dev_ca_ensure(directory)
        self.passphrase = None
        self.tsa_url = ""
        self.ltv = False

    def trust_roots(self) -> list[bytes]:
        return [self.ca_path.read_bytes()]


def _load_cert(data: bytes):
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def dev_ca_ensure(directory: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Create (once) a development CA and a signatory certificate in
    ``directory``: ``ca.pem`` (certificate only) and ``signatory.p12``
    (key + certificate + CA, no passphrase). Returns both paths. Not for
    production: the key sits unencrypted on disk (mode 0600)."""
    ca_path = directory / "ca.pem"
    p12_path = directory / "signatory.p12"
    if ca_path.exists() and p12_path.exists() and not force:
        return ca_path, p12_path
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PTSP Kota Tangerang (dev)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "PTSP Development CA"),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                    x509.NameAttribute(
                        NameOID.ORGANIZATION_NAME, "Pemerintah Kota Tangerang"
                    ),
                    x509.NameAttribute(NameOID.COMMON_NAME, "Penandatangan PTSP (dev)"),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    from cryptography.hazmat.primitives.serialization import pkcs12

    p12 = pkcs12.serialize_key_and_certificates(
        b"signatory",
        key,
        cert,
        [ca_cert],
        serialization.NoEncryption(),
    )
    p12_path.write_bytes(p12)
    p12_path.chmod(0o600)
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return ca_path, p12_path


def documents_signer() -> Signer:
    """The configured signer (``DOCUMENTS_SIGNER``), built once per process."""
    return _signer_cached(settings.DOCUMENTS_SIGNER, settings.DOCUMENTS_SIGNING_DIR)


@functools.lru_cache(maxsize=4)
def _signer_cached(path: str, _directory: str) -> Signer:
    return import_string(path)()


def signature_check(pdf: bytes, *, trust_roots: list[bytes]) -> dict:
    """Validate the PDF's embedded signatures offline against ``trust_roots``
    (DER or PEM certificates). Returns ``{"signed": bool, "valid": bool,
    "intact": bool, "signer": str, "signed_at": datetime | None}``: ``valid``
    means every signature is cryptographically intact, covers the whole file
    and chains to a trusted root."""
    result = {"signed": False, "valid": False, "intact": False, "signer": ""}
    result["signed_at"] = None
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        embedded = reader.embedded_signatures
    except Exception:
        return result
    if not embedded:
        return result
    context = ValidationContext(
        trust_roots=[_load_cert(c) for c in trust_roots], allow_fetching=False
    )
    result["signed"] = True
    valid = intact = True
    for sig in embedded:
        status = _outside_event_loop(validate_pdf_signature, sig, context)
        intact = intact and status.intact and status.valid
        valid = valid and status.bottom_line and status.coverage.name == "ENTIRE_FILE"
        result["signer"] = status.signing_cert.subject.human_friendly
        result["signed_at"] = status.signer_reported_dt
    result["valid"], result["intact"] = valid, intact
    return result
