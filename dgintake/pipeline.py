"""The pure pipeline: a packet path in, a PacketResult out, in named stages.

load → read → classify → group → extract → validate. The same function serves the
command line, the Prefect tasks and the evaluation harness.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dgintake.models import Document, FileReport, PacketInfo, PacketResult, Timings
from dgintake.settings import Settings, get_settings
from extractors.classify import PageClass, classify_pages
from extractors.fields import extract_document
from extractors.ocr import get_engine
from extractors.packet import Limits, Packet, load_packet
from extractors.page import Page
from extractors.readers import ReadContext, UnreadableFile, expected_pages, read_file
from extractors.reconcile import reconcile_credit_codes
from extractors.sniff import sniff
from validators import RuleSettings, validate, verdict

PagesListener = Callable[[int, int], None]  # (pages read, pages expected) of one packet

log = logging.getLogger(__name__)


@dataclass
class ReadPacket:
    packet: Packet
    pages: list[Page] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    ocr_s: float = 0.0


def engine_for(settings: Settings):
    """The process-wide OCR engine these settings ask for (its models load on first use)."""
    return get_engine(settings.var_dir, settings.ocr_threads, settings.det_max_side, settings.ocr_cache)


def make_read_context(settings: Settings) -> ReadContext:
    return ReadContext(
        engine_factory=lambda: engine_for(settings),
        render_dpi=settings.render_dpi,
        max_pdf_pages=settings.max_pdf_pages,
        max_image_pixels=settings.max_image_pixels,
    )


def limits_from(settings: Settings) -> Limits:
    return Limits(
        max_file_bytes=settings.max_file_bytes,
        max_zip_members=settings.max_zip_members,
        max_zip_total_bytes=settings.max_zip_total_bytes,
        max_zip_ratio=settings.max_zip_ratio,
    )


# -- stages ----------------------------------------------------------------------
def stage_read(packet: Packet, settings: Settings, on_pages: PagesListener | None = None) -> ReadPacket:
    """Read every file; `on_pages(read, expected)` hears of each file's pages as they come."""
    ctx = make_read_context(settings)
    out = ReadPacket(packet)
    expected = sum(expected_pages(entry.data) for entry in packet.files if not entry.rejected) if on_pages else 0
    if on_pages:
        on_pages(0, expected)
    for entry in packet.files:
        if entry.rejected:
            out.files.append(FileReport(file=entry.path, kind="unknown", status="unreadable", reason=entry.rejected))
            continue
        kind = sniff(entry.data)
        try:
            pages = read_file(entry.path, entry.data, ctx)
        except UnreadableFile as exc:
            out.files.append(FileReport(file=entry.path, kind=kind, status="unreadable", reason=str(exc)))
            continue
        except Exception as exc:  # a reader bug must not lose the rest of the packet
            log.error("reading %s failed: %r", entry.path, exc, exc_info=log.isEnabledFor(logging.INFO))
            out.files.append(
                FileReport(file=entry.path, kind=kind, status="unreadable", reason=f"读取失败：{type(exc).__name__}")
            )
            continue
        notes = [message for file, message in ctx.notes if file == entry.path]
        out.files.append(
            FileReport(
                file=entry.path,
                kind=kind,
                pages=len(pages),
                status="partial" if notes else "read",
                reason="；".join(notes) or None,
            )
        )
        out.pages.extend(pages)
        out.ocr_s += sum(p.ocr_seconds for p in pages)
        if on_pages:
            on_pages(len(out.pages), max(expected, len(out.pages)))
    if on_pages:  # the estimate settled: what was read is the whole
        on_pages(len(out.pages), len(out.pages))
    return out


def stage_group(pages: list[Page], classes: list[PageClass]) -> list[tuple[str, list[Page], float]]:
    """Consecutive pages of one file and one type form a document."""
    groups: list[tuple[str, list[Page], list[float]]] = []
    open_groups: dict[str, int] = {}  # doc_type -> index of the group the previous page extended
    previous_file = None
    for page, cls in zip(pages, classes):
        if page.file != previous_file:
            open_groups = {}
            previous_file = page.file
        extended: dict[str, int] = {}
        for doc_type in cls.doc_types:
            index = open_groups.get(doc_type)
            if index is not None and doc_type != "unknown":
                groups[index][1].append(page)
                groups[index][2].append(cls.confidence)
            else:
                groups.append((doc_type, [page], [cls.confidence]))
                index = len(groups) - 1
            extended[doc_type] = index
        open_groups = extended
    return [(t, ps, round(min(cs), 2)) for t, ps, cs in groups]


