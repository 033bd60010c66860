"""The LLM judge: a second opinion on one phase answer, bounded by the offline grade.

Why it is shaped like this:
- Structured output (pydantic via `with_structured_output`) with the reasons *before* the
  score, so the model argues before it commits.
- The candidate's text is passed as delimited data and any closing delimiter inside it is
  neutralised, so an answer cannot break out and address the judge.
- Several samples, reduced to the median, because single LLM grades are noisy.
- The deterministic grader's evidence goes into the prompt and its hard findings stay in
  force: an arithmetic slip still caps the score at 2, an injection attempt is still flagged,
  and an off-topic answer still scores 1.
- Any failure (invalid reply after retries, timeouts, no server) falls back to the offline
  grade and says so in `reasons`.
"""

from __future__ import annotations

import statistics

from langchain_core.prompts import PromptTemplate
from pydantic import BaseModel, Field

from simulator.content.problems import Problem
from simulator.content.rubric import Rubric
from simulator.grading.offline import PhaseGrade
from simulator.llm.client import LLMClient
from simulator.llm.errors import LLMFailed
from simulator.reading.injection import strip_injection

KNOWN_FLAGS = {"buzzwords", "arithmetic", "off-topic", "injection", "idk", "event-loop-blocking"}


class JudgeVerdict(BaseModel):
    """What the judge must return. Field order matters: reasons first, score last."""

    reasons: str = Field(description="step-by-step reasoning against the anchors, 2-6 sentences")
    strengths: list[str] = Field(default_factory=list, description="short quotes that earned credit")
    missing: list[str] = Field(default_factory=list, description="points a stronger answer adds")
    flags: list[str] = Field(default_factory=list, description="from: " + ", ".join(sorted(KNOWN_FLAGS)))
    score: int = Field(ge=1, le=4, description="1-4 per the anchors")


def _delimit(answer: str) -> str:
    return answer.replace("</answer>", "</ answer>").replace("<answer>", "< answer>")


class LLMJudge:
    """Grade with the configured chat model; `samples` replies reduced to the median."""

    def __init__(self, client: LLMClient, rubric: Rubric, template: str, samples: int = 3) -> None:
        self.client = client
        self.rubric = rubric
        self.samples = max(1, samples)
        self.template = PromptTemplate.from_template(template)

    def prompt(self, problem: Problem, phase: str, answer: str, offline: PhaseGrade) -> str:
        phase_rubric = self.rubric.phases[phase]
        anchors = "\n".join(f"{k}: {v}" for k, v in sorted(phase_rubric.anchors.items()))
        reference = "\n".join(f"- {e.text}" for e in problem.expectations(phase))
        evidence = "\n".join(
            [f"- credited: \"{s.text}\" ({s.why})" for s in offline.evidence[:8]]
            + [f"- missed: {m}" for m in offline.missing[:8]]
            + [f"- flags: {', '.join(offline.flags) or 'none'}",
               f"- offline score: {offline.score}"]
        )
        return self.template.format(
            problem_title=problem.title, phase=phase, goal=phase_rubric.goal, anchors=anchors,
            reference=reference, offline_evidence=evidence, answer=_delimit(answer),
        )

    def grade(self, problem: Problem, phase: str, answer: str, offline: PhaseGrade) -> PhaseGrade:
        """The judge's grade, or the offline grade with a note when the judge fails."""
        # The judge sees the answer with any grader-directed text cut out, as the offline
        # grader does, so an injection cannot move either grade.
        base = self.prompt(problem, phase, strip_injection(answer).text, offline)
        verdicts: list[JudgeVerdict] = []
        failures: list[str] = []
        for i in range(self.samples):
            messages = [{"role": "system", "content": base},
                        {"role": "user", "content": f"Grade the answer (sample {i + 1} of {self.samples})."}]
            try:
                verdicts.append(self.client.structured(messages, JudgeVerdict))
            except LLMFailed as exc:
                failures.append(exc.reason)
        if not verdicts:
            return offline.model_copy(update={
                "reasons": [f"LLM judge failed ({failures[0]}); the offline grade is used",
                            *offline.reasons],
            })
        score = int(statistics.median_low(v.score for v in verdicts))
        flags = list(offline.flags)
        for verdict in verdicts:
            flags += [f for f in verdict.flags if f in KNOWN_FLAGS and f not in flags]
        # Hard findings of the deterministic checks stay in force.
        if "off-topic" in offline.flags or "idk" in offline.flags:
            score = 1
        if "arithmetic" in offline.flags:
            score = min(score, 2)
        chosen = min(verdicts, key=lambda v: abs(v.score - score))
        reasons = [(f"LLM judge ({self.client.model_name}): median of "
                   f"{[v.score for v in verdicts]} -> {score}"), chosen.reasons]
        if failures:
            reasons.append(f"{len(failures)} judge sample(s) failed: {failures[0]}")
        return offline.model_copy(update={
            "score": score, "flags": flags, "reasons": reasons,
            "missing": list(dict.fromkeys([*chosen.missing, *offline.missing])),
            "grader": f"llm-judge:{self.client.model_name}",
        })
