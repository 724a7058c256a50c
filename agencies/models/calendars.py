"""Calendars: weekly hours, dated overrides and holidays (the data only; the SLA
engine that counts working time is its own issue and reads these through
``agencies.calendars``)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import (
    TIMEZONES,
    CalendarKind,
    HolidayCategory,
    HolidaySource,
    Weekday,
)
from agencies.text import BilingualNameMixin
from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel

CITY_WORKING_CALENDAR = "kerja-kota"


@audited
class Calendar(BilingualNameMixin, TimeStampedModel):
    """A working-time or service-hours calendar (*kalender kerja* / *jam
    layanan*).

    Times are local wall-clock times in ``timezone`` (WIB for Kota Tangerang).
    ``kind`` decides which holiday flag closes it: ``working_time`` calendars close
    on holidays with ``closes_working_time``, ``service_hours`` calendars on those
    with ``closes_service_hours``. ``kerja-kota`` is the city-wide working-time
    calendar (Mon-Fri 08:00-15:00 WIB).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=CalendarKind)
    timezone = models.CharField(
        _("time zone"), max_length=32, choices=TIMEZONES, default="Asia/Jakarta"
    )
    is_assumed = models.BooleanField(
        _("hours assumed"),
        default=False,
        help_text=_("The hours are a placeholder that no source confirms yet."),
    )
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("calendar")
        verbose_name_plural = _("calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@audited
class WeeklyInterval(models.Model):
    """One opening interval on a weekday (*jam buka mingguan*), local time.

    A weekday may have several intervals (e.g. a lunch break between two).
    """

    calendar = models.ForeignKey(
        Calendar,
        on_delete=models.CASCADE,
        related_name="weekly_intervals",
        verbose_name=_("calendar"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("weekly interval")
        verbose_name_plural = _("weekly intervals")
        ordering = ["calendar", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="weekly_interval_closes_after_opening",
                violation_error_code="closes_before_opening",
                violation_error_message=_(
                    "The closing time must be after the opening time."
                ),
            ),
            models.UniqueConstraint(
                fields=["calendar", "weekday", "opens_at"],
                name="weekly_interval_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"
        )


@audited
class CalendarOverride(BilingualNameMixin, TimeStampedModel):
    """Different hours for a date range (*jam layanan khusus*), e.g. Ramadan.

    On a date between ``date_from`` and ``date_to`` (inclusive) each calendar in
    ``calendars`` is closed all day when ``is_closed``; otherwise, on a weekday
    that has override intervals those replace the calendar's weekly intervals, and
    other weekdays keep their usual hours. When several overrides cover a date the
    one that starts last wins. Holidays still close the day.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to (inclusive)"))
    calendars = models.ManyToManyField(
        Calendar, related_name="overrides", verbose_name=_("calendars changed")
    )
    is_closed = models.BooleanField(_("closed all day"), default=False)
    is_provisional = models.BooleanField(
        _("dates provisional"),
        default=False,
        help_text=_("Estimated dates; replace them when the circular is published."),
    )
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=F("date_from")),
                name="override_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date_from}-{self.date_to})"


@audited
class OverrideInterval(models.Model):
    """An opening interval of an override on a weekday, local time."""

    override = models.ForeignKey(
        CalendarOverride,
        on_delete=models.CASCADE,
        related_name="intervals",
        verbose_name=_("override"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("override interval")
        verbose_name_plural = _("override intervals")
        ordering = ["override", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="override_interval_closes_after_opening",
            ),
            models.UniqueConstraint(
                fields=["override", "weekday", "opens_at"],
                name="override_interval_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"
        )


@audited
class Holiday(BilingualNameMixin, TimeStampedModel):
    """A national holiday (*libur nasional*) or collective leave (*cuti bersama*).

    Seeded from the ``holidays`` package (``country_holidays("ID",
    categories=("public", "government"))``); an admin edit with ``source=decree``
    (SKB 3 Menteri, Keppres) wins over the package: the yearly import never touches
    such rows. Estimated dates (the package says "(perkiraan)") are
    ``is_provisional``. Cuti bersama closes working time and service hours by
    default; untick ``closes_service_hours`` when the MPP stays open.
    """

    date = models.DateField(_("date"))
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=HolidayCategory)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=HolidaySource,
        default=HolidaySource.PACKAGE,
        help_text=_(
            "Choose “Official decree” when a decree sets or changes this day; the "
            "yearly import then leaves it alone."
        ),
    )
    source_reference = models.CharField(
        _("decree or package version"), max_length=200, blank=True
    )
    is_provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The date is an estimate (e.g. of the Islamic calendar)."),
    )
    closes_service_hours = models.BooleanField(_("closes service hours"), default=True)
    closes_working_time = models.BooleanField(_("closes working time"), default=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "category"],
                name="holiday_unique_per_day_category",
                violation_error_message=_(
                    "A holiday of this category already exists on this date."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
