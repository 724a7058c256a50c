"""Transparency (*keterbukaan informasi pelayanan*): aggregate figures for the
public dashboard, the satisfaction survey (*survei kepuasan masyarakat*, IKM)
and complaints (*pengaduan*).

The ``*Stat`` tables are derived data, rebuilt wholesale by
``transparency.aggregates.stats_refresh`` (beat task ``stats_refresh_task``);
pages read them instead of counting applications per request. A row with
``agency`` and ``service`` both empty is the city total; with only ``service``
empty, the agency total.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedManager
from audit.registry import audit_exempt, audited
from ptsp.models import TimeStampedModel

from .choices import ComplaintStatus, ComplaintSubject, SurveySource
from .ikm import ELEMENT_FIELDS

_DERIVED = "Derived figures rebuilt from audited tables by stats_refresh."


def _null_as_zero(field: str) -> Coalesce:
    """Unique keys over nullable scope columns: NULL (the agency or city
    total) counts as one value. An expression index, because SQLite has no
    ``NULLS NOT DISTINCT``."""
    return Coalesce(field, Value(0))


class _Scoped(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        abstract = True


@audit_exempt(_DERIVED)
class ServiceMonthStat(_Scoped):
    """Applications of one month (WIB) per service (*rekap bulanan layanan*).

    ``received`` counts submissions in the month; ``finished`` final outcomes
    (issued, completed or rejected) in the month, of which ``rejected``;
    ``with_due`` those finished with an SLA deadline, of which ``within_sla``
    finished by it; ``median_days`` the median calendar days from submission to
    outcome of the month's finished applications.
    """

    month = models.DateField(
        _("month (WIB)"),
        null=True,
        blank=True,
        help_text=_("First day of the month; empty for the last 12 months."),
    )
    received = models.PositiveIntegerField(_("received"), default=0)
    finished = models.PositiveIntegerField(_("finished"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    with_due = models.PositiveIntegerField(_("finished with a deadline"), default=0)
    within_sla = models.PositiveIntegerField(_("finished within the SLA"), default=0)
    median_days = models.FloatField(_("median days to finish"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly service figures")
        verbose_name_plural = _("monthly service figures")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                _null_as_zero("agency"),
                _null_as_zero("service"),
                Coalesce("month", Value(dt.date(1, 1, 1))),
                name="service_month_stat_unique",
            ),
            models.CheckConstraint(
                condition=Q(within_sla__lte=models.F("with_due"))
                & Q(with_due__lte=models.F("finished"))
                & Q(rejected__lte=models.F("finished")),
                name="service_month_stat_consistent",
            ),
        ]

    def __str__(self) -> str:
        month = f"{self.month:%Y-%m}" if self.month else "12m"
        return f"{month} {self.agency_id}/{self.service_id}"

    @property
    def sla_share(self) -> float | None:
        """Share (0..1) of finished applications with a deadline that finished
        within it; ``None`` when none had a deadline (unknown)."""
        return self.within_sla / self.with_due if self.with_due else None


@audit_exempt(_DERIVED)
class BacklogStat(_Scoped):
    """Applications still open when the figures were refreshed (*tunggakan*);
    ``overdue`` those already past their SLA deadline."""

    open = models.PositiveIntegerField(_("open"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)

    class Meta:
        verbose_name = _("backlog figures")
        verbose_name_plural = _("backlog figures")
        constraints = [
            models.UniqueConstraint(
                _null_as_zero("agency"),
                _null_as_zero("service"),
                name="backlog_stat_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.service_id}: {self.open}"


@audit_exempt(_DERIVED)
class SurveyStat(_Scoped):
    """Survey answers of one semester (*semester*, WIB): number of respondents
    and the sum of each element's answers (``u1``..``u9``), from which
    ``transparency.ikm.index_from_sums`` computes the index."""

    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("semester"), help_text=_("1 = January-June, 2 = July-December.")
    )
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    u1 = models.PositiveIntegerField(default=0)
    u2 = models.PositiveIntegerField(default=0)
    u3 = models.PositiveIntegerField(default=0)
    u4 = models.PositiveIntegerField(default=0)
    u5 = models.PositiveIntegerField(default=0)
    u6 = models.PositiveIntegerField(default=0)
    u7 = models.PositiveIntegerField(default=0)
    u8 = models.PositiveIntegerField(default=0)
    u9 = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("survey figures")
        verbose_name_plural = _("survey figures")
        constraints = [
            models.UniqueConstraint(
                _null_as_zero("agency"),
                _null_as_zero("service"),
                "year",
                "half",
                name="survey_stat_unique",
            ),
            models.CheckConstraint(
                condition=Q(half__in=[1, 2]), name="survey_stat_half"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.half} {self.agency_id}/{self.service_id}"

    @property
    def sums(self) -> list[int]:
        return [getattr(self, name) for name in ELEMENT_FIELDS]


@audit_exempt(_DERIVED)
class OfficerWorkloadStat(models.Model):
    """An officer's workload (*beban kerja petugas*): application steps active
    and assigned to them, and steps they finished in the last 30 days."""

    officer = models.OneToOneField(
        "accounts.Officer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("officer"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    active_steps = models.PositiveIntegerField(_("active steps"), default=0)
    done_30_days = models.PositiveIntegerField(
        _("steps finished in 30 days"), default=0
    )
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("officer workload")
        verbose_name_plural = _("officer workloads")

    def __str__(self) -> str:
        return f"{self.officer_id}: {self.active_steps}"


@audited
class SurveyInvitation(models.Model):
    """An invitation to the satisfaction survey (*undangan survei kepuasan*),
    at most one per application and one per queue ticket (unique keys), created
    by ``survey_invitations_sweep`` after a decision, completion or queue
    visit. ``answered_at`` is set when the response is saved."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="survey_invitations",
        verbose_name=_("citizen"),
    )
    source = models.CharField(_("source"), max_length=16, choices=SurveySource)
    application = models.OneToOneField(
        "permits.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_invitation",
        verbose_name=_("application"),
    )
    ticket = models.OneToOneField(
        "queueing.QueueTicket",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_invitation",
        verbose_name=_("queue ticket"),
    )
    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        source=SurveySource.APPLICATION,
                        application__isnull=False,
                        ticket__isnull=True,
                    )
                    | Q(
                        source=SurveySource.QUEUE_VISIT,
                        application__isnull=True,
                        ticket__isnull=False,
                    )
                ),
                name="survey_invitation_one_source",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)


