"""The routing model (``layanan.complaints.routing``), pure: no database."""

from __future__ import annotations

import pytest

from layanan.complaints import routing
from layanan.complaints.routing import AgencyProfile, CategoryProfile, Learned, RoutingModel

CATEGORIES = [
    CategoryProfile(
        "infrastruktur", "Infrastruktur, Jalan dan Jembatan", "jalan rusak berlubang aspal jembatan"
    ),
    CategoryProfile("lingkungan", "Lingkungan Hidup dan Kebersihan", "sampah tumpukan TPS limbah bau"),
    CategoryProfile(
        "transportasi", "Perhubungan dan Transportasi", "angkot terminal parkir lampu lalu lintas"
    ),
    CategoryProfile(
        "air-bersih", "Air Bersih dan Utilitas", "PDAM air mati air keruh pipa bocor listrik padam PLN"
    ),
    CategoryProfile("lainnya", "Lainnya"),
]
AGENCIES = [
    AgencyProfile(
        "pupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Pembangunan dan pemeliharaan jalan dan jembatan kabupaten, drainase, talud, irigasi.",
        "33.02",
    ),
    AgencyProfile(
        "dlh",
        "Dinas Lingkungan Hidup",
        "Pengelolaan sampah dan kebersihan, pengangkutan sampah ke TPS, pengendalian pencemaran, limbah.",
        "33.02",
    ),
    AgencyProfile(
        "dinhub",
        "Dinas Perhubungan",
        "Rambu dan lampu lalu lintas (traffic light), parkir dan juru parkir, terminal, angkutan umum.",
        "33.02",
    ),
    AgencyProfile(
        "pdam",
        "Perumda Air Minum",
        "Distribusi air bersih, perbaikan pipa bocor dan meteran air, tagihan rekening air PDAM.",
        "33.02",
    ),
    AgencyProfile(
        "pln",
        "PT PLN (Persero) UP3",
        "Penanganan gangguan listrik padam, tiang dan kabel listrik, token dan meteran listrik.",
        "33.02",
    ),
    AgencyProfile(
        "dinpertan",
        "Dinas Pertanian",
        "Penyaluran pupuk bersubsidi, kartu tani, penyuluhan petani, peternakan.",
        "33.02",
    ),
]


@pytest.fixture(scope="module")
def model() -> RoutingModel:
    return RoutingModel(AGENCIES, CATEGORIES)


def _top(model: RoutingModel, title: str, body: str = "", region: str = "33.02.05.2003") -> str:
    return model.suggest(title, body, region, limit=1)[0].agency_slug


def test_chat_forms_and_javanese_words_become_standard_words() -> None:
    assert (
        routing.complaint_text("jln dpn rmh bolong2 gk dibenerin") == "jalan depan rmh lubang tidak perbaiki"
    )
    assert routing.complaint_text("banyu ora mili wis suwe") == "air tidak mili sudah lama"
    assert routing.complaint_text("Mati lampu lagi!!") == "listrik padam lagi"


@pytest.mark.parametrize(
    ("title", "body", "agency"),
    [
        ("jln bolong2", "jln dpn sd bolong2 gk dibenerin udh 3 thn", "pupr"),
        ("dalan rusak", "dalan neng desa rusak wis suwe ora didandani", "pupr"),
        ("kretek ambrol", "kretek neng dusun papane wis bolong", "pupr"),
        ("banyu mati", "banyu pdam neng omah mati wis telung dina", "pdam"),
        ("air ledeng keruh", "air ledeng butek kaya air sawah", "pdam"),
        ("mati lampu", "mati lampu terus tiap malem kulkas rusak", "pln"),
        ("listrik njeglek", "listrike njeglek saben wengi", "pln"),
        ("jukir", "jukir di alun2 narik 5rb gk dikasih karcis", "dinhub"),
        ("bangjo rusak", "bangjo neng prapatan rusak", "dinhub"),
        ("tps mambu", "tps cedhak pasar mambu sampah ora diangkut", "dlh"),
    ],
)
def test_slang_abbreviations_and_javanese_route_right(
    model: RoutingModel, title: str, body: str, agency: str
) -> None:
    assert _top(model, title, body) == agency


@pytest.mark.parametrize(
    ("query", "agency"),
    [
        ("smapah numpuk di pingir jalan bau", "dlh"),  # sampah, pinggir
        ("pipa pdma bocorr", "pdam"),  # pdam, bocor
        ("pupkk subsidi langka", "dinpertan"),  # pupuk
    ],
)
def test_typos_are_corrected_before_routing(model: RoutingModel, query: str, agency: str) -> None:
    assert _top(model, "", query) == agency


def test_confidences_are_probabilities_best_first(model: RoutingModel) -> None:
    suggestions = model.suggest(
        "sampah numpuk", "sampah di tps numpuk seminggu gk diangkut", "33.02", limit=10
    )

    assert [s.agency_slug for s in suggestions][0] == "dlh"
    assert len(suggestions) == len(AGENCIES)
    confidences = [s.confidence for s in suggestions]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences)
    assert sum(confidences) == pytest.approx(1, abs=0.01)
    assert suggestions[0].confidence > 0.5
    assert suggestions[0].category_slug == "lingkungan"
    assert suggestions[0].categories[0] == "lingkungan"


