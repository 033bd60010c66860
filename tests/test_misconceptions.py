"""The misconception library (prompts/misconceptions.yaml and its area files in
prompts/misconceptions/) and the matcher that reads it.

The library is data; these tests hold it to its own examples (every wrong form is caught,
no correct form is), to the rubric it grades against, and to the labelled sentences in
evals/datasets/misconceptions.jsonl. Recognisers are tuned on the dataset's "tune" split
only; the "heldout" split measures how well they read sentences nobody tuned them on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simulator.content.misconceptions import (
    MisconceptionError,
    default_misconception_parts,
    default_misconceptions_path,
    load_misconceptions,
)
from simulator.content.prompt_set import BUILTIN_PROMPTS
from simulator.content.rubric import load_rubric
from simulator.evals.suite import DATASETS_DIR
from simulator.reading.claims import MisconceptionLibrary, find_misconceptions

LIBRARY = load_misconceptions()
DATASET = [
    json.loads(line)
    for line in (DATASETS_DIR / "misconceptions.jsonl").read_text().splitlines()
    if line.strip()
]


def _ids(text: str, library: MisconceptionLibrary = LIBRARY) -> set[str]:
    return {f.misconception_id for f in find_misconceptions(text, library)}


def _precision_recall(split: str) -> tuple[float, float, int, int, int]:
    """Per sentence: the labelled id found is a true positive, any other id found a false
    positive, a labelled id not found a false negative."""
    tp = fp = fn = 0
    for row in DATASET:
        if row["split"] != split:
            continue
        found, gold = _ids(row["text"]), row["misconception"]
        if gold is not None:
            tp, fn = (tp + 1, fn) if gold in found else (tp, fn + 1)
        fp += len(found - {gold})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


# ------------------------------------------------------------------------------- the library


def test_builtin_library_loads_from_the_package() -> None:
    assert default_misconceptions_path() == BUILTIN_PROMPTS / "misconceptions.yaml"
    assert len(LIBRARY.misconceptions) >= 30


def test_ids_are_unique() -> None:
    ids = [m.id for m in LIBRARY.misconceptions]
    assert len(ids) == len(set(ids))


def test_grades_name_rubric_dimensions() -> None:
    dimensions = {d.id for d in load_rubric(BUILTIN_PROMPTS / "rubric.yaml").dimensions}
    for m in LIBRARY.misconceptions:
        assert m.grade.dimension in dimensions, f"{m.id}: unknown dimension {m.grade.dimension}"


def test_every_entry_is_complete() -> None:
    for m in LIBRARY.misconceptions:
        assert m.claim and m.truth and m.probe and m.grade.scorecard, m.id
        assert m.probe.rstrip().endswith("?"), f"{m.id}: the probe should be a question"
        assert len(m.wrong_forms) >= 3 and len(m.correct_forms) >= 3, m.id


@pytest.mark.parametrize("entry", LIBRARY.misconceptions, ids=lambda m: m.id)
def test_wrong_forms_are_caught(entry) -> None:
    for sentence in entry.wrong_forms:
        assert entry.id in _ids(sentence), f"{entry.id} missed: {sentence!r}"


@pytest.mark.parametrize("entry", LIBRARY.misconceptions, ids=lambda m: m.id)
def test_correct_forms_match_nothing(entry) -> None:
    for sentence in entry.correct_forms:
        found = find_misconceptions(sentence, LIBRARY)
        assert not found, f"{entry.id}: {sentence!r} -> {[f.misconception_id for f in found]}"


# ------------------------------------------------------------------------------- the dataset


def test_every_dataset_label_is_in_the_library() -> None:
    known = {m.id for m in LIBRARY.misconceptions}
    labels = {row["misconception"] for row in DATASET} - {None}
    assert labels <= known, sorted(labels - known)


def test_precision_and_recall_on_the_dataset() -> None:
    tune = _precision_recall("tune")
    heldout = _precision_recall("heldout")
    for name, (p, r, tp, fp, fn) in (("tune", tune), ("heldout", heldout)):
        print(f"{name}: precision {p:.3f} recall {r:.3f} (tp={tp} fp={fp} fn={fn})")
    # Floors on the held-out half, never tuned on: precision first (a wrong challenge costs
    # the candidate more than a missed one). Measured 2026-12: precision 0.978, recall 0.882.
    precision, recall = heldout[:2]
    assert precision >= 0.95
    assert recall >= 0.85
    assert tune[0] >= 0.95 and tune[1] >= 0.95


# ------------------------------------------------------------------------------ how it reads


def test_a_question_asserts_nothing() -> None:
    assert not _ids("Do worker threads run on the libuv thread pool?")
    assert not _ids("Is it true that JWTs are encrypted so clients can't read them?")


def test_reported_or_refuted_beliefs_are_not_claims() -> None:
    assert not _ids("It's a myth that the event loop can't block because Node is async.")
    assert not _ids("Some people think base64 keeps API keys secret.")
    assert not _ids("A common mistake is assuming a TTL keeps the cache fresh.")


def test_a_correction_in_the_next_clause_withdraws_the_claim() -> None:
    assert not _ids("Read replicas are strongly consistent -- actually no, they lag.")
    assert not _ids("Cluster workers share memory; no, scratch that, each has its own heap.")


def test_negation_and_supposition() -> None:
    assert "jwt-is-encrypted" in _ids("JWTs are encrypted.")
    assert not _ids("JWTs aren't encrypted.")
    assert not _ids("If the event loop blocks, every request waits.")
    assert "eventual-consistency-loses-data" in _ids(
        "If we go with eventual consistency some updates will just get lost."
    )
    # A safeguard the candidate rules out shows no knowledge: it vetoes nothing.
    assert "kafka-exactly-once-end-to-end" in _ids(
        "We'll enable Kafka's exactly-once semantics, and that guarantees the consumer sends "
        "each email only once, so no dedupe is needed.")
    assert not _ids("We use Kafka exactly-once and we still dedupe in the consumer, so each "
                    "email is sent only once.")
    assert not _ids("With a 60-second TTL, a profile is never more than a minute out of date.")
    # "I'd need to check" doubts; "the API doesn't need to check it" is asserted.
    assert not _ids("I'd need to check whether JWTs are encrypted.")
    # A comma-less condition still has its consequent ("... times out we'll ...").
    assert "psp-timeout-means-failed" in _ids(
        "If the PSP times out we'll just mark the payment as failed.")
    assert not _ids("If the PSP times out we'll ask it for the charge's status and retry with "
                    "the same idempotency key.")


def test_a_list_introduced_as_mistakes_is_reported_not_claimed() -> None:
    assert not _ids("Common mistakes: marking timeouts as failed and retrying as a new charge; "
                    "keeping balances in floats.")
    assert "psp-timeout-means-failed" in _ids(
        "If the PSP times out we mark the payment as failed.")


def test_nothing_to_dismisses_a_safeguard_and_even_for_qualifies_the_clause() -> None:
    assert "webhook-delivered-exactly-once" in _ids(
        "Since the PSP sends every webhook once and only once, there's nothing to dedupe.")
    assert not _ids("The PSP may send a webhook more than once, so we dedupe on the event id.")
    assert "fanout-on-write-fine-for-celebrities" in _ids(
        "Every post is pushed to all followers' feeds at write time, even for celebrities.")


def test_a_clause_after_a_comma_with_a_pronoun_subject_is_a_clause() -> None:
    # "we mark" has a subject and a verb (whether or not the verb list knows "mark"): the
    # condition before the comma and this clause are one unit of reasoning
    assert "success-redirect-confirms-payment" in _ids(
        "When the customer comes back to our return URL from the PSP, we mark the order as "
        "paid.")
    assert not _ids("When the customer comes back to our return URL, we show a pending page "
                    "and mark the order paid only when the signed webhook arrives.")


def test_a_clause_that_refers_back_is_read_with_the_one_before() -> None:
    assert "jwt-revoked-on-logout" in _ids(
        "Access tokens are stateless JWTs with a 24-hour expiry, and logging out invalidates "
        "them immediately on every server.")
    assert "jwt-is-encrypted" in _ids(
        "We put the user's plan in the JWT, and since it's signed nobody can read it.")
    assert not _ids("We put the user's plan in the JWT, and since it's signed nobody can "
                    "tamper with it, though anyone can read it.")
    assert "encryption-at-rest-stops-breaches" in _ids(
        "The data is encrypted at rest, so even if attackers get into the app, they can't "
        "read it.")


def test_a_claim_inside_a_long_design_answer_is_found_and_quoted() -> None:
    answer = (
        "Let me start with the write path. Uploads land in S3 and a message goes onto SQS. "
        "The thumbnail service consumes it, and because it's CPU-heavy I'd run it in "
        "worker threads, which come from the libuv thread pool, so we get four at a time. "
        "Metadata goes to Postgres with a unique index on the object key."
    )
    found = find_misconceptions(answer, LIBRARY)
    assert [f.misconception_id for f in found] == ["worker-threads-use-libuv-pool"]
    quote = found[0].quote
    start, end = found[0].span
    assert answer[start:end] == quote
    assert "worker threads, which come from the libuv thread pool" in quote
    assert "Postgres" not in quote and "Uploads" not in quote


def test_units_are_checked_by_arithmetic() -> None:
    assert "bits-vs-bytes" in _ids("Each box has a 10 Gbps NIC, so 10 GB/s of egress.")
    assert not _ids("Each box has a 10 Gbps NIC, so about 1.25 GB/s of egress.")
    assert "per-day-vs-per-second" in _ids("100 million a day is about 100,000 per second.")
    assert not _ids("100 million a day is about 1,200 per second.")
    # figures in words
    assert "per-month-vs-per-second" in _ids(
        "A month is about two hundred sixty thousand seconds, so fifty million uploads a month "
        "is close to two hundred a second.")
    assert not _ids("A day has eighty-six thousand four hundred seconds.")


def test_no_hyphenated_is_a_word_not_an_answer() -> None:
    """ "no-cache ..." opens a claim; only a bare "No," answers or takes something back."""
    assert "no-cache-means-not-stored" in _ids(
        "no-cache means the response is never cached anywhere.")
    assert not _ids("No-cache means the browser revalidates before using its stored copy.")


def test_not_bothering_with_a_safeguard_still_takes_the_reason_as_given() -> None:
    """ "We don't bother with X because ..." is read like "we don't worry about X"."""
    assert "outbound-http-has-default-timeout" in _ids(
        "We don't bother with timeouts on fetch calls because Node applies a sensible default "
        "timeout anyway.")
    assert not _ids("We don't bother with timeouts on fetch calls because we wrap every call in "
                    "an AbortController with a 2 s deadline.")


def test_a_number_ending_a_sentence_and_hyphenated_or_are_read_whole() -> None:
    """ "... should be 3,000." is 3,000, not 3; "all-or-nothing" is one word, not two clauses."""
    assert "rate-equals-concurrency" in _ids(
        "For 3,000 queries per second the connection pool should be 3,000.")
    assert "promise-all-rejection-undoes-others" in _ids(
        "Promise.all gives all-or-nothing semantics for the fan-out writes, so a failed write "
        "undoes the others.")
    # "rarely" negates like "hardly"
    assert not _ids("Indexing a boolean rarely makes queries fast.")


def test_and_before_an_action_on_what_was_set_up_goes_on_with_it() -> None:
    """ "..., and going from ten nodes to eleven moves a tenth of the keys": the gerund
    subject acts on the clause before, so both are one piece of reasoning."""
    assert "hash-mod-n-moves-few-keys" in _ids(
        "We'll shard user data by user id modulo the number of nodes, and going from ten "
        "nodes to eleven only moves about a tenth of the keys.")
    assert not _ids("We'll shard user data by user id modulo the number of nodes, and going "
                    "from ten nodes to eleven moves about ten elevenths of the keys, so we use "
                    "consistent hashing.")


def test_and_before_what_does_not_happen_gives_the_outcome() -> None:
    """ "X and no data is lost" reads as "X, so no data is lost"."""
    assert "crash-restart-loses-no-requests" in _ids(
        "If a pod dies Kubernetes restarts it automatically and users never notice.")
    assert not _ids("If a pod dies Kubernetes restarts it automatically and users may see "
                    "errors for the requests in flight.")


def test_the_downtime_an_availability_allows_is_worked_out_not_matched_by_words() -> None:
    """(1 - availability) x period, for any nines and any period, in digits or in words."""
    nines = "nines-downtime-misjudged"
    assert nines in _ids("Four nines gives us a downtime budget of about eight and a half hours "
                         "a year, which is enough for a monthly maintenance window.")
    assert not _ids("Four nines gives us a downtime budget of about 52 minutes a year.")
    assert nines in _ids("99.95% uptime means roughly 4.4 minutes of downtime a year.")
    assert not _ids("99.95% uptime means roughly 4.4 hours of downtime a year.")
    assert nines in _ids("An SLA of five 9s gives us roughly 5 hours per year.")
    assert not _ids("An SLA of five 9s gives us roughly 5 minutes per year.")
    assert not _ids("We promise 99.9% availability, so we can be down about 43 minutes each month.")
    # the right figure stated against a wrong one it denies; a percentile is not an availability
    assert not _ids("Four nines isn't eight hours a year, it is closer to 52 minutes.")
    assert not _ids("With 99% of requests under 200 ms we have 3 hours a day for batch work.")
    # two targets side by side, each with its own budget
    assert not _ids("Going from 99.9% (8.8 h a year) to 99.99% (53 minutes a year) is expensive.")


# ----------------------------------------------------------------------------- data errors


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "misconceptions.yaml"
    path.write_text(body)
    return path


ENTRY = """
  - id: {id}
    topic: caching
    claim: "A TTL guarantees freshness."
    truth: "A TTL bounds staleness."
    recognise:
      - terms: [['{term}'], ['fresh']]
    correct_forms: ["The TTL bounds staleness."]
    wrong_forms: ["The TTL keeps data fresh."]
    probe: "What do readers see right after an update?"
    phase: design
    grade: {{dimension: data-persistence, severity: minor, scorecard: "Said a TTL guarantees freshness."}}
