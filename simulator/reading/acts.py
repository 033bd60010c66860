"""What a candidate's message does in the conversation: its dialogue acts.

An interviewer reacts to what a message *does* before what it contains: a question gets an
answer, a push-back gets a considered reply, "I don't know" gets a hint, a command is obeyed,
filler is not praised. Acts are read per sentence from the way it is put (questions, "I'll
assume", "I disagree", "the risk is", "I'd use"); the content readers (quantities, work on the
request path, claims, asked facts) add the acts they find (diagnoses, moving work off a path).

An answer may carry several acts ("I'll assume 50M DAU. Should I plan for groups?" states an
assumption and asks a clarifying question).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from simulator.reading.work_clauses import sentence_spans

_I = re.IGNORECASE

ActKind = Literal[
    "answer", "clarifying-question", "judgement-question", "assumption", "pushback",
    "diagnosis", "proposal", "moves-work-off-path", "command", "idk", "move-on",
    "reveal-attempt", "go-back", "filler", "hint-request",
]

COMMANDS = frozenset({"/next", "/hint", "/end", "/quit"})

_IDK = re.compile(
    r"^\W*(i (really |honestly )?(don't|do not|dont) know|no idea|not sure|i'm not sure|"
    r"i am not sure|no clue|dunno|pass|skip( this)?|i have no idea|i can't think of anything)\b",
    _I,
)
_MOVE_ON = re.compile(
    r"\b(let's|let us|can we|could we|shall we|i'd like to|i want to) (move on|go on|skip ahead|"
    r"go to the next|move to the next|proceed)\b|\bnext (phase|part|section|step)\b|"
    r"^\s*move on\b",
    _I,
)
# Asking to return to an earlier phase: the interview only goes forward, but what was forgotten
# still counts (the point is read from the same message).
_GO_BACK = re.compile(
    r"\b(go|come|jump|get|step) back to (the |our )?(requirements?|clarif\w*|scope|estimat\w*|"
    r"numbers|capacity|high[- ]level|design)\b|\brevisit (the |our )?(requirements?|scope|"
    r"estimates?|numbers)\b",
    _I,
)
# Asking for a hint in words ("could you give me a hint?", "I'm stuck"): the /hint command said
# as a sentence.
_HINT = re.compile(
    r"\b(?:give|get|have|offer|drop|throw) (?:me |us )?(?:a |any |some |one )?(?:small |little )?"
    r"(?:hint|nudge|pointer|clue)s?\b|\bany (?:hints?|pointers?|clues?)\b|\bhint,? please\b|"
    r"\bi'?m (?:a bit |kind of |totally |really |a little )?stuck\b|"
    r"\bpoint me in the right direction\b|\bnudge me\b",
    _I,
)
_REVEAL = re.compile(
    r"\b(reveal|show|tell|give|print|share|repeat|output)\b[^.?!]{0,40}\b(rubric|instructions?|"
    r"system prompt|prompt|reference (answer|solution|design)|expected answer|model answer|"
    r"scoring|grading criteria)\b|\bignore (all |any |your |the |previous )*(instructions|rules|"
    r"rubric)\b",
    _I,
)
_ASSUME = re.compile(
    r"\b((i'?ll|i will|let me|let's|let us|i'm going to|i am going to|we'?ll) (assume|say|go with)|"
    r"assum(e|ing)\b|my assumption|working assumption|let'?s say|say (we|there)|suppose)\b",
    _I,
)
_PUSHBACK = re.compile(
    r"^\W*(no[,.! ]|nope\b|not really\b|i disagree\b|i don'?t (think|agree|buy)\b|"
    r"that'?s not (right|true|quite|the case)\b|actually,? (i|we|it|that|no)\b|"
    r"i'?d push back\b|i'?m not (sure|convinced) (that|we|it)\b|i don'?t see why\b|"
    r"why would (we|i)\b|do we (really|even) need\b)",
    _I,
)
_DIAGNOSIS = re.compile(
    r"\b(the (main |real |first |biggest )?(risk|problem|issue|danger|concern|bottleneck) "
    r"(is|would be|here is)|would (block|stall|starve|saturate|overload|exhaust)|"
    r"(breaks|fails|falls over|hurts) first|is the (first )?bottleneck|that'?s where .* (breaks|"
    r"fails)|the catch is|watch out for)\b",
    _I,
)
_PROPOSAL = re.compile(
    r"\b((i'?d|we'?d|i would|we would|i'?ll|we'?ll|i will|we will|let'?s|we can|i'?m going to) "
    r"(use|put|store|add|run|keep|shard|partition|cache|send|have|make|split|deploy|go with|"
    r"choose|pick|build|model|index|key|replicate|queue|batch|stream|push|pull|hash|fan)|"
    r"\b(goes|go|sits?|lives?|runs?) (in|on|behind|through) (a|an|the)\b)",
    _I,
)
# Generic words that carry no design content on their own.
_FILLER = re.compile(
    r"\b(scalable|robust|highly available|best practices?|industry standard|as needed|"
    r"it depends|state of the art|cutting[- ]edge|seamless(ly)?|efficient(ly)?|performant|"
    r"leverage|synerg\w*|world[- ]class|future[- ]proof|enterprise[- ]grade|blazing(ly)? fast|"
    r"modern|cloud[- ]native|battle[- ]tested|in general|basically|obviously|"
    r"make sure (it|everything) (works|scales))\b",
    _I,
)
_CONTENT = re.compile(
    r"\d|\b(users?|requests?|servers?|services?|database|db|cache|queue|latency|qps|rps|"
    r"storage|throughput|shard\w*|partition\w*|replica\w*|index\w*|key|table|event loop|"
    r"worker|thread|process|cpu|memory|heap|bandwidth|peak|retry|timeout|idempoten\w*|"
    r"redis|kafka|postgres\w*|s3|cdn|websockets?|node|loop|async|sync|api|handler|bcrypt)\b",
    _I,
)
_QUESTION_START = re.compile(
    r"^\W*(who|what|when|where|which|why|how|is|are|do|does|did|can|could|should|would|will|"
    r"shall|may|might|must)\b", _I)
_JUDGEMENT = re.compile(
    r"\b(should (i|we)|would you|is it (ok|okay|fine|better|worth)|is .{1,40} (ok|okay|fine|"
    r"acceptable|enough|better|overkill)|do you (think|prefer|recommend)|which (is|would be) "
    r"better|(sql|nosql|postgres|cassandra|kafka|redis|push|pull) or |better to|worth it)\b",
    _I,
)


class _Sentence:
    __slots__ = ("end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text[start:end], start, end


def sentences(text: str) -> list[_Sentence]:
    return [_Sentence(text, a, b) for a, b in sentence_spans(text)]


class Act(BaseModel):
    """One act and the candidate's words that perform it."""

    model_config = ConfigDict(frozen=True)

    kind: ActKind
    quote: str
    start: int
    end: int


