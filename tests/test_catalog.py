"""The problem catalog: every problem loads, points at real corpus articles, carries the
Node.js runtime points and probes the interviewer needs, cites numbers that follow from its
own assumptions, recognises good answers without firing on chatter, and rejects malformed
files with a one-line message naming the file and the field."""

from __future__ import annotations

import copy
import math
import re
import shutil
from pathlib import Path

import pytest
import yaml

from simulator.content.loader import load_content
from simulator.content.problems import (
    CatalogError,
    UnknownProblemError,
    get_problem,
    load_catalog,
    load_problem,
)
from simulator.content.prompt_set import BUILTIN_CORPUS, BUILTIN_PROMPTS
from simulator.phases import PHASES
from simulator.settings import get_settings

PROBLEMS_DIR = BUILTIN_PROMPTS / "problems"
CORPUS_DIR = BUILTIN_CORPUS

ALL_IDS = {
    "url-shortener",
    "chat",
    "notifications",
    "payments",
    "video-streaming",
    "news-feed",
    "web-crawler",
    "rate-limiter",
    "image-upload",
}
# Problems whose notes spell out every derived figure: storage per day and per year, and
# the Node.js process count at the calculator's 70% utilisation target.
FULLY_SPELLED = {
    "payments",
    "video-streaming",
    "news-feed",
    "web-crawler",
    "rate-limiter",
    "image-upload",
}
# Expectations that no probe of their own phase chases yet (the interviewer can only wait
# for the candidate to raise them). Shrink this when a problem file gains the probe.
KNOWN_PROBE_GAPS: dict[str, set[str]] = {
    "url-shortener": {"shorten-and-redirect", "abuse-protection", "id-allocator-spof"},
    "notifications": {"burst-scale", "provider-limits"},
}
NODE_TERMS = re.compile(
    r"node\.?js|javascript|event[- ]loop|libuv|thread ?pool|v8|heap|\bgc\b|garbage|"
    r"worker_threads|main thread|cluster|pm2|backpressure|promise\.all|json\.stringify|"
    r"maxsockets|ioredis|express|child_process|multer|\bsharp\b",
    re.IGNORECASE,
)


# -- loading -----------------------------------------------------------------------------


def test_catalog_holds_exactly_the_nine_problems(catalog):
    assert set(catalog) == ALL_IDS
    for pid in ALL_IDS:
        problem = get_problem(pid, PROBLEMS_DIR)
        assert problem.id == pid
        assert problem.title and problem.statement


def test_default_content_is_the_builtin_catalog():
    content = load_content()
    assert content.label == "built-in"
    assert set(content.catalog) == ALL_IDS
    assert content.problem("payments").title == "Design a payment system"
    assert set(load_catalog(PROBLEMS_DIR)) == ALL_IDS


def test_prompts_dir_setting_overlays_the_builtin_catalog(tmp_path, monkeypatch):
    (tmp_path / "problems").mkdir()
    changed = _raw("rate-limiter").replace("title: Design a distributed rate limiter",
                                           "title: Rate limiter, again", 1)
    assert changed != _raw("rate-limiter")
    (tmp_path / "problems" / "rate-limiter.yaml").write_text(changed, encoding="utf-8")
    (tmp_path / "problems" / "billing.yaml").write_text(
        _raw("payments").replace("id: payments\n", "id: billing\n", 1), encoding="utf-8")
    monkeypatch.setenv("SDSIM_PROMPTS_DIR", str(tmp_path))
    settings = get_settings()
    assert settings.prompts_dir == tmp_path
    content = load_content(settings.prompts_dir)
    assert content.label == f"built-in + {tmp_path.name}"
    # a file at the same relative path replaces the built-in one, a new file adds to them
    assert set(content.catalog) == ALL_IDS | {"billing"}
    assert content.problem("rate-limiter").title == "Rate limiter, again"
    assert content.problem("billing").title == "Design a payment system"
    with pytest.raises(UnknownProblemError) as info:
        content.problem("tiny-url")
    assert info.value.valid_ids == sorted(ALL_IDS | {"billing"})
    # the built-in set, in the same process, is untouched by the overlay
    builtin = load_content()
    assert set(builtin.catalog) == ALL_IDS
    assert builtin.problem("rate-limiter").title == "Design a distributed rate limiter"
    assert builtin.hash != content.hash


