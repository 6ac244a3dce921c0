"""The service catalog: each type of service (*jenis layanan*) a unit offers, its versioned
service standard (*standar pelayanan*, the 14 components of UU 25/2009 Pasal 21) and each unit's
service promise (*maklumat pelayanan*).

``Service`` is the stable identity that URLs, applications and complaints refer to; what a citizen
must bring, how long it takes and what it costs live in the adopted ``ServiceStandard``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticValidationError

from layanan.accounts.models import ServiceUnit
from layanan.catalog.standard import PublishedComponents
from layanan.core.models import TimeStampedModel


class Service(TimeStampedModel):
    """A type of service (*jenis layanan*) offered by one service unit."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        COUNTER = "counter", _("At the counter")
        BOTH = "both", _("Online and at the counter")

    class TimeUnit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        WORKING_DAYS = "working_days", _("working days")

    class LifeEvent(models.TextChoices):
        """Situations in a citizen's life (*peristiwa kehidupan*); the keys appear in URLs."""

        BIRTH = "kelahiran", _("Birth")
        MARRIAGE = "pernikahan", _("Marriage")
        DEATH = "kematian", _("Death")
        MOVING = "pindah", _("Moving house")
        STARTING_BUSINESS = "memulai-usaha", _("Starting a business")
        BUILDING_HOUSE = "membangun-rumah", _("Building a house")
        VEHICLE = "kendaraan", _("Vehicles and driving")
        WORK = "pekerjaan", _("Work")
        HEALTH = "kesehatan", _("Health")
        EDUCATION = "pendidikan", _("Education")
        SOCIAL_ASSISTANCE = "bantuan-sosial", _("Social assistance")

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="services", verbose_name=_("service unit")
    )
    summary = models.TextField(_("summary"), help_text=_("What the service is for, in one or two sentences."))
    keywords = models.CharField(
        _("other names"),
        max_length=300,
        blank=True,
        help_text=_("Other names citizens use for this service, separated by commas (e.g. e-KTP)."),
    )
    channel = models.CharField(_("channels"), max_length=10, choices=Channel.choices)
    counter_location = models.CharField(
        _("where to go"), max_length=200, blank=True, help_text=_("E.g. MPP Banyumas, counter 3.")
    )
    # The standard in force, kept here by the adoption action so list pages need no subquery.
    adopted_standard = models.OneToOneField(
        "ServiceStandard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    is_active = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["online", "counter", "both"]), name="catalog_service_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:service-detail", kwargs={"slug": self.slug})

    @property
    def is_online(self) -> bool:
        return self.channel in {self.Channel.ONLINE, self.Channel.BOTH}

    @property
    def is_at_counter(self) -> bool:
        return self.channel in {self.Channel.COUNTER, self.Channel.BOTH}


class ServiceLifeEvent(models.Model):
    """Tags a service with a life event, so citizens can find services by their situation."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="life_events")
    event = models.CharField(_("life event"), max_length=30, choices=Service.LifeEvent.choices)

    class Meta:
        verbose_name = _("service life event")
        verbose_name_plural = _("service life events")
        ordering = ["event"]
        constraints = [
            models.UniqueConstraint(fields=["service", "event"], name="catalog_service_life_event_unique"),
        ]
        indexes = [models.Index(fields=["event"], name="catalog_life_event_event")]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_event_display()}"


class ServiceStandard(TimeStampedModel):
    """One version of a service's standard with all 14 components of UU 25/2009 Pasal 21.

    Life cycle: ``draft`` (unit staff edit it; copied from the adopted version) ->
    ``consultation`` (put to the public, e.g. in a public consultation forum) -> ``adopted``
    (set by the unit head with a decree number and date; the previous adopted version becomes
    ``superseded``). At most one adopted and one open (draft or consultation) version per service.
    The 6 published components are validated JSON (``layanan.catalog.standard``); the 8 internal
    components are text.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTATION = "consultation", _("In public consultation")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="standards")
    version = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    change_note = models.TextField(_("what changed"), blank=True)
    # The 6 published components: see layanan.catalog.standard.PublishedComponents.
    published = models.JSONField(_("published components"), default=dict, blank=True)
    # The 8 internal (management) components.
    legal_basis = models.TextField(_("legal basis"), blank=True)
    facilities = models.TextField(_("facilities and infrastructure"), blank=True)
    staff_competence = models.TextField(_("staff competence"), blank=True)
    internal_supervision = models.TextField(_("internal supervision"), blank=True)
    staff_count = models.TextField(_("number of staff"), blank=True)
    service_guarantee = models.TextField(_("service guarantee"), blank=True)
    security_guarantee = models.TextField(_("security and safety guarantee"), blank=True)
    performance_evaluation = models.TextField(_("staff performance evaluation"), blank=True)
    decree_number = models.CharField(_("decree number"), max_length=120, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consultation_started_at = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="catalog_standard_version_unique"),
            models.UniqueConstraint(
                fields=["service"], condition=Q(status="adopted"), name="catalog_standard_one_adopted"
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(status__in=["draft", "consultation"]),
                name="catalog_standard_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "superseded"])
                | (~Q(decree_number="") & Q(decree_date__isnull=False)),
                name="catalog_standard_adopted_has_decree",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def components(self) -> PublishedComponents | None:
        """The published components, validated; None while a draft is still incomplete."""
        try:
            return PublishedComponents.model_validate(self.published)
        except PydanticValidationError:
            return None


class ServicePromise(TimeStampedModel):
    """The *maklumat pelayanan* of a unit: its public promise to serve by the standards.

    A new row is added when the promise is re-signed; the latest by ``signed_on`` is in force.
    """

    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="promises")
    text = models.TextField(_("text"))
    signatory_name = models.CharField(_("signed by"), max_length=150)
    signatory_title = models.CharField(_("title of the signatory"), max_length=150)
    signed_on = models.DateField(_("signed on"))

    class Meta:
        verbose_name = _("service promise (maklumat pelayanan)")
        verbose_name_plural = _("service promises (maklumat pelayanan)")
        ordering = ["unit", "-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} ({self.signed_on})"


# --- Search index (owned by layanan.catalog.search) ----------------------------------------------
# Maintained only by layanan.catalog.search (sync on invalidation, ``rebuild_search_index``);
# nothing else writes these tables. See docs/catalog-search.md.


class SearchDocument(models.Model):
    """One service's text, analysed once (``layanan.core.text``): space-separated terms per field.

    ``terms`` (the distinct terms of all fields) is the column the database's full-text index
    covers: an FTS5 table kept in sync by triggers on SQLite; on PostgreSQL a generated column
    ``terms_tsvector`` = ``array_to_tsvector(string_to_array(terms, ' '))`` (not a model field)
    with a GIN index (migration 0003). Both match the very same terms, so candidate retrieval
    is identical on both databases; ranking is done in Python from the per-field terms.
    """

    service = models.OneToOneField(Service, on_delete=models.CASCADE, primary_key=True, related_name="+")
    name_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    detail_terms = models.TextField(blank=True)
    context_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    words = models.TextField(blank=True)
    source_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "search document"
        verbose_name_plural = "search documents"

    def __str__(self) -> str:
        return f"search document of service {self.service_id}"


class SearchIndexState(models.Model):
    """The single row (pk 1) that says whether the search documents are current.

    ``invalidate_search_index`` adds one to ``changes``; a sync brings the documents up to date
    and records the ``changes`` it saw in ``synced_changes``. ``token`` changes whenever the
    documents change: each process compares it with the token of its in-memory index.
    """

    changes = models.PositiveBigIntegerField(default=1)
    synced_changes = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=32, blank=True)
    analyzer_version = models.CharField(max_length=32, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "search index state"
        verbose_name_plural = "search index states"

    def __str__(self) -> str:
        return f"search index {self.token or '(never built)'}"
