"""LLM phrasing of the engine's turns, with the offline text as the safety net.

The engine has already decided the turn (phase, intent, probe) and written a draft. The LLM
only rewrites the draft in context and streams it. Whatever goes wrong, the candidate gets a
turn: a failure before the first token gives the offline draft, a stream that breaks keeps
what arrived and finishes with the draft, and the turn's `notice` says which happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from langchain_core.prompts import PromptTemplate

from simulator.content.loader import LLMPrompts, load_content
from simulator.interview.engine import Interviewer
from simulator.llm.budget import fit_messages, prompt_budget
from simulator.llm.client import LLMClient
from simulator.llm.errors import LLMFailed, StreamBroken
from simulator.settings import Settings
from simulator.transcript import Turn


@dataclass
class Phrased:
    """The outcome of phrasing one turn."""

    text: str = ""
    usage: dict = field(default_factory=dict)
    notice: str | None = None
    folded: int = 0  # older turns folded into the running summary for this prompt
    prompt_tokens: int = 0


#: What each intent asks of the phrasing, so the model knows the kind of turn it writes.
MOVES: dict[str, str] = {
    "answer": "Answer the candidate's question briefly with the facts the draft gives, then hand "
              "the floor back; if the draft says it is their call, say so and ask for an "
              "assumption.",
    "question": "Acknowledge what the candidate just said when the draft does, then ask the "
                "draft's question.",
    "probe": "Go deeper on the candidate's own design or challenge what the draft challenges; "
             "quote their words where the draft does.",
    "hint": "Point the candidate at what they have not covered yet, without giving the answer.",
    "transition": "Close the current phase in a sentence and open the next one.",
    "wrap-up": "Close the interview naturally; no new questions.",
}


def _facts(engine: Interviewer) -> str:
    sheet = engine.record.vocabulary.facts
    if sheet is None:
        return "- none"
    return "\n".join(f"- {f.id}: {f.answer}" for f in sheet.facts)


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s"


class LLMPhraser:
    """Phrase interviewer turns with the configured chat model."""

    def __init__(self, settings: Settings, client: LLMClient | None = None,
                 prompts: LLMPrompts | None = None) -> None:
        self.settings = settings
        self.client = client or LLMClient(settings)
        prompts = prompts or load_content(settings.prompts_dir).llm
        self.system = PromptTemplate.from_template(prompts.interviewer_system)
        self.turn = PromptTemplate.from_template(prompts.interviewer_turn)
        self.phase_notes = prompts.phase_instructions
        self.budget = prompt_budget(self.client.model_name, settings)

    def messages(self, engine: Interviewer, history: list[Turn], draft: Turn):
        """System prompt, the transcript folded to fit the budget, and the turn request."""
        system = self.system.format(problem_title=engine.problem.title)
        past = [
            {"role": "user", "content": f"<candidate>{t.text}</candidate>"}
            if t.role == "candidate" else {"role": "assistant", "content": t.text}
            for t in history
        ]
        probe_part = f", probe={draft.probe}" if draft.probe else ""
        sources = "\n".join(f"- {c.title} > {c.heading}" for c in draft.grounding) or "- none"
        request = self.turn.format(
            summary="(see the conversation)", phase=f"{draft.phase}: {self.phase_notes.get(draft.phase, '')}",
            phase_time_left=_clock(engine.phase_time_left_s()),
            total_time_left=_clock(engine.total_time_left_s()),
            intent=draft.intent, probe_part=probe_part, draft=draft.text, sources=sources,
            move=MOVES.get(draft.intent, ""), record=engine.record.summary(),
            facts=_facts(engine),
        )
        return fit_messages(system, past, request, self.budget)

    def stream(self, engine: Interviewer, history: list[Turn], draft: Turn,
               outcome: Phrased) -> Iterator[str]:
        """Yield the phrased text; fill ``outcome`` (text, usage, notice) as it goes."""
        fitted = self.messages(engine, history, draft)
        outcome.folded, outcome.prompt_tokens = fitted.folded, fitted.tokens
        pieces: list[str] = []
        try:
            for piece in self.client.stream(fitted.messages):
                pieces.append(piece)
                yield piece
        except StreamBroken as exc:
            tail = f"\n\n{draft.text}"
            outcome.text = "".join(pieces) + tail
            outcome.notice = f"LLM stream broke ({exc.reason}); the offline interviewer finished the turn"
            yield tail
            return
        except LLMFailed as exc:
            outcome.text = draft.text
            outcome.notice = f"LLM unavailable ({exc.reason}); the offline interviewer answered"
            yield draft.text
            return
        outcome.text = "".join(pieces).strip() or draft.text
        result = self.client.last_result
        if result is not None:
            outcome.usage = {**result.usage.as_dict(), "cost_usd": result.cost.usd,
                             "replayed": int(result.replayed)}
        outcome.usage["prompt_tokens_budgeted"] = fitted.tokens