def test_a_vague_report_gets_a_low_confidence(model: RoutingModel) -> None:
    vague = model.suggest("tolong", "mohon ditindaklanjuti pak", "33.02", limit=1)[0]
    clear = model.suggest("air pdam mati", "air pdam mati 4 hari pipa bocor", "33.02", limit=1)[0]

    assert vague.confidence < 0.4 < clear.confidence


def test_an_agency_of_the_reports_regency_beats_one_elsewhere_and_a_provincial_one() -> None:
    duties = "Pengelolaan sampah dan kebersihan, TPS, limbah."
    model = RoutingModel(
        [
            AgencyProfile("dlh-banyumas", "Dinas Lingkungan Hidup Banyumas", duties, "33.02"),
            AgencyProfile("dlh-cilacap", "Dinas Lingkungan Hidup Cilacap", duties, "33.01"),
            AgencyProfile("dlhk-jateng", "Dinas Lingkungan Hidup Provinsi", duties, "33"),
        ],
        CATEGORIES,
    )

    in_banyumas = model.suggest("sampah", "sampah numpuk di tps", "33.02.05.2003", limit=3)
    in_cilacap = model.suggest("sampah", "sampah numpuk di tps", "33.01.10", limit=3)
    nowhere = model.suggest("sampah", "sampah numpuk di tps", "", limit=3)

    assert [s.agency_slug for s in in_banyumas] == ["dlh-banyumas", "dlhk-jateng", "dlh-cilacap"]
    assert [s.agency_slug for s in in_cilacap] == ["dlh-cilacap", "dlhk-jateng", "dlh-banyumas"]
    assert in_banyumas[2].confidence < 0.05
    assert len({s.confidence for s in nowhere}) == 1  # no region: nothing to prefer


def test_region_prior_rules() -> None:
    assert routing.region_prior("33.02", "33.02.05.2003") > routing.region_prior("33", "33.02.05.2003") > 0
    assert routing.region_prior("33.02", "33.21.01") == routing.OUTSIDE_REGION_PENALTY
    assert routing.region_prior("33.2", "33.21") == routing.OUTSIDE_REGION_PENALTY  # whole segments only
    assert routing.region_prior("33.02", "33") == 0  # the report names only the province
    assert routing.region_prior("33.02", "") == 0


def test_confirmed_dispositions_teach_what_the_duties_do_not_say() -> None:
    cold = RoutingModel(AGENCIES, CATEGORIES)
    learned = Learned()
    for village in ("karangsari", "pageraji", "sokaraja", "kedungrandu"):
        learned.add(
            "embung kering", f"embung desa {village} kering sawah gagal panen", "dinpertan", "lainnya"
        )

    warm = RoutingModel(AGENCIES, CATEGORIES, learned)

    assert _top(cold, "embung kering", "embung di desa kering") != "dinpertan"
    assert _top(warm, "embung kering", "embung di desa kering") == "dinpertan"
    assert warm.suggest("embung kering", "", "33.02", limit=1)[0].category_slug == "lainnya"


def test_what_is_learned_stays_bounded_by_agencies_and_categories() -> None:
    learned = Learned()
    for n in range(400):
        learned.add(
            f"keluhan {n}", f"kata{n} unik{n} sampah numpuk tps bau {'x' * (n % 7)}", "dlh", "lingkungan"
        )

    model = RoutingModel(AGENCIES, CATEGORIES, learned)

    assert model.size == len(AGENCIES) + len(CATEGORIES)
    document = routing._learned_document(learned.agency_terms["dlh"])
    assert len(set(document)) <= routing.LEARNED_TERMS
    assert learned.reports == 400


def test_numbers_and_words_of_a_single_report_are_never_learned() -> None:
    learned = Learned()
    learned.add(
        "pungli", "pak sukarjowiyono minta uang nik 3302051234567890 hp 081234567890", "pln", "lainnya"
    )
    learned.add("listrik", "listrik padam", "pln", "air-bersih")

    assert not any(any(char.isdigit() for char in term) for term in learned.agency_terms["pln"])
    model = RoutingModel(AGENCIES, CATEGORIES, learned)
    assert "sukarjowiyono" not in routing._learned_document(learned.agency_terms["pln"])
    assert model.query_terms("", "sukarjowiyono") == []


def test_a_snapshot_round_trip_gives_the_same_suggestions() -> None:
    learned = Learned()
    for _ in range(3):
        learned.add("embung kering", "embung desa kering", "dinpertan", "lainnya")
    restored = Learned.from_json(learned.to_json())

    first = RoutingModel(AGENCIES, CATEGORIES, learned).suggest("embung", "kering", "33.02")
    second = RoutingModel(AGENCIES, CATEGORIES, restored).suggest("embung", "kering", "33.02")

    assert first == second


def test_categories_are_inferred_from_duties_when_not_declared(model: RoutingModel) -> None:
    assert "infrastruktur" in model.declared["pupr"]
    assert "air-bersih" in model.declared["pdam"]
    assert model.declared["dinpertan"] == frozenset({"lainnya"})


def test_no_agencies_no_suggestions() -> None:
    assert RoutingModel([], CATEGORIES).suggest("jalan rusak", "", "33.02") == []