def test_unknown_problem_id_names_it_and_lists_the_valid_ids():
    with pytest.raises(UnknownProblemError) as info:
        get_problem("tiny-url", PROBLEMS_DIR)
    message = str(info.value)
    assert "'tiny-url'" in message
    assert info.value.valid_ids == sorted(ALL_IDS)
    for pid in ALL_IDS:
        assert pid in message


def test_catalog_reloads_a_changed_file(tmp_path):
    target = tmp_path / "payments.yaml"
    shutil.copy(PROBLEMS_DIR / "payments.yaml", target)
    assert load_catalog(tmp_path)["payments"].title == "Design a payment system"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("title: Design a payment system", "title: Payments, again"))
    assert load_catalog(tmp_path)["payments"].title == "Payments, again"


# -- structure ---------------------------------------------------------------------------


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_article_pointers_resolve_to_corpus_articles(catalog, pid):
    problem = catalog[pid]
    assert f"design-{pid}" in problem.articles
    for article in problem.articles:
        path = CORPUS_DIR / f"{article}.md"
        assert path.is_file(), f"{pid}: article {article!r} has no {path}"
        front = path.read_text(encoding="utf-8").split("---")[1]
        assert re.search(rf"^id: {re.escape(article)}$", front, re.MULTILINE), path


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_nodejs_bottlenecks_are_about_the_runtime(catalog, pid):
    problem = catalog[pid]
    node_bottlenecks = [e for e in problem.bottlenecks if e.nodejs]
    assert len(node_bottlenecks) >= 2
    for exp in problem.all_expectations().values():
        if exp.nodejs:
            assert NODE_TERMS.search(exp.text), f"{pid}: {exp.id} is flagged nodejs"


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_every_phase_has_probes_that_chase_its_own_points(catalog, pid):
    problem = catalog[pid]
    assert set(problem.probes) == set(PHASES)
    known = problem.all_expectations()
    for phase in PHASES:
        in_phase = {e.id for e in problem.expectations(phase)}
        assert len(problem.probes[phase]) >= 2
        for probe in problem.probes[phase]:
            assert probe.when_missing, f"{pid}: probe {probe.id} chases nothing"
            assert set(probe.when_missing) <= set(known)
            assert set(probe.when_missing) & in_phase, f"{pid}: {probe.id} is off-phase"


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_bottleneck_phase_has_a_nodejs_probe_that_names_the_runtime(catalog, pid):
    problem = catalog[pid]
    node_probes = [p for p in problem.probes["bottlenecks"] if problem.is_nodejs_probe(p)]
    assert node_probes
    assert any("Node.js" in p.text for p in node_probes)


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_unprobed_expectations_are_only_the_known_gaps(catalog, pid):
    problem = catalog[pid]
    unprobed = set()
    for phase in PHASES:
        chased = {ref for probe in problem.probes[phase] for ref in probe.when_missing}
        unprobed |= {e.id for e in problem.expectations(phase)} - chased
    assert unprobed == KNOWN_PROBE_GAPS.get(pid, set())


# -- numbers -----------------------------------------------------------------------------

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_COUNT_SCALE = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}
_BYTE_SCALE = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15}
_RATE = re.compile(_NUM + r"\s?([KMB]?)/s\b")
_SIZE = re.compile(_NUM + r"\s?(KB|MB|GB|TB|PB)\b")
_PER_DAY = re.compile(_NUM + r"\s?(KB|MB|GB|TB|PB)/day\b")
_PER_YEAR = re.compile(_NUM + r"\s?(KB|MB|GB|TB|PB)/year\b")
_COUNT = re.compile(_NUM + r"\s?([KMB]?)(?![\w/])")
_PROCESSES = re.compile(r"(\d[\d,]*)\s(?:Node\.js\s)?processes\sat\sa\s70%\starget")


