"""The interview record: every reading of the interview, who said it, in which phase, and what
the interviewer revealed.

The engine and the grader both look at the candidate through this record, so they agree on
what was said and where: a point made in the design phase counts when the grader scores
bottlenecks, an estimate may reuse a number given two turns earlier (or one the interviewer
revealed), and work moved off the request path earlier stays off it. The record is derived
data: rebuilt from the stored turns with `InterviewRecord.replay`, never stored itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from simulator.reading.quantities import Quantity
from simulator.reading.turn import PointHit, Reading, Vocabulary, read_turn
from simulator.reading.work import WorkItem


@dataclass(frozen=True)
class Entry:
    """One turn of the record: a candidate turn carries its reading."""

    index: int
    role: str  # "candidate" or "interviewer"
    phase: str
    text: str
    reading: Reading | None = None
    intent: str | None = None
    probe: str | None = None
    revealed: tuple[str, ...] = ()  # fact ids the interviewer gave in this turn


@dataclass
class InterviewRecord:
    """Readings accumulated over one interview."""

    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    entries: list[Entry] = field(default_factory=list)

    # -- building -----------------------------------------------------------------------

    def read(self, phase: str, text: str) -> Reading:
        """Read a candidate message in the context of everything said before, and keep it."""
        reading = read_turn(text, self.vocabulary, prior_quantities=self.quantities(),
                            prior_work=self.work(), phase=phase)
        self.entries.append(Entry(len(self.entries), "candidate", phase, text, reading))
        return reading

    def said(self, phase: str, text: str, *, intent: str | None = None,
             probe: str | None = None, revealed: Iterable[str] = ()) -> None:
        """Record an interviewer turn and the facts it revealed."""
        self.entries.append(Entry(len(self.entries), "interviewer", phase, text, None, intent,
                                  probe, tuple(revealed)))

    @classmethod
    def replay(cls, vocabulary: Vocabulary,
               turns: Iterable[tuple[str, str, str, str | None, str | None]]) -> InterviewRecord:
        """Rebuild from stored turns ``(role, phase, text, intent, probe)``; facts revealed are
        recovered from probe ids of the form ``fact:<id>,<id>``."""
        record = cls(vocabulary)
        for role, phase, text, intent, probe in turns:
            if role == "candidate":
                record.read(phase, text)
            else:
                revealed = probe[len("fact:"):].split(",") if probe and probe.startswith("fact:") \
                    else ()
                record.said(phase, text, intent=intent, probe=probe, revealed=revealed)
        return record

    # -- views --------------------------------------------------------------------------

    def candidate(self, phase: str | None = None) -> list[Entry]:
        return [e for e in self.entries
                if e.role == "candidate" and (phase is None or e.phase == phase)]

    def readings(self, phase: str | None = None) -> list[Reading]:
        return [e.reading for e in self.candidate(phase) if e.reading is not None]

    def quantities(self) -> list[Quantity]:
        return [q for r in self.readings() for q in r.quantities]

    def work(self) -> list[WorkItem]:
        return [w for r in self.readings() for w in r.work]

    def revealed(self) -> set[str]:
        return {f for e in self.entries for f in e.revealed}

    def points(self, committed: bool = False) -> dict[str, tuple[str, PointHit]]:
        """Each expected point made anywhere: the phase it was said in and where, the first
        time it was said as a decision (else the first time at all). ``committed`` leaves out
        points only ever hedged, sloganeered or made as a shortcut; a point said in other
        words (``paraphrase``) is kept, since its words are the candidate's own reasoning."""
        found: dict[str, tuple[str, PointHit]] = {}
        for entry in self.candidate():
            assert entry.reading is not None
            # a sentence that carries a slip or a wrong claim makes no point: "100M a day over
            # 3,600 is 28,000/s" is not the write rate, "mod N moves 1/N of the keys" no sharding
            wrong = [(s.start, s.end) for s in entry.reading.slips] + [
                m.span for m in entry.reading.misconceptions]
            for hit in entry.reading.points:
                if any(hit.start <= a < hit.end or a <= hit.start < b for a, b in wrong):
                    continue
                if hit.id not in found or (hit.committed and not found[hit.id][1].committed):
                    found[hit.id] = (entry.phase, hit)
        return {pid: f for pid, f in found.items()
                if f[1].committed or f[1].paraphrase or not committed}

    def asked_before(self, fact_id: str) -> bool:
        return fact_id in self.revealed()

    def summary(self, max_items: int = 8) -> str:
        """A few lines a phrasing model can read instead of the whole transcript: the points
        made and where, the candidate's figures, the facts already given, and open issues
        (slips and wrong claims). Quotes are the candidate's own words, cut short."""
        def cut(text: str, n: int = 90) -> str:
            text = " ".join(text.split())
            return text if len(text) <= n else text[: n - 1] + "…"

        lines = []
        made = self.points()
        if made:
            items = [f"{pid} ({phase}: \"{cut(hit.phrase or hit.quote, 60)}\")"
                     for pid, (phase, hit) in list(made.items())[:max_items]]
            lines.append("Points made: " + "; ".join(items))
        figures = [q.text for q in self.quantities() if "bare" not in q.tags][:max_items]
        if figures:
            lines.append("Candidate's figures: " + ", ".join(cut(f, 30) for f in figures))
        revealed = self.revealed()
        if revealed and self.vocabulary.facts is not None:
            given = [f"{f.id}: {f.answer}" for f in self.vocabulary.facts.facts if f.id in revealed]
            lines.append("Facts already given: " + " ".join(given))
        issues = [f"slip: {cut(s.restatement)}" for r in self.readings() for s in r.slips]
        issues += [f"wrong claim: \"{cut(m.quote)}\"" for r in self.readings()
                   for m in r.misconceptions]
        if issues:
            lines.append("Open issues: " + "; ".join(issues[:4]))
        return "\n".join(lines) or "Nothing said yet."

    def text(self, phase: str | None = None) -> str:
        """The candidate's words (of one phase, or all), one turn per paragraph."""
        return "\n\n".join(e.text for e in self.candidate(phase))