def stage_extract(groups: list[tuple[str, list[Page], float]], seal_reader=None) -> list[Document]:
    documents = []
    for doc_type, pages, confidence in groups:
        extracted = extract_document(doc_type, pages, seal_reader)
        documents.append(
            Document(
                doc_type=doc_type,
                file=pages[0].file,
                pages=[p.number for p in pages],
                classification_confidence=confidence,
                sealed=extracted.sealed,
                fields=extracted.fields,
                seals=extracted.seals,
                text_source=pages[0].source,
            )
        )
    reconcile_credit_codes(documents)
    mark_applicant_seals(documents)
    return documents


def mark_applicant_seals(documents: list[Document]) -> None:
    """Say of each letter seal whose text was read whether it names the applicant."""
    applicant = None
    for doc_type, name in (("business_license", "name"), ("application_letter", "applicant_name")):
        doc = next((d for d in documents if d.doc_type == doc_type and d.fields[name].value), None)
        if doc:
            applicant = doc.fields[name].value
            break
    if not applicant:
        return
    for doc in documents:
        if doc.doc_type != "application_letter":
            continue
        for seal in doc.seals:
            if seal.text:
                seal.names_applicant = names_match(applicant, seal.text)


def names_match(applicant: str, seal_text: str) -> bool:
    """Seal OCR drops and confuses characters: accept a close match, not only equality."""
    from difflib import SequenceMatcher

    a, b = "".join(applicant.split()), "".join(seal_text.split())
    if a in b:
        return True
    return SequenceMatcher(None, a, b).ratio() >= 0.7


def _seal_reader(settings: Settings):
    engine = engine_for(settings)

    def read(strip) -> str:
        # the ring's text band recognised whole; the detector's reading where the band
        # reads as little or nothing
        band = engine.read_ring(strip)
        if band is not None and band.confidence >= 0.6:
            return band.text
        return "".join(line.text for line in engine.read_strip(strip))

    return read


def rule_settings(settings: Settings) -> RuleSettings:
    return RuleSettings(
        confidence_floor=settings.confidence_floor,
        si_max_age_days=settings.si_max_age_days,
        min_team_size=settings.min_team_size,
    )


def resolve_submitted_on(explicit: date | None, manifest: dict) -> date:
    if explicit:
        return explicit
    value = manifest.get("submitted_on") if isinstance(manifest, dict) else None
    if value:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            log.warning("manifest submitted_on %r is not an ISO date; using today", value)
    return date.today()


def process(
    path: Path,
    submitted_on: date | None = None,
    settings: Settings | None = None,
    page_sink: Callable[[list[Page]], None] | None = None,
    on_pages: PagesListener | None = None,
) -> PacketResult:
    """Process one packet from a folder, zip or single file into the contract result.

    `page_sink`, when given, receives the read pages (images, lines) before extraction:
    the service keeps them for the review console. `on_pages(read, expected)` follows
    the reading, for progress bars.
    """
    settings = settings or get_settings()
    started = time.perf_counter()
    packet = load_packet(Path(path), limits_from(settings))
    when = resolve_submitted_on(submitted_on, packet.manifest)
    read = stage_read(packet, settings, on_pages)
    read_done = time.perf_counter()
    if page_sink is not None:
        page_sink(read.pages)
    engine = engine_for(settings)
    recognised_before = engine.recognising_seconds()
    classes = classify_pages(read.pages)
    seal_reader = _seal_reader(settings)
    documents = stage_extract(stage_group(read.pages, classes), seal_reader)
    extract_done = time.perf_counter()
    # boxes read again and seal rings are the recogniser's time, not the extraction's own
    extract_ocr_s = engine.recognising_seconds() - recognised_before
    result = PacketResult(
        packet=PacketInfo(source=str(path), submitted_on=when.isoformat()),
        verdict="pass",
        documents=documents,
        files=read.files,
    )
    result.findings = validate(result, when, rule_settings(settings))
    result.verdict = verdict(result.findings)
    done = time.perf_counter()
    result.timings = Timings(
        total_s=round(done - started, 3),
        ocr_s=round(read.ocr_s, 3),
        read_s=round(read_done - started, 3),
        extract_s=round(extract_done - read_done - extract_ocr_s, 3),
        extract_ocr_s=round(extract_ocr_s, 3),
        validate_s=round(done - extract_done, 3),
    )
    return result