def _value(number: str, scale: float) -> float:
    return float(number.replace(",", "")) * scale


def _rates(text: str) -> list[float]:
    return [_value(n, _COUNT_SCALE[s]) for n, s in _RATE.findall(text)]


def _sizes(pattern: re.Pattern[str], text: str) -> list[float]:
    return [_value(n, _BYTE_SCALE[u]) for n, u in pattern.findall(text)]


def _counts(text: str) -> list[float]:
    return [_value(n, _COUNT_SCALE[s]) for n, s in _COUNT.findall(text)]


def _cited(value: float, candidates: list[float], rel: float = 0.10) -> bool:
    return any(abs(c - value) <= rel * value for c in candidates)


def test_notes_parser_reads_the_shapes_the_notes_use():
    text = "2B messages/day, ~23K/s on average and ~1.2/s; ~600 GB/day and ~1.1 PB\nover 5 years"
    assert _rates(text) == pytest.approx([23_000, 1.2])
    assert _sizes(_PER_DAY, text) == pytest.approx([600e9])
    assert _sizes(_SIZE, text) == pytest.approx([600e9, 1.1e15])
    assert 2e9 in _counts(text) and 5 in _counts(text)
    assert _PROCESSES.findall("busy: 301 Node.js processes at a 70% target") == ["301"]


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_reference_estimate_follows_the_formulas(catalog, pid):
    a = catalog[pid].assumptions
    est = catalog[pid].reference_estimate()
    read_avg = a.dau * a.reads_per_user_per_day / 86_400
    write_avg = a.dau * a.writes_per_user_per_day / 86_400
    peak_total = (read_avg + write_avg) * a.peak_factor
    per_day = a.dau * a.writes_per_user_per_day * a.write_size_bytes
    assert est.read_qps_avg == pytest.approx(read_avg)
    assert est.write_qps_avg == pytest.approx(write_avg)
    assert est.read_qps_peak == pytest.approx(read_avg * a.peak_factor)
    assert est.write_qps_peak == pytest.approx(write_avg * a.peak_factor)
    assert est.peak_qps == pytest.approx(peak_total)
    assert est.storage_bytes_per_day == pytest.approx(per_day)
    assert est.storage_bytes_per_year == pytest.approx(per_day * 365)
    assert est.storage_bytes_retention == pytest.approx(per_day * a.retention_days)
    assert est.egress_bytes_per_s_avg == pytest.approx(read_avg * a.read_size_bytes)
    assert est.concurrent_connections == round(a.dau * a.concurrent_fraction)
    assert est.cpu_cores_at_peak == max(
        1, math.ceil(round(peak_total * a.cpu_ms_per_request / 1000 / 0.7, 9))
    )


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_assumption_notes_cite_the_derived_numbers(catalog, pid):
    problem = catalog[pid]
    est = problem.reference_estimate()
    notes = problem.assumption_notes
    rates = _rates(notes)
    if est.read_qps_avg >= est.write_qps_avg:
        avg, peak = est.read_qps_avg, est.read_qps_peak
    else:
        avg, peak = est.write_qps_avg, est.write_qps_peak
    assert _cited(avg, rates), f"{pid}: average {avg:,.1f}/s not in notes {rates}"
    assert _cited(peak, rates), f"{pid}: peak {peak:,.1f}/s not in notes {rates}"
    if est.storage_bytes_retention:
        sizes = _sizes(_SIZE, notes)
        assert _cited(est.storage_bytes_retention, sizes), f"{pid}: retention storage"
    if est.concurrent_connections:
        assert _cited(est.concurrent_connections, _counts(notes)), f"{pid}: connections"
    for claimed in _PROCESSES.findall(notes):
        assert int(claimed.replace(",", "")) == est.cpu_cores_at_peak, pid


