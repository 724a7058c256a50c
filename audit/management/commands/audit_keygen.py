"""``manage.py audit_keygen``: print a new Ed25519 signing key (PEM) and its public
key, for ``AUDIT_SIGNING_KEY``. Store the private key as a secret; publish the
public key."""

from django.core.management.base import BaseCommand

from audit.signing import generate_private_key_pem, parse_private_key, public_key_b64


class Command(BaseCommand):
    help = "Generate an Ed25519 key for signing audit checkpoints."

    def handle(self, *args, **options):
        pem = generate_private_key_pem()
        public = public_key_b64(parse_private_key(pem).public_key())
        self.stdout.write(pem.strip())
        self.stdout.write(f"# public key (base64, publish it): {public}")
