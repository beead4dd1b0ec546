from __future__ import annotations

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
