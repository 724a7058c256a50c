"""Factories for the queue: offices with their own service hours, services with a
current version, groups, counters with operators, tickets."""

import datetime as dt

from django.contrib.auth.models import Permission

import factory

from accounts.choices import OfficerRole
from accounts.models import Officer
from agencies.choices import (
    CalendarKind,
    Confidence,
    FeeType,
    OfficeKind,
    ServiceCategory,
    SlaBasis,
    SlaUnit,
    VersionOrigin,
)
from agencies.models import Calendar, Office, Service, ServiceVersion, WeeklyInterval
from queueing.models import Counter, CounterOperator, OfficeSupervisor, ServiceGroup
from tests.agencies.factories import AgencyFactory


class ServiceHoursFactory(factory.django.DjangoModelFactory):
    """A service-hours calendar; ``hours`` maps weekday (0=Mon) to (open, close)."""

    class Meta:
        model = Calendar
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"layanan-uji-{n}")
    name = factory.Sequence(lambda n: f"Jam layanan uji {n}")
    kind = CalendarKind.SERVICE_HOURS

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        # Default: every day, all day (the queue is always open in such tests).
        hours = extracted or {d: (dt.time(0), dt.time(23, 59)) for d in range(7)}
        for weekday, (opens, closes) in hours.items():
            WeeklyInterval.objects.create(
                calendar=self, weekday=weekday, opens_at=opens, closes_at=closes
            )


#: Mon-Fri 08:00-15:00 WIB, the kecamatan hours of the catalogue.
WEEKDAYS_8_TO_15 = {d: (dt.time(8), dt.time(15)) for d in range(5)}


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"kantor-uji-{n}")
    name = factory.Sequence(lambda n: f"Kantor Uji {n}")
    kind = OfficeKind.AGENCY_OFFICE
    service_calendar = factory.SubFactory(ServiceHoursFactory)


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published service with a current version named ``name``."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"layanan-{n}")
    agency = factory.SubFactory(AgencyFactory)
    category = ServiceCategory.PERMIT
    applicant_type = "individual"

    @factory.post_generation
    def name(self, create, extracted, **kwargs):
        version = ServiceVersion.objects.create(
            service=self,
            number=1,
            name=extracted or f"Layanan {self.code}",
            sla_value=5,
            sla_unit=SlaUnit.WORKING_DAYS,
            sla_basis=SlaBasis.ASSUMED,
            fee_type=FeeType.FREE,
            confidence=Confidence.LOW,
            origin=VersionOrigin.CATALOGUE,
        )
        self.current_version = version
        self.save(update_fields=["current_version"])


class ServiceGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceGroup
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    prefix = "A"
    name = "Perizinan"
    name_en = "Permits"

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if extracted:
            self.services.set(extracted)


def make_counter(*groups, **kwargs) -> Counter:
    counter = Counter.objects.create(office=groups[0].office, **kwargs)
    counter.service_groups.set(groups)
    return counter


def grant(user, *codenames: str) -> None:
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="queueing", codename__in=codenames
        )
    )


def make_operator(django_user_model, counter: Counter, username: str = "petugas"):
    user = django_user_model.objects.create_user(
        username=username, password="kata-sandi-petugas-2026", is_staff=True
    )
    officer = Officer.objects.create(
        user=user, office=counter.office, role=OfficerRole.FRONT_OFFICE
    )
    grant(user, "operate_counter", "issue_reception_ticket")
    CounterOperator.objects.create(counter=counter, officer=officer)
    return user


def make_supervisor(django_user_model, office: Office, username: str = "kepala"):
    user = django_user_model.objects.create_user(
        username=username, password="kata-sandi-kepala-2026", is_staff=True
    )
    officer = Officer.objects.create(
        user=user, office=office, role=OfficerRole.SUPERVISOR
    )
    grant(user, "view_queue_statistics", "issue_reception_ticket")
    OfficeSupervisor.objects.create(office=office, officer=officer)
    return user