"""


def test_a_bad_library_fails_with_one_line_naming_the_file(tmp_path) -> None:
    duplicate = "version: 1\nmisconceptions:" + ENTRY.format(id="a", term="ttl") * 2
    with pytest.raises(MisconceptionError, match=r"misconceptions\.yaml.*duplicate"):
        load_misconceptions(_write(tmp_path, duplicate))
    unknown = "version: 1\nmisconceptions:" + ENTRY.format(id="a", term="{NOPE}")
    with pytest.raises(MisconceptionError, match="unknown lexicon name") as err:
        load_misconceptions(_write(tmp_path, unknown))
    assert "\n" not in str(err.value)
    ok = "version: 1\nmisconceptions:" + ENTRY.format(id="a", term="ttl")
    assert _ids("The TTL keeps data fresh.", load_misconceptions(_write(tmp_path, ok))) == {"a"}
    # a quote dropped in a flow list still parses as YAML: the term would match nothing
    stray = ok.replace("[['ttl'], ['fresh']]", "[['ttl'], ['stale', fresh']]")
    assert stray != ok
    with pytest.raises(MisconceptionError, match="stray quote") as err:
        load_misconceptions(_write(tmp_path, stray))
    assert "\n" not in str(err.value)


def test_a_data_volume_per_day_is_not_read_as_a_count_per_day():
    """'6.75 PB/day ≈ 78 GB/s' is correct: the per-day recogniser must scale by the units."""
    assert _ids("300M min × 22.5 MB ≈ 6.75 PB/day ≈ 78 GB/s average, ~156 GB/s at peak.") == set()
    assert _ids("That's 30 million messages a day, so about 30,000 messages a second.") == {
        "per-day-vs-per-second"}


def test_area_files_extend_the_library_and_clashes_name_the_file(tmp_path) -> None:
    main = _write(tmp_path, "version: 1\nlexicon: {FRESHNESS: 'fresh'}\nmisconceptions:"
                  + ENTRY.format(id="a", term="ttl"))
    area = tmp_path / "caching.yaml"
    area.write_text("version: 1\nlexicon: {EXPIRY: 'expir\\w*'}\nmisconceptions:"
                    + ENTRY.format(id="b", term="{EXPIRY}"))
    library = load_misconceptions(main, [area])
    assert [m.id for m in library.misconceptions] == ["a", "b"]
    # The area file's lexicon name is usable, and its entry is matched like the main file's.
    assert _ids("The expiry keeps data fresh.", library) == {"b"}

    area.write_text("version: 1\nmisconceptions:" + ENTRY.format(id="a", term="ttl"))
    with pytest.raises(MisconceptionError, match=r"caching\.yaml: duplicate misconception id 'a'"):
        load_misconceptions(main, [area])
    area.write_text("version: 1\nlexicon: {FRESHNESS: 'new'}\nmisconceptions: []")
    with pytest.raises(MisconceptionError, match=r"caching\.yaml: lexicon\.FRESHNESS: already"):
        load_misconceptions(main, [area])
    area.write_text("version: 1\nmisconceptions:" + ENTRY.format(id="c", term="{NOPE}"))
    with pytest.raises(MisconceptionError, match=r"caching\.yaml.*unknown lexicon name"):
        load_misconceptions(main, [area])


def test_the_built_in_library_includes_its_area_files() -> None:
    parts = default_misconception_parts()
    assert parts, "prompts/misconceptions/ holds the area files"
    ids = {m.id for m in LIBRARY.misconceptions}
    for part in parts:
        entries = yaml.safe_load(part.read_text())["misconceptions"]
        assert {e["id"] for e in entries} <= ids, part.name


def test_unlike_sets_its_noun_aside_and_negates_nothing() -> None:
    """ "since unlike a cookie it can't be read ...": the clause after "unlike X" is the claim,
    and X itself is not claimed ("unlike localStorage it can't be read" praises the cookie)."""
    assert "localstorage-token-safe-from-xss" in _ids(
        "We keep the access token in localStorage, since unlike a cookie it can't be read by "
        "a script an attacker injects.")
    assert not _ids("We keep the access token in an httpOnly cookie, since unlike localStorage "
                    "it can't be read by a script an attacker injects.")


def test_but_between_two_moments_does_not_cut_the_sentence() -> None:
    """ "after X but before Y" names one moment; the claim after it is still the candidate's."""
    assert "kafka-exactly-once-end-to-end" in _ids(
        "Kafka gives us exactly-once semantics, so even if the worker crashes after sending the "
        "email but before committing its offset, the user won't get it twice.")
    assert not _ids("Kafka's exactly-once stops at Kafka, but a worker that crashes after "
                    "sending the email but before committing its offset sends it again, so "
                    "we dedupe on the message id.")
