"""Detect CPU-heavy or blocking work that a candidate's design puts on the Node.js main thread.

Node.js runs all JavaScript of a process on one thread, so a 100 ms resize in a handler adds
up to 100 ms to every other request that process is serving. Candidates rarely say "CPU" or
"block"; they say "the route crops the picture and returns the link". The detector therefore
reads each sentence for *work that is heavy by nature* (image/video processing, PDF rendering,
synchronous crypto/zlib/fs APIs, ML inference, HTML parsing) or *heavy by size* (parsing,
serialising, sorting, aggregating or regex-matching millions of items or megabytes), then
clears it when the same passage says the work is offloaded (worker_threads, a job queue and
separate workers, another service), deferred, negated ("we never touch pixels in the API"),
hypothetical, startup-only, or tiny.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), _I)


# Work that is heavy whatever its size. Each category names the probe it triggers.
HEAVY_BY_NATURE: dict[str, re.Pattern[str]] = {
    "sync-crypto": _rx(
        r"\b(pbkdf2|scrypt|randomFill|generateKeyPair)Sync\b",
        r"\b(hash|compare|genSalt)Sync\b",
        r"\bbcrypt\b[^.]{0,60}\bsync(hronous)?\b",
        r"\bsync(hronous)?\b[^.]{0,30}\b(bcrypt|pbkdf2|scrypt|argon2|key derivation)\b",
    ),
    "sync-io": _rx(
        r"\b(readFile|writeFile|appendFile|readdir|stat|exists|copyFile|open|read|write)Sync\b",
        r"\b(gzip|gunzip|deflate|inflate|brotliCompress|brotliDecompress|unzip)Sync\b",
        r"\b(spawn|exec|execFile)Sync\b",
        r"\bsync(hronous(ly)?)? (fs|file|disk|zlib|compression|read|write)s?\b",
    ),
    "image": _rx(
        r"\b(resiz\w*|crop\w*|thumbnail\w*|watermark\w*|re-?encod\w*|transcod\w*|blurhash|"
        r"jimp|sharp|imagemagick|graphicsmagick|pngjs|heic-convert|canvas)\b[^.]{0,80}"
        r"\b(image|photo|picture|png|jpe?g|heic|avatar|pixels?|logo|thumbnails?|sizes?|"
        r"previews?|renditions?|video|file)s?\b",
        r"\b(image|photo|picture|png|jpe?g|heic|avatar|thumbnails?|qr code|logo)s?\b[^.]{0,80}"
        r"\b(resiz\w*|crop\w*|re-?encod\w*|convert\w*|compress\w*|draw\w*|stamp\w*|"
        r"watermark\w*|decod\w*|jimp|sharp|pngjs|heic-convert|blurhash)\b",
        r"\b(mak\w*|generat\w*|produc\w*|creat\w*|draw\w*|comput\w*)\b[^.]{0,30}"
        r"\b(thumbnails?|blurhash|png|jpe?g|qr codes?|sprite sheets?)\b",
        r"\b(draws?|renders?) an? [^.]{0,20}\b(png|jpe?g|image)\b",
        r"\b(resiz\w*|crop\w*|thumbnail\w*|watermark\w*|re-?encod\w*)\b[^.]{0,30}"
        r"\b(sharp|jimp|imagemagick|graphicsmagick)\b",
    ),
    "video": _rx(
        r"\bffmpeg(\.wasm)?\b",
        r"\b(transcod\w*|re-?encod\w*)\b[^.]{0,40}\b(video|renditions?|720p|1080p|4k|mp4|hls)\b",
        r"\b(720p|1080p|renditions?)\b[^.]{0,40}\b(produc\w*|generat\w*|mak\w*|encod\w*)\b",
        r"\bwalk\w*\b[^.]{0,30}\bframes?\b",
    ),
    "pdf": _rx(
        r"\bpdf ?kit\b|\bpuppeteer\b|\bwkhtmltopdf\b|\bjspdf\b|\bpdfmake\b",
        r"\b(render\w*|generat\w*|build\w*|creat\w*|produc\w*)\b[^.]{0,60}\bpdfs?\b",
        r"\bpdfs?\b[^.]{0,60}\b(render\w*|generat\w*|built|produced|created)\b",
    ),
    "ml": _rx(
        r"\b(tensorflow(\.js)?|tfjs|tf\.js|nsfwjs|onnxruntime|brain\.js|ml5|transformers\.js)\b",
        r"\b(predict|inference|classify|classif\w+|embed(ding)?s?)\b[^.]{0,60}"
        r"\b(model|each (request|call|picture|image|message))\b",
        r"\bmodel\b[^.]{0,60}\b(predict\w*|inference|classif\w+)\b",
    ),
    "html-parse": _rx(r"\b(jsdom|cheerio|htmlparser2|parse5|simhash)\b"),
}

# Work that is heavy when the data is large: needs a size or count amplifier nearby.
HEAVY_BY_SIZE: dict[str, re.Pattern[str]] = {
    "json": _rx(
        r"\bJSON\.(parse|stringify)\b",
        r"\b(pars\w*|serializ\w*|serialis\w*|stringif\w*|deserializ\w*|deserialis\w*)\b",
    ),
    "sort": _rx(
        r"\bsort\w*\b",
        r"\b(aggregat\w*|group\w* (them |it |.{0,20})?by|roll\w* up|dedup\w*|rank\w* (all|every))\b",
        r"\b(comput\w*|calculat\w*)\b[^.]{0,30}\b(stats|statistics|totals|aggregates|averages|"
        r"percentiles|trending|scores?)\b",
        r"\bscor\w* (each|every|all)\b",
        r"\bfilter\w*\b[^.]{0,20}\bsort\w*\b",
        r"\bloop\w* (over|through)\b",
        r"\bexpand\w*\b[^.]{0,40}\bobjects?\b",
    ),
    "regex": _rx(r"\bregex\w*\b|\bregexp\b|\bregular expressions?\b|\bpatterns\b"),
    "template": _rx(r"\brender\w*\b[^.]{0,40}\b(templates?|handlebars|html|emails?)\b"),
    "cpu": _rx(r"\bin (pure )?(javascript|js)\b|\bwith the javascript \w+"),
}

_AMPLIFIER = _rx(
    r"\b\d[\d,.]*\s?(mb|gb|tb|megabytes?|gigabytes?)\b",
    r"\b\d[\d,.]*\s?(k|m|b)\b(?! ?(ms|qps|rps|/s|per sec))",
    r"\b(millions?|billions?|thousands?|hundreds of thousands)\b",
    r"\b(a few|several|hundreds of|tens of)( hundred)? (mb|gb|tb|megabytes|gigabytes)\b",
    r"\b\d{1,3}(,\d{3})+\b(?! ?(ms|qps|rps|requests|/s|per sec))",
    r"\b\d+k entries\b",
    r"\b(huge|enormous|massive|whole|entire|big|large)\b",
    r"\bnested quantifiers\b|\bcatastrophic\b|\bbacktrack\w*\b",
    r"\bone (regex|pattern) at a time\b|\bfor each one\b|\beach one\b",
    r"\ball (of )?the\b|\ball \d",
)

# The passage says the work runs somewhere other than the main thread, or later.
_OFFLOADED = _rx(
    r"\bworker[_ ]threads?\b|\bpiscina\b|\bworker (pool|process|processes|fleet|service|tier|nodes?)\b",
    r"\b(pdf|thumbnail|fan-?out|background|separate|dedicated|parser|transcod\w*) workers?\b",
    r"\bworkers? (consum\w*|pull\w*|read\w*|take\w*|fed|process\w*)\b",
    r"\bqueues?\b|\bbullmq\b|\bbull\b|\bsqs\b|\bkafka\b|\bkinesis\b|\brabbitmq\b|\bpub/?sub\b",
    r"\b(own|separate|dedicated|processing|thumbnailer|transcoding|model|another|different) "
    r"(service|server|process|processes|fleet|cluster|consumer)s?\b",
    r"\bseparate (consumer|job|process)\b|\bconsumers?\b",
    r"\blambda\b|\bcloud functions?\b|\bmediaconvert\b|\belastic transcoder\b",
    r"\bchild[_ ]process\b|\bfork(ed)?\b",
    r"\basync(hronous)? (version|api|variant)\b|\blibuv (thread )?pool\b",
    r"\bstream(ing|ed)? (json )?parser\b|\bline by line\b",
    r"\boff the (main thread|request path|redirect path|hot path|event loop)\b",
    r"\b(client|browser)s?[- ]side\b|\bon the clients?\b",
    r"\bafter the fact\b|\bpicks? (it |them )?up later\b|\bin the background\b",
    r"\bbatch job\b|\bcron worker\b|\bnightly job\b",
)

# The passage denies or only imagines the heavy work, or makes it trivially small.
_NEGATED = _rx(
    r"\b(never|not|no|nothing|none|without|avoid\w*|instead of|rather than)\b",
    r"\b(don't|doesn't|won't|wouldn't|isn't|aren't|can't)\b",
    r"\bif (someone|anyone|somebody)\b|\bsneak\w*\b",
)
_TRIVIAL = _rx(
    r"\bmicroseconds?\b|\btiny\b|\bnoise\b|\bnegligible\b|\ba few hundred bytes\b",
    r"\bshort string\b|\b\d+\s?(bytes|kb)\b",
)
_STARTUP_ONLY = _rx(r"\b(once )?(at|on) (startup|start-up|boot)\b|\bbefore it starts listening\b")

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_PRONOUN_START = re.compile(r"^(it|that|this|they|those|these|there|the (job|work|worker)s?)\b", _I)


@dataclass(frozen=True)
class BlockingFinding:
    """One passage that puts heavy work on the main thread."""

    category: str
    sentence: str
    cue: str

    @property
    def probe_id(self) -> str:
        return f"event-loop-{self.category}"


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text.strip()) if s.strip()]


_NEGATED_AMPLIFIER = re.compile(r"\b(not|no|never|isn't|aren't)( an?| the| that| so| very)?\s*$", _I)


def _amplified(window: str) -> bool:
    """A size or count that makes the work heavy, unless it is denied ("not a big sort")."""
    return any(
        not _NEGATED_AMPLIFIER.search(window[: m.start()]) for m in _AMPLIFIER.finditer(window)
    )


def _negated_before(sentence: str, position: int) -> bool:
    return bool(_NEGATED.search(sentence[:position]))


def _context(sentences: list[str], i: int) -> str:
    """The sentence, plus a neighbour that refers back to it ("It runs in a worker")."""
    parts = [sentences[i]]
    if i + 1 < len(sentences) and _PRONOUN_START.match(sentences[i + 1]):
        parts.append(sentences[i + 1])
    if i > 0 and _PRONOUN_START.match(sentences[i]):
        parts.insert(0, sentences[i - 1])
    return " ".join(parts)


def find_blocking_work(text: str) -> list[BlockingFinding]:
    """Every sentence whose heavy work runs on the main thread, by the rules above."""
    sentences = split_sentences(text or "")
    findings: list[BlockingFinding] = []
    for i, sentence in enumerate(sentences):
        context = _context(sentences, i)
        if _OFFLOADED.search(context):
            continue
        size_window = sentence + " " + (sentences[i + 1] if i + 1 < len(sentences) else "")
        candidates: list[tuple[str, re.Match[str]]] = []
        for category, pattern in HEAVY_BY_NATURE.items():
            match = pattern.search(sentence)
            if match:
                candidates.append((category, match))
        for category, pattern in HEAVY_BY_SIZE.items():
            match = pattern.search(sentence)
            if match and _amplified(size_window):
                candidates.append((category, match))
        for category, match in candidates:
            if _negated_before(sentence, match.start()):
                continue
            if category == "sync-io" and _STARTUP_ONLY.search(sentence):
                continue
            if category in HEAVY_BY_SIZE and _TRIVIAL.search(sentence):
                continue
            findings.append(BlockingFinding(category, sentence, match.group(0)))
            break
    return findings


# Words that show the candidate has the Node.js runtime in mind at all.
RUNTIME_MENTION = _rx(
    r"\bevent[- ]loop\b|\bmain thread\b|\bsingle[- ]thread\w*\b|\bworker[_ ]threads?\b",
    r"\blibuv\b|\bthread ?pool\b|\bUV_THREADPOOL_SIZE\b|\bcluster (mode|module)\b|\bpm2\b",
    r"\bpiscina\b|\bELU\b|\bevent-loop (lag|utili[sz]ation)\b|\b(heap|gc|garbage collect\w*)\b",
    r"\bmax-old-space-size\b|\bblock\w* the (loop|thread|process)\b|\bcpu[- ](bound|heavy)\b",
    r"\bone (node )?process per core\b",
)


def mentions_runtime(text: str) -> bool:
    return bool(RUNTIME_MENTION.search(text or ""))
