"""Usage: .venv/bin/python bench/catalog_search.py [--services 5000] [--dbs sqlite,pg] [--rounds 20]
        [--wrk-secs 10] [--wrk-reps 3] [--conns 8] [--workers 0] [--no-wrk] [--keep]
        [--out FILE.json]

Catalog search with a catalog of --services services, on a throwaway SQLite database (a temporary
LAYANAN_VAR_DIR) and a throwaway PostgreSQL database (``layanan_search_bench`` on
127.0.0.1:5432, created for the run and dropped after it; --keep keeps both). For each database:

1. ``migrate``, ``load_demo --skip-holidays`` (the 35 demo services with full standards),
   ``collectstatic``, then synthetic services up to --services: names, other names, summaries,
   requirements and products built from the demo vocabulary and more Indonesian public-service
   objects, each with an adopted standard (the demo standards' JSON with its requirements and
   products replaced), 0-2 life events, 3 % unpublished, spread over the demo agencies and 40
   synthetic ones.
2. In one process (``--worker``; times are wall clock, ``time.perf_counter``):
   * cold full build: ``sync_search_index(full=True)`` in a fresh process (Sastrawi's cache
     empty): analyse every service, write the documents and the full-text index;
   * cold process load: the first ``_current_index()`` of a process (read every document, build
     the in-memory ``FieldedBM25``), and the Python heap it holds (tracemalloc);
   * warm latency of ``search_services`` over the evaluation queries
     (``layanan/catalog/tests/search_queries.yaml``), --rounds rounds, unfiltered and filtered
     (agency, life event): p50/p95/p99/max, with the time per stage (state row, analysis,
     retrieval + ranking) and the sum of the query terms' document frequencies;
   * the same queries, interleaved, with the candidates always from the database's full-text
     index and always from the in-memory index (``FULL_TEXT_MAX_MATCHES`` forced), checking
     that all three give the same results; wall and CPU time (``time.process_time``: on
     PostgreSQL the server's CPU is not in it);
   * one catalog change: ``invalidate_search_index`` then the next search (incremental sync of
     one service + reload), and the sync alone;
   * the plans of the full-text condition for a selective and an unselective query;
   * the public pages in-process (Django test client, no HTTP server), to see how much of a
     search page is the search;
3. Unless --no-wrk: gunicorn (sync workers, --workers or 2 x cores + 1) on
   127.0.0.1, ``wrk -t1 -c --conns -d --wrk-secs --latency`` on ``/layanan/`` and
   ``/layanan/?q=akta+kelahiran`` (and ``/layanan/?q=surat+keterangan``: 30 results) after a
   warm-up, --wrk-reps times each (pages rotated), the median run kept; req/s (all runs),
   p50 and p99 latency, non-2xx responses.

Results: a Markdown summary on stdout and the raw figures as JSON (--out, default
bench/results/<date>-catalog-search.json). The code is run from the work tree. Stop with Ctrl+C:
the server it started is stopped by its process group.
Needs: wrk, PostgreSQL on 127.0.0.1:5432 (trust auth) for pg.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "layanan_search_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
QUERIES = ROOT / "layanan" / "catalog" / "tests" / "search_queries.yaml"
PAGES = ("/layanan/", "/layanan/?q=akta+kelahiran", "/layanan/?q=surat+keterangan")

# --- Synthetic catalog vocabulary (Indonesian public services) ---------------------------------
ACTIONS = (
    "Penerbitan",
    "Perpanjangan",
    "Penggantian",
    "Pendaftaran",
    "Perubahan Data",
    "Pencatatan",
    "Legalisasi",
    "Rekomendasi",
    "Verifikasi",
    "Permohonan",
    "Pengesahan",
    "Pencabutan",
    "Salinan",
    "Konsultasi",
    "Pembaruan",
    "Pemutakhiran",
)
OBJECTS = (
    ("Izin Usaha Mikro", "IUM, izin warung"),
    ("Izin Reklame", "izin papan iklan, baliho"),
    ("Izin Trayek Angkutan Umum", "trayek angkot"),
    ("Izin Praktik Apoteker", "SIPA"),
    ("Sertifikat Halal Usaha Mikro", "label halal"),
    ("Sertifikat Produksi Pangan Industri Rumah Tangga", "PIRT, SPP-IRT"),
    ("Surat Keterangan Domisili Usaha", "SKDU"),
    ("Tanda Daftar Gudang", "TDG"),
    ("Persetujuan Lingkungan", "UKL-UPL, AMDAL"),
    ("Izin Penelitian", "surat izin riset"),
    ("Kartu Tanda Bukti Pencari Kerja", "kartu kuning, AK/1"),
    ("Akta Kelahiran", "akte lahir"),
    ("Akta Kematian", "akte kematian"),
    ("Kartu Keluarga", "KK"),
    ("KTP-el", "e-KTP"),
    ("Kartu Identitas Anak", "KIA"),
    ("Surat Izin Mengemudi C", "SIM motor"),
    ("Surat Izin Mengemudi A", "SIM mobil"),
    ("Paspor Biasa", "paspor"),
    ("Nomor Pokok Wajib Pajak Daerah", "NPWPD"),
    ("SPPT PBB-P2", "PBB"),
    ("Validasi BPHTB", "pajak jual beli tanah"),
    ("Izin Usaha Perikanan", "SIUP perikanan"),
    ("Kartu Tani", "pupuk subsidi"),
    ("Uji Berkala Kendaraan Bermotor", "uji KIR"),
    ("Izin Operasional Satuan Pendidikan", "izin sekolah, izin PAUD"),
    ("Izin Klinik Pratama", "izin klinik"),
    ("Surat Keterangan Sehat", "surat sehat"),
    ("Izin Keramaian", "izin hajatan, izin acara"),
    ("Rekomendasi Beasiswa Daerah", "beasiswa"),
    ("Data Penerima Bantuan Sosial", "bansos, DTKS"),
    ("Kepesertaan Jaminan Kesehatan", "BPJS, KIS"),
    ("Izin Mendirikan Menara Telekomunikasi", "izin tower"),
    ("Persetujuan Bangunan Gedung", "IMB, PBG"),
    ("Sertifikat Laik Fungsi", "SLF"),
    ("Keterangan Rencana Kota", "KRK, tata ruang"),
    ("Izin Pemakaian Tanah Makam", "makam, kuburan"),
    ("Surat Keterangan Ahli Waris", "waris"),
    ("Izin Usaha Toko Swalayan", "minimarket"),
    ("Tanda Daftar Usaha Pariwisata", "TDUP, homestay"),
    ("Izin Penyelenggaraan Parkir", "parkir"),
    ("Surat Keterangan Tidak Mampu", "SKTM"),
    ("Kartu Lansia", "lanjut usia"),
    ("Izin Pemanfaatan Air Tanah", "sumur bor"),
    ("Sertifikat Standar Usaha", "OSS"),
    ("Rekomendasi Teknis Pemotongan Hewan", "RPH, kurban"),
    ("Pendaftaran Koperasi", "koperasi"),
    ("Kartu Disabilitas", "penyandang disabilitas"),
    ("Izin Angkutan Sewa Khusus", "taksi online"),
    ("Legalisir Ijazah", "ijazah"),
)
QUALIFIERS = (
    "",
    "",
    "",
    " bagi Warga Negara Asing",
    " untuk Usaha Mikro dan Kecil",
    " secara Daring",
    " (Tahap Lanjutan)",
    " bagi Penyandang Disabilitas",
    " Perorangan",
    " Badan Usaha",
    " di Kecamatan {place}",
    " Kabupaten {place}",
)
PLACES = (
    "Purwokerto Utara",
    "Sokaraja",
    "Ajibarang",
    "Wangon",
    "Banyumas",
    "Cilacap",
    "Purbalingga",
    "Banjarnegara",
    "Kebumen",
    "Baturraden",
    "Kembaran",
    "Sumbang",
)
AUDIENCES = (
    "penduduk Kabupaten Banyumas",
    "pelaku usaha mikro dan kecil",
    "warga negara asing yang tinggal di daerah",
    "pemilik kendaraan bermotor",
    "pemilik tanah dan bangunan",
    "pencari kerja",
    "calon pengantin",
    "keluarga yang baru memiliki anak",
    "lembaga pendidikan swasta",
    "badan usaha dan koperasi",
)
PURPOSES = (
    "sebagai syarat melamar pekerjaan",
    "untuk keperluan sekolah dan layanan kesehatan",
    "sebelum memulai kegiatan usaha",
    "setelah jual beli, hibah, atau waris",
    "bila dokumen lama hilang atau rusak",
    "yang masa berlakunya akan habis",
    "agar data kependudukan tetap benar",
    "sesuai peraturan daerah yang berlaku",
)
REQUIREMENTS = (
    "Fotokopi KTP-el pemohon",
    "Fotokopi Kartu Keluarga",
    "Pas foto berwarna ukuran 3×4, 2 lembar",
    "Surat pengantar RT/RW dan kelurahan",
    "Surat keterangan sehat dari dokter",
    "NPWP pemohon atau badan usaha",
    "Bukti pembayaran PBB tahun berjalan",
    "Surat kuasa bermeterai dan KTP-el penerima kuasa",
    "Gambar denah lokasi",
    "Sertifikat tanah atau bukti penguasaan tanah",
    "Akta pendirian badan usaha",
    "Surat pernyataan bermeterai",
    "Dokumen lama yang rusak",
    "Surat keterangan kehilangan dari kepolisian",
    "Rekomendasi dari camat",
    "Izin tetangga sekitar",
    "Daftar riwayat hidup",
    "Ijazah terakhir",
    "Nomor Induk Berusaha (NIB)",
    "Foto lokasi usaha",
    "Rencana anggaran biaya",
    "Surat permohonan bermeterai",
    "Kutipan akta kelahiran",
    "Buku nikah atau kutipan akta perkawinan",
    "Paspor dan izin tinggal",
    "STNK dan BPKB kendaraan",
    "Sertifikat pelatihan",
    "Surat Tanda Registrasi (STR) yang berlaku",
    "Dokumen lingkungan (SPPL, UKL-UPL, atau AMDAL)",
    "Hasil uji laboratorium",
)
EVENTS = (
    "kelahiran",
    "pernikahan",
    "kematian",
    "pindah",
    "memulai-usaha",
    "membangun-rumah",
    "kendaraan",
    "pekerjaan",
    "kesehatan",
    "pendidikan",
    "bantuan-sosial",
)
SECTORS = (
    "Kesehatan",
    "Pendidikan dan Kebudayaan",
    "Perhubungan",
    "Lingkungan Hidup",
    "Pertanian dan Ketahanan Pangan",
    "Perikanan",
    "Koperasi dan Usaha Mikro",
    "Perdagangan",
    "Pariwisata",
    "Perumahan dan Kawasan Permukiman",
    "Komunikasi dan Informatika",
    "Pemadam Kebakaran",
    "Kearsipan dan Perpustakaan",
    "Pemuda dan Olahraga",
    "Satuan Polisi Pamong Praja",
    "Sosial dan Pemberdayaan Masyarakat",
    "Tenaga Kerja dan Transmigrasi",
    "Penanaman Modal",
    "Pekerjaan Umum",
    "Kependudukan",
)
REGENCIES = ("Banyumas", "Cilacap")


# --- Worker: generate, then measure in one process ---------------------------------------------


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {
        "n": len(ordered),
        "p50_ms": pick(0.50) * 1000,
        "p95_ms": pick(0.95) * 1000,
        "p99_ms": pick(0.99) * 1000,
        "max_ms": ordered[-1] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def generate(target: int, seed: int = 20261123) -> dict[str, Any]:
    import copy

    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from layanan.accounts.models import Agency, ServiceUnit
    from layanan.catalog.models import Service, ServiceLifeEvent, ServiceStandard

    rng = random.Random(seed)
    started = time.perf_counter()
    existing = Service.objects.count()
    templates = [
        standard.published
        for standard in ServiceStandard.objects.filter(status="adopted").order_by("pk")
        if standard.published
    ]
    if not templates:
        raise SystemExit("no adopted demo standard to copy: did load_demo run?")
    units = list(ServiceUnit.objects.select_related("agency").order_by("pk"))
    region = units[0].region
    with transaction.atomic():
        new_agencies = []
        for regency in REGENCIES:
            for sector in SECTORS:
                slug = slugify(f"dinas-{sector}-{regency}")[:80]
                new_agencies.append(
                    Agency(
                        slug=slug,
                        name=f"Dinas {sector} Kabupaten {regency}",
                        short_name=f"Dinas {sector.split()[0]}",
                        kind=Agency.Kind.REGIONAL,
                        region=region,
                    )
                )
        Agency.objects.bulk_create(new_agencies)
        agencies = list(Agency.objects.filter(slug__in=[a.slug for a in new_agencies]))
        new_units = [
            ServiceUnit(agency=agency, slug=slug, name=name, region=region)
            for agency in agencies
            for slug, name in (("loket-mpp", "Loket MPP"), ("bidang-layanan", "Bidang Pelayanan"))
        ]
        ServiceUnit.objects.bulk_create(new_units)
        units = list(ServiceUnit.objects.select_related("agency").order_by("pk"))
        services = []
        for n in range(max(0, target - existing)):
            action = rng.choice(ACTIONS)
            obj, colloquial = rng.choice(OBJECTS)
            qualifier = rng.choice(QUALIFIERS).format(place=rng.choice(PLACES))
            name = f"{action} {obj}{qualifier}"
            summary = (
                f"{action} {obj.lower()} bagi {rng.choice(AUDIENCES)} {rng.choice(PURPOSES)}. "
                f"Permohonan diajukan di loket MPP atau secara daring dan diproses oleh petugas "
                f"{rng.choice(SECTORS).lower()}."
            )
            services.append(
                Service(
                    slug=f"{slugify(name)[:80]}-{n}",
                    name=name[:200],
                    unit=rng.choice(units),
                    summary=summary,
                    keywords=colloquial if rng.random() < 0.6 else "",
                    channel=rng.choice(["online", "counter", "both"]),
                    is_active=rng.random() >= 0.03,
                )
            )
        Service.objects.bulk_create(services, batch_size=500)
        created = list(Service.objects.filter(slug__in=[s.slug for s in services]).order_by("pk"))
        now = timezone.now()
        standards = []
        for service in created:
            published = copy.deepcopy(rng.choice(templates))
            published["requirements"] = [
                {
                    "document_type": "lainnya",
                    "name": requirement,
                    "form": "copy",
                    "issued_by": "",
                    "condition": "",
                    "note": "",
                }
                for requirement in rng.sample(REQUIREMENTS, rng.randint(2, 7))
            ]
            obj_name = service.name.split(" ", 1)[1] if " " in service.name else service.name
            published["products"] = [
                {"name": obj_name, "description": "", "is_electronic": rng.random() < 0.3}
            ]
            standards.append(
                ServiceStandard(
                    service=service,
                    version=1,
                    status="adopted",
                    published=published,
                    decree_number=f"000.8/{service.pk}/2026",
                    decree_date=datetime.date(2026, 1, 15),
                    adopted_at=now,
                    legal_basis="Peraturan Bupati tentang Standar Pelayanan.",
                )
            )
        ServiceStandard.objects.bulk_create(standards, batch_size=500)
        by_service = dict(ServiceStandard.objects.filter(service__in=created).values_list("service_id", "pk"))
        for service in created:
            service.adopted_standard_id = by_service[service.pk]
        Service.objects.bulk_update(created, ["adopted_standard"], batch_size=500)
        ServiceLifeEvent.objects.bulk_create(
            [
                ServiceLifeEvent(service=service, event=event)
                for service in created
                for event in rng.sample(EVENTS, rng.choice([0, 1, 1, 2]))
            ],
            batch_size=1000,
        )
    from django.db import connection

    if connection.vendor == "postgresql":  # as autovacuum would, soon after such a load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "services": Service.objects.count(),
        "published": Service.objects.filter(is_active=True).count(),
        "agencies": Agency.objects.count(),
        "generate_s": time.perf_counter() - started,
    }


def query_plan(terms: list[str]) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " OR ".join(f'"{term}"' for term in terms)
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT d.service_id FROM catalog_searchdocument d "
                "WHERE d.service_id IN (SELECT rowid FROM catalog_searchdocument_fts "
                "WHERE catalog_searchdocument_fts MATCH %s)",
                [match],
            )
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        tsquery = " | ".join(f"'{term}'" for term in terms)
        cursor.execute(
            "EXPLAIN ANALYZE SELECT service_id FROM catalog_searchdocument "
            "WHERE terms_tsvector @@ %s::tsquery",
            [tsquery],
        )
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(rounds: int) -> dict[str, Any]:
    import tracemalloc

    import yaml
    from django.db import connection

    from layanan.catalog import search
    from layanan.catalog.models import SearchDocument, Service

    queries = [entry["q"] for entry in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]]
    result: dict[str, Any] = {"vendor": connection.vendor, "queries": len(queries), "rounds": rounds}

    started = time.perf_counter()
    sync = search.sync_search_index(full=True)
    result["cold_full_build_s"] = time.perf_counter() - started
    result["analysed"] = sync.analysed
    result["documents"] = SearchDocument.objects.count()

    search.reset_process_cache()
    started = time.perf_counter()
    index = search._current_index()
    result["cold_process_load_s"] = time.perf_counter() - started
    search.reset_process_cache()
    tracemalloc.start()
    index = search._current_index()
    result["index_heap_mb"] = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    started = time.perf_counter()
    search.search_services(queries[0])
    result["first_query_after_load_ms"] = (time.perf_counter() - started) * 1000

    for query in queries:  # warm-up: correction memo, stem cache, database caches
        search.search_services(query)

    agency = (
        Service.objects.filter(slug="akta-kelahiran").values_list("unit__agency__slug", flat=True).first()
        or ""
    )
    automatic = search.FULL_TEXT_MAX_MATCHES

    def forced(threshold: int) -> Any:
        def run_search(query: str, **filters: str) -> list[int]:
            search.FULL_TEXT_MAX_MATCHES = threshold
            try:
                return search.search_services(query, **filters)
            finally:
                search.FULL_TEXT_MAX_MATCHES = automatic

        return run_search

    # "auto" is search_services as shipped; "fts" always takes the candidates from the
    # database's full-text index; "memory" always ranks in memory (the database only filters).
    designs = {"auto": search.search_services, "fts": forced(10**9), "memory": forced(-1)}
    variants = {
        "unfiltered": {},
        "agency": {"agency": agency},
        "life_event": {"life_event": "kelahiran"},
    }
    index = search._current_index()
    matches_of = {
        query: min(
            index.bm25.size,
            sum(index.document_frequency.get(term, 0) for term in search._query_terms(index, query)),
        )
        for query in queries
    }
    buckets = ((0, 100), (101, 400), (401, 1500), (1501, 10**9))
    by_bucket: dict[str, dict[tuple[int, int], list[float]]] = {
        name: {b: [] for b in buckets} for name in designs
    }
    for label, filters in variants.items():
        wall: dict[str, list[float]] = {name: [] for name in designs}
        cpu: dict[str, list[float]] = {name: [] for name in designs}
        for round_number in range(rounds):
            order = list(designs)
            order = order[round_number % 3 :] + order[: round_number % 3]  # rotated: the load hits all
            for query in queries:
                answers = {}
                for name in order:
                    wall0, cpu0 = time.perf_counter(), time.process_time()
                    answers[name] = designs[name](query, **filters)
                    wall[name].append(time.perf_counter() - wall0)
                    cpu[name].append(time.process_time() - cpu0)
                    if not filters:
                        bucket = next(b for b in buckets if b[0] <= matches_of[query] <= b[1])
                        by_bucket[name][bucket].append(wall[name][-1])
                if len({tuple(answer) for answer in answers.values()}) != 1:
                    raise AssertionError(f"designs disagree on {query!r} {filters}: {answers}")
        for name in designs:
            result[f"{name}_{label}"] = {**_percentiles(wall[name]), "cpu": _percentiles(cpu[name])}

    result["unfiltered_by_matches"] = {
        f"{low}-{high if high < 10**9 else 'all'}": {
            name: _percentiles(by_bucket[name][(low, high)]) if by_bucket[name][(low, high)] else None
            for name in designs
        }
        for low, high in buckets
    }

    # Per stage (shipped search, unfiltered): state read, analysis, retrieval and ranking; and
    # how many documents the query's terms are in (what chooses the retrieval).
    stages: dict[str, list[float]] = {"state": [], "analysis": [], "retrieve_and_rank": []}
    matches = []
    for _ in range(max(1, rounds // 4)):
        for query in queries:
            t0 = time.perf_counter()
            index = search._current_index()
            t1 = time.perf_counter()
            terms = search._query_terms(index, query)
            t2 = time.perf_counter()
            search.search_services(query)
            t3 = time.perf_counter()
            stages["state"].append(t1 - t0)
            stages["analysis"].append(t2 - t1)
            stages["retrieve_and_rank"].append(max(0.0, (t3 - t2) - (t2 - t0)))
            matches.append(min(index.bm25.size, sum(index.document_frequency.get(term, 0) for term in terms)))
    result["stages"] = {name: _percentiles(values) for name, values in stages.items()}
    result["matches"] = {
        "median": statistics.median(matches),
        "p95": sorted(matches)[int(0.95 * (len(matches) - 1))],
        "max": max(matches),
        "full_text_share": sum(m <= automatic for m in matches) / len(matches),
        "threshold": automatic,
    }

    # One catalog change, as a staff edit makes it.
    service = Service.objects.filter(slug="akta-kelahiran").first() or Service.objects.first()
    assert service is not None
    service.summary += " Diubah untuk pengukuran."
    service.save()
    search.invalidate_search_index()
    started = time.perf_counter()
    search.search_services("akta kelahiran")
    result["search_after_change_ms"] = (time.perf_counter() - started) * 1000
    service.summary += " Sekali lagi."
    service.save()
    search.invalidate_search_index()
    started = time.perf_counter()
    incremental = search.sync_search_index()
    result["incremental_sync_ms"] = (time.perf_counter() - started) * 1000
    result["incremental_analysed"] = incremental.analysed

    # The public pages in this process (Django test client, no HTTP server): how much of a
    # search page is the search.
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    pages: dict[str, Any] = {}
    for page in PAGES:
        times = []
        status = 0
        for _ in range(max(10, rounds * 2)):
            started = time.perf_counter()
            status = client.get(page).status_code
            times.append(time.perf_counter() - started)
        pages[page] = {"status": status, **_percentiles(times)}
    for query in ("akta kelahiran", "surat keterangan"):
        times = []
        for _ in range(max(10, rounds * 2)):
            started = time.perf_counter()
            search.search_services(query, limit=30)
            times.append(time.perf_counter() - started)
        pages[f"search_services({query!r}, limit=30)"] = _percentiles(times)
    result["pages_in_process"] = pages

    result["plans"] = {}
    index = search._current_index()
    for query in ("skck", "akta kelahiran"):
        plan_terms = search._query_terms(search._current_index(), query)
        documents = sum(index.document_frequency.get(term, 0) for term in plan_terms)
        label = f"{query!r} -> {plan_terms}, sum of document frequencies {documents}"
        result["plans"][label] = query_plan(plan_terms)
    return result


def worker(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")
    import django

    django.setup()
    if args.worker == "generate":
        print("RESULT " + json.dumps(generate(args.services)), flush=True)
    else:
        print("RESULT " + json.dumps(measure(args.rounds)), flush=True)


# --- Orchestrator --------------------------------------------------------------------------------


def project_env(var_dir: Path, db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="layanan.settings",
        LAYANAN_VAR_DIR=str(var_dir),
        LAYANAN_ENV="development",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    if db == "pg":
        env["DATABASE_URL"] = PG_URL
    return env


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"failed: {' '.join(args)}")
    return done.stdout


def worker_result(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = run(env, str(Path(__file__).resolve()), *args)
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    raise RuntimeError(out)


def drop_pg() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def reset_pg() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(url: str, timeout: float = 60) -> bool:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.3)
    return False


def wrk(url: str, conns: int, secs: int) -> dict[str, Any]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "url": url,
        "rps": float(rps.group(1)) if rps else float("nan"),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
        "raw": out,
    }


def serve_and_measure(
    env: dict[str, str], workers: int, conns: int, secs: int, reps: int
) -> list[dict[str, Any]]:
    """Every page ``reps`` times (pages rotated); per page the run with the median req/s is kept."""
    port = free_port()
    log = open(Path(env["LAYANAN_VAR_DIR"]) / "gunicorn.log", "ab")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "layanan.wsgi:application",
            "-k",
            "sync",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    results = []
    try:
        base = f"http://127.0.0.1:{port}"
        if not wait_ready(base + "/healthz"):
            raise RuntimeError("gunicorn did not start: see gunicorn.log in the var dir")
        for page in PAGES:
            for _ in range(workers * 5):  # every worker loads its index and warms up
                with contextlib.suppress(OSError), urllib.request.urlopen(base + page, timeout=30) as r:
                    r.read()
        runs: dict[str, list[dict[str, Any]]] = {page: [] for page in PAGES}
        for _ in range(reps):
            for page in PAGES:
                runs[page].append(wrk(base + page, conns, secs))
        for page in PAGES:
            ordered = sorted(runs[page], key=lambda run: run["rps"])
            median = ordered[len(ordered) // 2]
            results.append({**median, "rps_all": [run["rps"] for run in runs[page]]})
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    return results


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg_start": os.getloadavg(),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"machine: {report['machine']['nproc']} x {report['machine']['cpu']}, "
        f"Python {report['machine']['python']}, {report['machine']['date']}, "
        f"load average at start {tuple(round(x, 1) for x in report['machine']['loadavg_start'])}",
        "",
        "| | " + " | ".join(report["dbs"]) + " |",
        "|---|" + "---|" * len(report["dbs"]),
    ]

    def row(label: str, getter: Any) -> None:
        cells = []
        for db in report["dbs"]:
            try:
                cells.append(getter(report["results"][db]))
            except (KeyError, TypeError, StopIteration):
                cells.append("-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("services (published)", lambda r: f"{r['catalog']['services']} ({r['catalog']['published']})")
    row("cold full build (analyse all, write index)", lambda r: f"{r['measure']['cold_full_build_s']:.1f} s")
    row(
        "cold process load (read documents, build BM25)",
        lambda r: f"{r['measure']['cold_process_load_s']:.2f} s",
    )
    row("in-memory index (Python heap)", lambda r: f"{r['measure']['index_heap_mb']:.0f} MB")
    titles = {
        "auto": "search_services",
        "fts": "  always DB full-text candidates",
        "memory": "  always in-memory candidates",
    }
    for label in ("unfiltered", "agency", "life_event"):
        for design, title in titles.items():
            row(
                f"{title}, {label}: wall p50 / p95 / p99 (CPU p50 / p95)",
                lambda r, key=f"{design}_{label}": (
                    "{p50_ms:.1f} / {p95_ms:.1f} / {p99_ms:.1f} ms".format(**r["measure"][key])
                    + " ({p50_ms:.1f} / {p95_ms:.1f})".format(**r["measure"][key]["cpu"])
                ),
            )
    for stage in ("state", "analysis", "retrieve_and_rank"):
        row(
            f"  stage {stage} p50 / p95",
            lambda r, stage=stage: "{p50_ms:.2f} / {p95_ms:.2f} ms".format(**r["measure"]["stages"][stage]),
        )
    row(
        "sum of the query terms' document frequencies: median / p95 / max (share <= threshold)",
        lambda r: "{median} / {p95} / {max} ({full_text_share:.0%} <= {threshold})".format(
            **r["measure"]["matches"]
        ),
    )
    row(
        "first search after one change (sync + reload)",
        lambda r: f"{r['measure']['search_after_change_ms']:.0f} ms",
    )
    row(
        "incremental sync alone (1 changed service)",
        lambda r: f"{r['measure']['incremental_sync_ms']:.0f} ms",
    )
    for page in PAGES:
        row(
            f"in-process `{page}` p50 / p95",
            lambda r, page=page: "{p50_ms:.1f} / {p95_ms:.1f} ms (status {status})".format(
                **r["measure"]["pages_in_process"][page]
            ),
        )
    for query in ("akta kelahiran", "surat keterangan"):
        key = f"search_services({query!r}, limit=30)"
        row(
            f"  of which `{key}` p50",
            lambda r, key=key: "{p50_ms:.1f} ms".format(**r["measure"]["pages_in_process"][key]),
        )
    for page in PAGES:
        row(
            f"wrk `{page}` req/s median [runs] (p50 / p99)",
            lambda r, page=page: next(
                f"{w['rps']:.0f} [{', '.join(f'{x:.0f}' for x in w.get('rps_all', []))}]"
                f" ({w['p50_ms']:.0f} / {w['p99_ms']:.0f} ms)"
                + (f", {w['non_2xx']} non-2xx" if w["non_2xx"] else "")
                for w in r["wrk"]
                if w["url"].endswith(page)
            ),
        )
    lines += [
        "",
        "Unfiltered wall time p50 (p95) by the sum of the query terms' document frequencies:",
        "",
    ]
    for db in report["dbs"]:
        table = report["results"][db]["measure"]["unfiltered_by_matches"]
        lines += [
            f"| {db}: documents with a term | runs | " + " | ".join(titles[d].strip() for d in titles) + " |"
        ]
        lines += ["|---|---|" + "---|" * len(titles)]
        for bucket, cells in table.items():
            first = next((c for c in cells.values() if c), None)
            count = first["n"] if first else 0
            values = [
                f"{c['p50_ms']:.1f} ({c['p95_ms']:.1f}) ms" if c else "-" for c in (cells[d] for d in titles)
            ]
            lines.append(f"| {bucket} | {count} | " + " | ".join(values) + " |")
        lines.append("")
    for db in report["dbs"]:
        for label, plan in report["results"][db]["measure"]["plans"].items():
            lines += [f"{db} full-text candidate query plan, {label}:", "```", plan, "```"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--dbs", default="sqlite,pg")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--wrk-secs", type=int, default=10)
    parser.add_argument("--wrk-reps", type=int, default=3)
    parser.add_argument("--conns", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default 2 x cores + 1)")
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var dirs")
    parser.add_argument("--out", default="")
    parser.add_argument("--worker", choices=["generate", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    report: dict[str, Any] = {
        "machine": machine(),
        "args": {k: v for k, v in vars(args).items() if k != "worker"},
        "command": " ".join(["bench/catalog_search.py", *sys.argv[1:]]),
        "gunicorn_workers": workers,
        "dbs": args.dbs.split(","),
        "results": {},
    }
    for db in report["dbs"]:
        var_dir = Path(tempfile.mkdtemp(prefix=f"layanan-search-bench-{db}-"))
        env = project_env(var_dir, db)
        print(f"{db}: var dir {var_dir}", flush=True)
        try:
            if db == "pg":
                reset_pg()
            run(env, "-m", "layanan.cli", "migrate", "-v0")
            run(env, "-m", "layanan.cli", "load_demo", "--skip-holidays")
            run(env, "-m", "layanan.cli", "collectstatic", "--noinput", "-v0")
            catalog = worker_result(env, "--worker", "generate", "--services", str(args.services))
            print(f"{db}: catalog {catalog}", flush=True)
            measured = worker_result(env, "--worker", "measure", "--rounds", str(args.rounds))
            print(f"{db}: measured", flush=True)
            result: dict[str, Any] = {"catalog": catalog, "measure": measured, "wrk": []}
            if not args.no_wrk:
                result["wrk"] = serve_and_measure(env, workers, args.conns, args.wrk_secs, args.wrk_reps)
            report["results"][db] = result
        finally:
            if not args.keep:
                shutil.rmtree(var_dir, ignore_errors=True)
                if db == "pg":
                    drop_pg()
    report["machine"]["loadavg_end"] = os.getloadavg()
    out = Path(
        args.out
        or ROOT / "bench" / "results" / f"{datetime.datetime.now(datetime.UTC).date()}-catalog-search.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(report))
    print(f"\nraw figures: {out}")


if __name__ == "__main__":
    main()
