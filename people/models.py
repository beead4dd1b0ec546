from __future__ import annotations

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"
WIKIDATA_ID_MESSAGE = _('A Wikidata ID is "Q" followed by digits, e.g. Q22686.')


class PersonQuerySet(models.QuerySet["Person"]):
    def tracked(self) -> PersonQuerySet:
        """People with at least one published claim: the only ones the public pages and the API show.

        An EXISTS probe per person (claims' claimant index), not a count of every claim.
        """
        from claims.models import Claim

        return self.filter(models.Exists(Claim.objects.published().filter(claimant=models.OuterRef("pk"))))

    def annotate_claim_count(self) -> PersonQuerySet:
        return self.annotate(claim_count=models.Count("claims", distinct=True))

    def search(self, text: str) -> PersonQuerySet:
        return self.filter(models.Q(name__icontains=text) | models.Q(role__icontains=text))


class PersonKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Person(models.Model):
    """Someone whose claims are tracked: a person or an organisation speaking as one."""

    Kind = PersonKind

    name = models.CharField(verbose_name=pgettext_lazy("the name of a person or organisation", "name"), max_length=200)
    slug = models.SlugField(
        verbose_name=_("slug"), max_length=120, unique=True, help_text=_("Used in the person's public URL.")
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(
        _("role or title"), max_length=200, blank=True, help_text=_('For example "President of Russia".')
    )
    country = models.CharField(verbose_name=_("country"), max_length=100, blank=True)
    bio = models.TextField(_("short bio"), blank=True)
    wikidata_id = models.CharField(
        _("Wikidata ID"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(WIKIDATA_ID_PATTERN, WIKIDATA_ID_MESSAGE)],
    )
    # Incremented on every edit, so a save from a stale form can be detected and refused.
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    # Every create, edit and delete, with who and when; editors can restore an earlier version.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        ordering = ["name"]
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wikidata_id="") | models.Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
                name="person_wikidata_id_format",
                violation_error_message=WIKIDATA_ID_MESSAGE,
            ),
            models.CheckConstraint(condition=models.Q(name__gt=""), name="person_name_not_blank"),
            models.CheckConstraint(condition=models.Q(slug__gt=""), name="person_slug_not_blank"),
            models.CheckConstraint(condition=models.Q(kind__in=PersonKind.values), name="person_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:person-detail", kwargs={"slug": self.slug})

    @property
    def wikidata_url(self) -> str:
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}" if self.wikidata_id else ""


class TermQuerySet(models.QuerySet["Term"]):
    def of_tracked_people(self) -> TermQuerySet:
        return self.filter(person__in=Person.objects.tracked())

    def held_on(self, day: datetime.date) -> TermQuerySet:
        return self.filter(models.Q(starts_on__lte=day) & (models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)))


class Term(models.Model):
    """A person's time in an office, e.g. a presidency from its inauguration to its end.

    Pledges can belong to the term they were made for (``Claim.term``); the term's scorecard counts them.
    """

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="terms")
    office = models.CharField(
        verbose_name=_("office"), max_length=200, help_text=_('For example "President of the United States".')
    )
    starts_on = models.DateField(
        verbose_name=_("starts on"), help_text=_("The first day in office, e.g. the inauguration.")
    )
    ends_on = models.DateField(
        verbose_name=_("ends on"),
        null=True,
        blank=True,
        help_text=_("The last day in office. Leave empty while the end is not known."),
    )
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        ordering = ["person__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(office__gt=""), name="term_office_not_blank"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_it_starts",
                violation_error_message=_("A term ends on or after the day it starts."),
            ),
            models.UniqueConstraint(
                fields=["person", "office", "starts_on"],
                name="term_once_per_person_office_and_start",
                violation_error_message=_("This person already has a term in this office starting that day."),
            ),
        ]

    def __str__(self) -> str:
        end = self.ends_on.isoformat() if self.ends_on else "…"
        return f"{self.person.name}: {self.office} ({self.starts_on.isoformat()} – {end})"

    def get_absolute_url(self) -> str:
        return reverse("public:term-scorecard", kwargs={"pk": self.pk})

    def day_number(self, day: datetime.date) -> int | None:
        """ "Day N" of the term on ``day`` (the first day is day 1), or None outside the term."""
        if day < self.starts_on or (self.ends_on is not None and day > self.ends_on):
            return None
        return (day - self.starts_on).days + 1