@pytest.mark.parametrize("pid", sorted(FULLY_SPELLED))
def test_fully_spelled_notes_give_storage_and_process_count(catalog, pid):
    problem = catalog[pid]
    est = problem.reference_estimate()
    notes = problem.assumption_notes
    if est.storage_bytes_per_day:
        assert _cited(est.storage_bytes_per_day, _sizes(_PER_DAY, notes)), pid
        assert _cited(est.storage_bytes_per_year, _sizes(_PER_YEAR, notes)), pid
    else:
        assert re.search(r"no storage growth", notes), pid
    assert _PROCESSES.findall(notes), f"{pid}: no 'N processes at a 70% target'"
    for rate in (est.read_qps_avg, est.write_qps_avg):
        if rate >= 1:
            assert _cited(rate, _rates(notes)), f"{pid}: {rate:,.1f}/s not in notes"


# -- cues --------------------------------------------------------------------------------

GOOD_ANSWERS: list[tuple[str, str, set[str]]] = [
    (
        "chat",
        "Users can send 1:1 messages and we also support group chats with a member limit.",
        {"group-chat", "one-to-one-messaging"},
    ),
    (
        "chat",
        (
            "Each WebSocket gateway holds connections and a Redis session registry maps the "
            "user id to the gateway server."
        ),
        {"session-registry", "websocket-gateway"},
    ),
    (
        "chat",
        (
            "Fanning out to a 500-member group on the main thread would block the event loop,"
            " so we serialize once."
        ),
        {"node-event-loop-fanout"},
    ),
    (
        "url-shortener",
        "A short URL should redirect to the original page, and links can expire.",
        {"expiration", "shorten-and-redirect"},
    ),
    (
        "url-shortener",
        "We generate codes with base62 from a counter and cache hot links in Redis.",
        {"code-generation", "redirect-cache"},
    ),
    (
        "url-shortener",
        "Use the cluster module or PM2 to run one process per core.",
        {"node-one-core"},
    ),
    (
        "notifications",
        "We send via push, email and SMS, and users can opt out in their preferences.",
        {"multi-channel", "preferences"},
    ),
    (
        "notifications",
        "Rendering templates on the event loop is CPU-bound, so use worker threads.",
        {"node-render-cpu"},
    ),
    (
        "notifications",
        "The API enforces an idempotency key and answers 202.",
        {"ingest-api", "notification-record"},
    ),
    (
        "payments",
        (
            "We'd integrate with a PSP like Stripe and never store card numbers ourselves, "
            "which keeps us out of PCI scope."
        ),
        {"charge-via-psp", "pci-scope"},
    ),
    (
        "payments",
        (
            "The client sends an idempotency key and a retry gets the stored response, so "
            "nobody is charged twice."
        ),
        {"idempotency-layer", "no-double-charge"},
    ),
    (
        "payments",
        (
            "Debits and credits must always balance, and amounts are integer cents because "
            "JavaScript floats break money."
        ),
        {"ledger-entries", "minor-units"},
    ),
    (
        "payments",
        (
            "A timeout doesn't mean it failed, so the payment goes to an unknown state and we"
            " retry with the same key."
        ),
        {"psp-timeout-unknown", "timeout-resolver"},
    ),
    (
        "payments",
        "Signing with pbkdf2Sync on the request path would block the event loop.",
        {"node-sync-crypto"},
    ),
    (
        "payments",
        "Webhooks arrive out of order and more than once, so we dedupe on the event id.",
        {"webhook-semantics"},
    ),
    (
        "video-streaming",
        (
            "Uploads should be resumable and we transcode each video into 360p, 720p and "
            "1080p renditions."
        ),
        {"resumable-upload", "transcoding-renditions"},
    ),
    (
        "video-streaming",
        (
            "The client gets pre-signed URLs and uploads directly to S3, then a job queue "
            "feeds the transcoding workers."
        ),
        {"object-storage", "presigned-upload", "transcode-workers"},
    ),
    (
        "video-streaming",
        "Egress is about 6.75 PB per day, roughly 625 Gbps on average.",
        {"egress-bandwidth"},
    ),
    (
        "video-streaming",
        "Running ffmpeg on the API servers would starve the event loop.",
        {"node-cpu-on-api"},
    ),
    (
        "video-streaming",
        "AV1 saves bitrate over H.264 but is much slower to encode.",
        {"codec-choice"},
    ),
    (
        "news-feed",
        ("Users follow other accounts and the home timeline shows their posts, newest first."),
        {"follow-graph", "home-feed", "ranking"},
    ),
    (
        "news-feed",
        "Fan-out workers push each post id into a Redis sorted set per user.",
        {"fanout-workers", "feed-cache"},
    ),
    (
        "news-feed",
        (
            "For celebrities with millions of followers we skip fan-out and merge their posts"
            " at read time, a hybrid approach."
        ),
        {"celebrity-fanout", "hybrid-threshold"},
    ),
    (
        "news-feed",
        "The fan-out workers use Redis pipelining and bounded concurrency.",
        {"node-fanout-io"},
    ),
    (
        "news-feed",
        "Use cursor-based pagination because offsets duplicate items.",
        {"cursor-pagination"},
    ),
    (
        "web-crawler",
        "It must be polite, respect robots.txt and keep one queue per host.",
        {"per-host-queues", "politeness"},
    ),
    (
        "web-crawler",
        "dns.lookup runs on the libuv thread pool, so we add a DNS cache.",
        {"dns-cache", "node-dns-libuv"},
    ),
    (
        "web-crawler",
        (
            "Parsing HTML in the fetch callback blocks the event loop, so cheerio runs in "
            "worker threads."
        ),
        {"node-parse-blocking", "parser-pool"},
    ),
    (
        "web-crawler",
        "A Bloom filter at 1% false positives needs about 9.6 bits per URL.",
        {"bloom-vs-exact", "url-seen-sizing"},
    ),
    (
        "web-crawler",
        "Calendars create spider traps, so we cap the crawl depth.",
        {"robustness", "spider-traps"},
    ),
    (
        "rate-limiter",
        "Limits are per API key and rejected calls get a 429 with Retry-After.",
        {"reject-429", "rules-per-client"},
    ),
    (
        "rate-limiter",
        "I'd use a token bucket in Redis, updated by an atomic Lua script.",
        {"algorithm", "atomic-lua", "redis-store"},
    ),
    (
        "rate-limiter",
        ("An in-memory map in each process means with 20 pods the limit is 20x the intended one."),
        {"node-per-process-map"},
    ),
    (
        "rate-limiter",
        "If Redis goes down we fail open for normal traffic but fail closed for login.",
        {"fail-open-closed", "redis-outage"},
    ),
    (
        "rate-limiter",
        "There's a race condition if two instances read then write the counter.",
        {"race-condition"},
    ),
    (
        "image-upload",
        "We accept JPEG and HEIC up to 20 MB, generate thumbnails and strip EXIF.",
        {"safety-exif", "upload-formats", "variants"},
    ),
    (
        "image-upload",
        "An S3 event notification puts a job on SQS for the image workers.",
        {"object-storage", "processing-queue"},
    ),
    (
        "image-upload",
        (
            "Resizing with sharp inside the Express route hurts the event loop, and sharp "
            "also uses the libuv thread pool."
        ),
        {"node-libuv-pool", "node-resize-in-handler"},
    ),
    (
        "image-upload",
        "Watch out for decompression bombs, so set a pixel limit.",
        {"decompression-bomb"},
    ),
    (
        "image-upload",
        "Move originals to infrequent access with a lifecycle policy.",
        {"lifecycle-tiering"},
    ),
]

