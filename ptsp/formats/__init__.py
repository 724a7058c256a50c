"""Local overrides of Django's locale formats (``FORMAT_MODULE_PATH``).

Only what differs from Django's own ``django/conf/locale/<lang>/formats.py``
is set here; every other format falls through to Django's module.

Times are typed and shown as ``HH:MM`` (08:00) in both languages: the
service hours are whole minutes, and Django's Indonesian input format
``%H.%M.%S`` showed "08.00.00" in the admin (its "Now" link filled it in too).
Dotted times are still accepted when typed.
"""
