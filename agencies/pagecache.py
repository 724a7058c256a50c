"""What makes the cached public pages stale (issue 17, ``ptsp.pagecache``).

Every model of this app (agencies, offices, services, versions, steps,
calendars, hours, overrides, holidays, regions) and the payments app's
``FeeRule`` (shown on the service page) bump the ``catalogue`` stamp when a row
is saved or deleted, after the commit: the admin, the services and the API
all save rows, so none of them has to remember. Bulk writes send no signal:
``catalogue_apply`` bumps the stamp itself. ``migrate`` (every deploy) bumps
every stamp, so new templates show at once.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from ptsp.pagecache import stamp_bump_all, stamp_bump_on_commit

#: Models outside this app whose rows the catalogue pages show.
ALSO_SHOWN = ("payments.FeeRule",)


def _catalogue_changed(sender, using: str = "default", **kwargs) -> None:
    stamp_bump_on_commit("catalogue", using=using)


def _migrated(sender, **kwargs) -> None:
    stamp_bump_all()


def connect_catalogue_stamp() -> None:
    models = [*apps.get_app_config("agencies").get_models()]
    models += [apps.get_model(label) for label in ALSO_SHOWN]
    for model in models:
        uid = f"catalogue-stamp:{model._meta.label}"
        post_save.connect(_catalogue_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_catalogue_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _catalogue_changed, sender=field.remote_field.through, dispatch_uid=uid
            )
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("agencies"), dispatch_uid="pages-migrate"
    )
