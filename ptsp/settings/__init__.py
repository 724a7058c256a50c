"""Settings split: ``base`` reads the environment; ``dev``, ``test`` and ``production``
adjust it. ``manage.py`` defaults to ``dev``; deployments set
``DJANGO_SETTINGS_MODULE=ptsp.settings.production``."""