OFF_TOPIC = [
    "I spent the weekend baking sourdough bread and hiking with my dog.",
    "My favourite football team lost again on Sunday, which was frustrating to watch.",
    "The recipe needs two eggs, a cup of flour and a pinch of salt.",
    "Honestly I am not sure, could you repeat the question please?",
]

# A sentence squarely about another problem must not score points here.
OTHER_DOMAIN = {
    "chat": "The crawler caches robots.txt and keeps a URL frontier.",
    "url-shortener": "We transcode each upload into renditions with ffmpeg workers.",
    "notifications": "The crawler keeps a URL frontier and normalises URLs.",
    "payments": "We deliver video segments from a CDN with adaptive bitrate.",
    "video-streaming": "We charge the card through Stripe and keep a double-entry ledger.",
    "news-feed": "The crawler obeys robots.txt and caches DNS lookups.",
    "web-crawler": "We charge the card through Stripe and keep a double-entry ledger.",
    "rate-limiter": "We transcode videos into renditions and serve them from a CDN.",
    "image-upload": "The rate limiter uses a token bucket and returns 429.",
}


@pytest.mark.parametrize(
    ("pid", "sentence", "expected"),
    GOOD_ANSWERS,
    ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(GOOD_ANSWERS)],
)
def test_cues_recognise_a_good_answer(catalog, pid, sentence, expected):
    problem = catalog[pid]
    assert expected <= set(problem.all_expectations())
    covered = set(problem.covered(sentence))
    assert expected <= covered, f"missed {sorted(expected - covered)}"
    assert set(problem.covered(sentence.upper())) == covered  # cues are case-insensitive


