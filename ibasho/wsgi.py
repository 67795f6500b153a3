import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ibasho.settings")
application = get_wsgi_application()

from ibasho.accounts.keycheck import verify_field_keys  # noqa: E402

# Refuse to serve rather than show ciphertext or fail later on a wrong key.
verify_field_keys()
