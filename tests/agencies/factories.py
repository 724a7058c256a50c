"""Factories for catalogue rows that tests build apart from the real catalogue."""

import datetime as dt

import factory

from agencies.choices import CalendarKind, HolidayCategory
from agencies.models import Agency, Calendar, Holiday, WeeklyInterval


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"AGENCY{n}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    kind = "dinas"


class CalendarFactory(factory.django.DjangoModelFactory):
    """A working-time calendar; ``weekdays=True`` adds Mon-Fri 08:00-15:00."""

    class Meta:
        model = Calendar
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"kalender-{n}")
    name = factory.Sequence(lambda n: f"Kalender {n}")
    kind = CalendarKind.WORKING_TIME

    class Params:
        weekdays = factory.Trait(
            weekly=factory.RelatedFactoryList(
                "tests.agencies.factories.WeeklyIntervalFactory",
                factory_related_name="calendar",
                size=5,
                weekday=factory.Iterator(range(5)),
            )
        )


class WeeklyIntervalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyInterval

    calendar = factory.SubFactory(CalendarFactory)
    weekday = 0
    opens_at = dt.time(8)
    closes_at = dt.time(15)


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    date = dt.date(2030, 1, 1)
    name = "Tahun Baru Masehi"
    category = HolidayCategory.PUBLIC