def is_question(sentence: str) -> bool:
    """A sentence that asks rather than states (a question mark, or a question's opening)."""
    text = sentence.strip()
    return text.endswith("?") or bool(_QUESTION_START.match(text) and "?" in text)


def filler_share(text: str) -> float:
    """Generic filler phrases per sentence with no design content: 0 for a concrete answer."""
    parts = [s for s in sentences(text) if s.text.strip()]
    if not parts:
        return 0.0
    empty = sum(1 for s in parts if _FILLER.search(s.text) and not _CONTENT.search(s.text))
    return empty / len(parts)


def read_acts(text: str) -> list[Act]:
    """The acts of ``text`` in order of appearance (questions classified by their wording)."""
    stripped = text.strip()
    if stripped.lower() in COMMANDS:
        return [Act(kind="command", quote=stripped, start=0, end=len(text))]
    acts: list[Act] = []

    def add(kind: ActKind, start: int, end: int) -> None:
        acts.append(Act(kind=kind, quote=text[start:end].strip(), start=start, end=end))

    if _IDK.search(stripped) and len(stripped.split()) <= 25:
        add("idk", 0, len(text))
    if _MOVE_ON.search(stripped) and len(stripped.split()) <= 30:
        add("move-on", 0, len(text))
    if _REVEAL.search(stripped):
        add("reveal-attempt", 0, len(text))
    elif _HINT.search(stripped) and len(stripped.split()) <= 30:
        add("hint-request", 0, len(text))
    going_back = _GO_BACK.search(text)
    if going_back:
        add("go-back", going_back.start(), going_back.end())
    answered = False
    for s in sentences(text):
        sentence = s.text
        if not sentence.strip():
            continue
        if is_question(sentence):
            if going_back and s.start <= going_back.start() < s.end:
                continue  # asking to go back is a request, not a question to answer
            kind: ActKind = ("judgement-question" if _JUDGEMENT.search(sentence)
                             else "clarifying-question")
            add(kind, s.start, s.end)
            continue
        if _PUSHBACK.search(sentence) and not acts:
            add("pushback", s.start, s.end)
        if _ASSUME.search(sentence):
            add("assumption", s.start, s.end)
        if _DIAGNOSIS.search(sentence):
            add("diagnosis", s.start, s.end)
        if _PROPOSAL.search(sentence):
            add("proposal", s.start, s.end)
        if _CONTENT.search(sentence):
            answered = True
    if answered and not any(a.kind in ("idk", "reveal-attempt") for a in acts):
        add("answer", 0, len(text))
    if not answered and stripped and filler_share(text) > 0:
        add("filler", 0, len(text))
    return acts