def test_every_problem_has_good_answer_examples():
    assert {pid for pid, _, _ in GOOD_ANSWERS} == ALL_IDS


@pytest.mark.parametrize("pid", sorted(ALL_IDS))
def test_cues_stay_silent_on_chatter_and_other_problems(catalog, pid):
    problem = catalog[pid]
    for sentence in OFF_TOPIC:
        assert problem.covered(sentence) == [], sentence
    assert problem.covered(OTHER_DOMAIN[pid]) == []


def test_covered_can_be_limited_to_one_section(catalog):
    payments = catalog["payments"]
    sentence = "Debits and credits must balance in our double-entry ledger."
    assert set(payments.covered(sentence)) == {"ledger", "ledger-entries"}
    assert payments.covered(sentence, "components") == ["ledger"]
    assert payments.covered(sentence, "data_model") == ["ledger-entries"]


# -- malformed files -----------------------------------------------------------------------


def _raw(pid: str = "payments") -> str:
    return (PROBLEMS_DIR / f"{pid}.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, data: dict | str, name: str = "payments") -> Path:
    path = tmp_path / f"{name}.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _data() -> dict:
    return copy.deepcopy(yaml.safe_load(_raw()))


def _set(path: tuple, value):
    def mutate(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return data

    return mutate


def _delete(key: str):
    def mutate(data):
        del data[key]
        return data

    return mutate


def _rename_cues(data):
    data["components"][0]["cuez"] = data["components"][0].pop("cues")
    return data


def _rename_phase(data):
    data["probes"]["tradeoffs"] = data["probes"].pop("trade-offs")
    return data


def _no_node_bottlenecks(data):
    for exp in data["bottlenecks"]:
        exp["nodejs"] = False
    return data


def _duplicate_expectation_id(data):
    data["tradeoffs"][1]["id"] = data["components"][0]["id"]
    return data


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (_delete("statement"), ["statement: Field required"]),
        (
            _set(("clarify", "functional", 1, "cues", 0), "("),
            ["clarify.functional[1].cues:", "expectation 'auth-capture'", "bad regex '('"],
        ),
        (
            _set(("bottlenecks", 0, "cues", 1), "x?"),
            ["bottlenecks[0].cues:", "matches the empty string"],
        ),
        (_rename_cues, ["components[0].cuez: unknown key (not in schema)"]),
        (_rename_phase, ["probes.tradeoffs: invalid key"]),
        (
            _set(("probes", "design", 0, "when_missing"), ["no-such-point"]),
            ["probes.design[0].when_missing: unknown expectation id 'no-such-point'"],
        ),
        (_no_node_bottlenecks, ["bottlenecks: needs at least 2 expectations with nodejs: true"]),
        (
            _duplicate_expectation_id,
            ["tradeoffs[1].id: duplicate expectation id 'payment-service'"],
        ),
        (_set(("assumptions", "dau"), 0), ["assumptions.dau:", "greater than 0"]),
        (_set(("id",), "Payments"), ["id:", "kebab-case"]),
        (
            _set(("articles",), ["design-payments", "design-payments"]),
            ["articles:", "duplicate article ids: design-payments"],
        ),
    ],
    ids=[
        "missing-field",
        "bad-regex",
        "empty-matching-regex",
        "unknown-key",
        "bad-phase",
        "unknown-when-missing",
        "no-nodejs",
        "duplicate-expectation",
        "bad-number",
        "bad-id",
        "duplicate-article",
    ],
)
def test_invalid_problem_is_reported_with_file_and_field(tmp_path, mutate, fragments):
    path = _write(tmp_path, mutate(_data()))
    with pytest.raises(CatalogError) as info:
        load_problem(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_duplicate_yaml_key_is_rejected_with_its_line(tmp_path):
    text = _raw().replace(
        "title: Design a payment system\n", "title: Design a payment system\ntitle: Payments\n", 1
    )
    path = _write(tmp_path, text)
    with pytest.raises(CatalogError) as info:
        load_problem(path)
    assert str(info.value) == f"{path}:3:1: invalid YAML: duplicate key 'title' (line 3)"


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    path = _write(tmp_path, "id: payments\ntitle: [unclosed\n")
    with pytest.raises(CatalogError, match=rf"^{re.escape(str(path))}:3:1: invalid YAML: "):
        load_problem(path)


def test_unhashable_yaml_key_is_a_catalog_error(tmp_path):
    path = _write(tmp_path, "id: payments\n? [a, b]\n: 1\n")
    with pytest.raises(CatalogError, match="invalid YAML: found unhashable key"):
        load_problem(path)


def test_top_level_must_be_a_mapping(tmp_path):
    path = _write(tmp_path, "- just\n- a list\n")
    with pytest.raises(CatalogError, match="top level must be a mapping"):
        load_problem(path)


def test_id_must_match_the_file_name(tmp_path):
    path = _write(tmp_path, _raw(), name="billing")
    with pytest.raises(CatalogError) as info:
        load_problem(path)
    assert str(info.value) == f"{path}: id: 'payments' does not match the file name"


def test_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match=r"ghost\.yaml: cannot read"):
        load_problem(tmp_path / "ghost.yaml")


def test_catalog_names_the_bad_file_among_good_ones(tmp_path):
    shutil.copy(PROBLEMS_DIR / "chat.yaml", tmp_path)
    bad = _write(tmp_path, _delete("title")(_data()))
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert str(info.value) == f"{bad}: title: Field required"


def test_catalog_rejects_the_same_id_twice(tmp_path):
    shutil.copy(PROBLEMS_DIR / "payments.yaml", tmp_path / "payments.yaml")
    shutil.copy(PROBLEMS_DIR / "payments.yaml", tmp_path / "payments.yml")
    with pytest.raises(CatalogError, match="duplicate problem id 'payments'"):
        load_catalog(tmp_path)


def test_catalog_directory_must_exist_and_hold_problems(tmp_path):
    with pytest.raises(CatalogError, match="problem directory not found"):
        load_catalog(tmp_path / "nowhere")
    with pytest.raises(CatalogError, match=r"no problem files \(\*\.yaml\)"):
        load_catalog(tmp_path)