@audited
class SurveyResponse(models.Model):
    """A completed survey (*jawaban survei kepuasan masyarakat*): nine answers
    1..4 (PermenPANRB 14/2017, see ``transparency.ikm``) and an optional
    suggestion. ``year``/``half`` are the WIB semester of ``submitted_at``."""

    invitation = models.OneToOneField(
        SurveyInvitation,
        on_delete=models.PROTECT,
        related_name="response",
        verbose_name=_("invitation"),
    )
    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    u1 = models.PositiveSmallIntegerField(_("U1 requirements"))
    u2 = models.PositiveSmallIntegerField(_("U2 procedure"))
    u3 = models.PositiveSmallIntegerField(_("U3 service time"))
    u4 = models.PositiveSmallIntegerField(_("U4 fee"))
    u5 = models.PositiveSmallIntegerField(_("U5 service product"))
    u6 = models.PositiveSmallIntegerField(_("U6 staff competence"))
    u7 = models.PositiveSmallIntegerField(_("U7 staff behaviour"))
    u8 = models.PositiveSmallIntegerField(_("U8 complaint handling"))
    u9 = models.PositiveSmallIntegerField(_("U9 facilities"))
    suggestion = models.TextField(_("suggestion"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"))
    year = models.PositiveSmallIntegerField(_("year (WIB)"))
    half = models.PositiveSmallIntegerField(_("semester"))

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 4}),
                    name=f"survey_response_{name}_scale",
                )
                for name in ELEMENT_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(half__in=[1, 2]), name="survey_response_half"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}"

    @property
    def answers(self) -> list[int]:
        return [getattr(self, name) for name in ELEMENT_FIELDS]


@audited(personal=("description",))
class Complaint(TimeStampedModel):
    """A citizen's complaint (*pengaduan*) about an application, an office or
    an officer, routed to the responsible agency.

    ``due_at`` is the answer deadline: ``TRANSPARENCY_COMPLAINT_WORKING_DAYS``
    working days on the agency's working-time calendar (aware UTC).
    ``lapor_tracking_id`` is the SP4N-LAPOR! tracking id after a hand-over;
    ``lapor_status`` its status there, polled back (``lapor_checked_at``) until
    LAPOR! finishes it, which closes the complaint.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("reference"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Number quoted to the citizen, e.g. ADU-2026-000012."),
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("citizen"),
    )
    subject_kind = models.CharField(_("about"), max_length=16, choices=ComplaintSubject)
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("application"),
    )
    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("office"),
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("officer"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("agency"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus,
        default=ComplaintStatus.SUBMITTED,
        editable=False,
    )
    due_at = models.DateTimeField(_("answer due at"), editable=False)
    answer = models.TextField(_("answer"), blank=True, editable=False)
    answered_at = models.DateTimeField(
        _("answered at"), null=True, blank=True, editable=False
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
        editable=False,
    )
    lapor_tracking_id = models.CharField(
        _("SP4N-LAPOR! tracking id"), max_length=64, blank=True, editable=False
    )
    forwarded_at = models.DateTimeField(
        _("handed over at"), null=True, blank=True, editable=False
    )
    lapor_status = models.CharField(
        _("SP4N-LAPOR! status"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("As LAPOR! names it, polled back by the beat sweep."),
    )
    lapor_checked_at = models.DateTimeField(
        _("SP4N-LAPOR! status checked at"), null=True, blank=True, editable=False
    )
    overdue_notified_at = models.DateTimeField(
        _("overdue notice sent at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the agency's heads were told the answer is late."),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_kind=ComplaintSubject.APPLICATION)
                & Q(application__isnull=False)
                | Q(subject_kind=ComplaintSubject.OFFICE) & Q(office__isnull=False)
                | Q(subject_kind=ComplaintSubject.OFFICER) & Q(officer__isnull=False),
                name="complaint_subject_given",
            ),
            models.CheckConstraint(
                condition=~Q(status=ComplaintStatus.ANSWERED)
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="answered_complaint_has_answer",
            ),
            models.UniqueConstraint(
                fields=["lapor_tracking_id"],
                condition=~Q(lapor_tracking_id=""),
                name="complaint_lapor_tracking_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(self.uuid)

    @property
    def is_overdue(self) -> bool:
        """Still owed an answer and past ``due_at``."""
        from django.utils import timezone

        from .choices import OPEN_COMPLAINT_STATUSES

        return self.status in OPEN_COMPLAINT_STATUSES and self.due_at < timezone.now()
