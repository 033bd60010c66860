"""The words candidates use for server-side work, where it runs, and how they stand toward it.

Data only: `simulator.reading.work` compiles and walks these tables. Every pattern is a regular
expression matched case-insensitively against one clause of a candidate's message. Keeping
them here, apart from the reading logic, lets a reviewer extend a vocabulary (a new image
library, a new queue product) without touching how a clause is read.
"""

from __future__ import annotations

# -- What work: (category, mechanism, cost basis, pattern) ---------------------------------------
# mechanism: how the work runs when called from a Node.js process
#   sync  a synchronous API: the calling thread does nothing else until it returns
#   js    CPU work in JavaScript (or wasm) on the calling thread
#   pool  an async API whose work runs on libuv's thread pool (4 threads by default)
#   child a new OS process
#   heap  holding data in the V8 heap
#   cpu   CPU work whose implementation the candidate did not name (treated like js)
# basis: "nature" = heavy whatever the size; "size" = heavy only when N or bytes are large;
#   "size-n2" = work that grows with the square of its input (every item against every other,
#   a character diff), heavy from a few thousand items or tens of KB.
# Earlier rows win when two rows match the same words.
WORK_CUES: list[tuple[str, str, str, str]] = [
    # synchronous Node APIs, named
    (
        "crypto",
        "sync",
        "nature",
        r"\b(?:pbkdf2|scrypt|hash|compare|genSalt|generateKeyPair|randomFill)Sync\b",
    ),
    (
        "compression",
        "sync",
        "nature",
        (
            r"\b(?:gzip|gunzip|deflate|inflate|deflateRaw|inflateRaw|unzip|brotliCompress|"
            r"brotliDecompress)Sync\b"
        ),
    ),
    (
        "fs",
        "sync",
        "nature",
        (
            r"\b(?:readFile|writeFile|appendFile|readdir|stat|lstat|exists|copyFile|open|read|write|"
            r"mkdir|unlink|rename|access|realpath|rm)Sync\b"
        ),
    ),
    ("child-process", "sync", "nature", r"\b(?:spawn|exec|execFile|fork)Sync\b"),
    # any other synchronous call written as code ("resizeSync(req.file)"): its category is
    # unknown, but the event loop waits for it whatever it does
    ("parse", "sync", "nature", r"\b[a-z]\w*Sync(?=\()"),
    # libraries whose names settle where the work runs
    ("video", "js", "nature", r"\bffmpeg\.wasm\b|\bffmpeg-wasm\b"),
    ("image", "pool", "nature", r"\bsharp\b"),
    (
        "image",
        "js",
        "nature",
        (
            r"\b(?:jimp|pngjs|heic-convert|node-canvas|canvas|blurhash|jpeg-js|upng|qrcode|resvg(?:-js)?|"
            r"skia-canvas|svg2png|"
            r"pure[- ]js (?:decoder|encoder)|javascript (?:decoder|encoder))\b"
        ),
    ),
    (
        "image",
        "child",
        "nature",
        r"\b(?:imagemagick|graphicsmagick|magick|libvips cli|gm module)\b",
    ),
    ("video", "child", "nature", r"\b(?:fluent-)?ffmpeg\b|\bffprobe\b|\bhandbrake\b"),
    ("pdf", "js", "nature", r"\b(?:pdfkit|pdfmake|jspdf|pdf-lib|react-pdf)\b"),
    ("pdf", "child", "nature", r"\b(?:wkhtmltopdf|libreoffice|ghostscript)\b"),
    (
        "browser",
        "child",
        "nature",
        r"\b(?:puppeteer|playwright|headless (?:chrome|chromium|browser)s?)\b",
    ),
    (
        "ml",
        "js",
        "nature",
        (
            r"\b(?:tensorflow\.js|tfjs(?:-node)?|tf\.js|nsfwjs|onnxruntime(?:-node)?|transformers\.js|"
            r"brain\.js|ml5|face-api\.js)\b"
        ),
    ),
    ("parse", "js", "nature", r"\b(?:jsdom|cheerio|parse5|htmlparser2|linkedom|readability)\b"),
    (
        "parse",
        "js",
        "size",
        (
            r"\bJSON\.(?:parse|stringify)\b|\b(?:papaparse|csv-parse|fast-csv|xml2js|"
            r"fast-xml-parser|js-yaml|protobufjs)\b"
        ),
    ),
    (
        "crypto",
        "pool",
        "nature",
        r"\b(?:bcrypt(?:js)?|scrypt|pbkdf2|argon2)(?:\.(?:hash|compare|verify))?\b",
    ),
    (
        "compression",
        "pool",
        "size",
        (
            r"\bzlib\.(?:gzip|gunzip|deflate|inflate|brotliCompress|brotliDecompress|unzip)\b"
            r"|\b(?:async|the async) (?:zlib|gzip|brotli)\b"
        ),
    ),
    (
        "fs",
        "pool",
        "size",
        (
            r"\bfs\.(?:promises\.)?(?:readFile|writeFile|appendFile|createReadStream|createWriteStream|"
            r"stat|lstat|readdir|open|read|write|copyFile|rename|unlink|mkdir|access|rm)\b|\bfs/promises\b"
        ),
    ),
    (
        "dns",
        "pool",
        "nature",
        (
            r"\bdns\.lookup\b|\bgetaddrinfo\b|\bdefault (?:dns )?(?:lookup|resolver)\b|"
            r"\b(?:dns|hostname|host name|domain) (?:lookups?|resolution|resolving)\b|"
            r"\bresolv\w* (?:(?:the|each|every|a|new|all|their|its|any) ){0,2}(?:host ?names?|"
            r"domains?)\b|"
            r"\bdoes the (?:dns )?lookups?\b|\blooks? up (?:the |each |every )?(?:host ?names?|domains?)\b"
        ),
    ),
    (
        "child-process",
        "child",
        "nature",
        (
            r"\bchild_process\.(?:spawn|exec|execFile|fork)\b|\bshell(?:s|ed|ing)? out\b|"
            r"\bspawn(?:s|ed|ing)?\b|\bexec(?:s|File|ing)?\b|\bfork(?:s|ed|ing)? (?:a|an|one|the)\b|"
            r"\blaunch(?:es|ed|ing)? (?:a |an )?(?:new )?(?:process|binary|browser|chrome)\b"
        ),
    ),
    # verbs and nouns, no library named
    ("video", "js", "nature", r"\b(?:mp4box(?:\.js)?|mux\.js|mp4-?parser)\b"),
    (
        "image",
        "cpu",
        "nature",
        (
            r"\b(?:resiz\w*|crop(?:s|ped|ping)?|rasteri[sz]\w*|thumbnailing|watermark\w*|downscal\w*|downsampl\w*|"
            r"image (?:processing|manipulation|conversion|decoding|encoding|resizing)|"
            r"perceptual hash\w*|phash\w*|exif strip\w*|strip\w* (?:the )?(?:exif|metadata))\b"
        ),
    ),
    (
        "image",
        "cpu",
        "nature",
        (
            r"\b(?:re-?encod\w*|encod\w*|decod\w*|convert\w*|transcod\w*|compress\w*|rotat\w*|"
            r"process\w*|draw\w*|render\w*|generat\w*|mak\w*|creat\w*|produc\w*|build\w*|"
            r"comput\w*|stamp\w*|touch\w*)\b[^.;,]{0,40}?\b(?:images?|photos?|pictures?|jpe?gs?|"
            r"pngs?|heics?|webps?|gifs?|avatars?|pixels?|thumbnails?|qr codes?|blurhash\w*|"
            r"sprite sheets?|previews? images?)\b"
        ),
    ),
    (
        "video",
        "cpu",
        "nature",
        (
            r"\btranscod\w*\b|\b(?:re-?encod\w*|encod\w*|produc\w*|generat\w*|packag\w*)\b"
            r"[^.;,]{0,40}\b(?:renditions?|720p|1080p|4k|hls|dash|bitrates?|video)\b|"
            r"\b(?:keyframes?|every frame|each frame|frame headers?)\b|"
            r"\b(?:cut\w*|trim\w*|split\w*|decod\w*|walk\w*|extract\w*|re-?mux\w*|demux\w*)\b"
            r"[^.;,]{0,20}\b(?:frames?|samples|mp4|clips?|videos?)\b|\bre-?mux\w*\b|\bclip trimming\b"
        ),
    ),
    (
        "pdf",
        "cpu",
        "nature",
        (
            r"\b(?:render\w*|generat\w*|build\w*|creat\w*|produc\w*|mak\w*)\b[^.;,]{0,40}\bpdfs?\b|"
            r"\bpdfs?\b[^.;,]{0,40}\b(?:render\w*|generat\w*|built|produced|created)\b"
        ),
    ),
    ("browser", "cpu", "nature", r"\bscreenshot\w*\b"),
    (
        "ml",
        "cpu",
        "nature",
        (
            r"\b(?:run\w* inference|inference|model\.predict|predict\w*|classif\w*|"
            r"(?:comput\w*|generat\w*) (?:the )?embeddings?|embeds?)\b"
        ),
    ),
    (
        "crypto",
        "pool",
        "nature",
        (
            r"\b(?:hash\w* (?:the |their |a )?passwords?|password hash\w*|key derivation|"
            r"deriv\w* (?:a |the |end-to-end )?keys?)\b"
        ),
    ),
    (
        "hash",
        "js",
        "size-js",
        r"\b(?:simhash\w*|minhash\w*|shingl\w*|rolling hash\w*|fuzzy hash\w*)\b",
    ),
    ("hash", "js", "size", (r"\b(?:sha-?(?:1|256|512)|md5|hmac\w*|crc32|xxhash|checksum\w*|"
                            r"createHash|createHmac|hash\w* (?:the |that )?(?:entire|whole|full) \w+)\b")),
    ("crypto", "js", "size", r"\b(?:encrypt\w*|decrypt\w*)\b"),
    (
        "compression",
        "pool",
        "size",
        (
            r"\b(?:gzip\w*|gunzip\w*|brotli|zlib|deflat\w*|inflat\w*|unzip\w*|decompress\w*|"
            r"compress\w*)\b"
        ),
    ),
    (
        "parse",
        "js",
        "nature",
        (
            r"\b(?:pars\w* (?:the |each |every )?(?:html|dom|page)s?|extract\w* (?:the |all the |every )?links?|"
            r"(?:pull|pick|grab|fish|dig)\w* out (?:every|all|each|the|all the) (?:[\w-]+ )?links?|"
            r"walk\w* (?:the )?(?:whole |entire |full )?(?:html|dom|markup|page)|"
            r"link extraction|html tokeni[sz]er)\b"
        ),
    ),
    (
        "parse",
        "js",
        "size",
        (
            r"\b(?:generat\w*|build\w*|produc\w*|writ\w*|assembl\w*) (?:the |a |an |one )?"
            r"(?:(?:big|giant|huge|single|whole|full|entire|large) )?(?:csv|json|xml|ndjson|xlsx|spreadsheet)\b|"
            r"\b(?:pars(?:e|es|ed|ing)|serializ\w*|serialis\w*|deserializ\w*|deserialis\w*|stringif\w*|"
            r"unmarshal\w*|marshal\w*)\b|"
            r"\bvalidat\w* (?:the |each |every |a |an |its )?(?:whole |entire |full )?(?:json|manifest|"
            r"document|file|upload|csv|xml|feed|export)s?\b|"
            r"\b(?:json[- ])?schema (?:check|validation)\w*\b|\b(?:ajv|joi|zod)\b"
        ),
    ),
    ("template", "js", "nature", r"\bmjml\b"),
    (
        "template",
        "js",
        "size",
        (
            r"\b(?:handlebars|mustache|ejs|pug|mjml|nunjucks|renderToString|juice)\b|"
            r"\brender\w*\b[^.;,]{0,30}\b(?:templates?|html|emails?|markdown)\b|"
            r"\binlin\w* (?:the )?css\b"
        ),
    ),
    (
        "sort-aggregate",
        "js",
        "size-n2",
        (
            r"\bpairwise\b|\ball[- ]pairs\b|\bevery pair\b|\bnested loops?\b|\bquadratic\b|"
            r"\bO\(n\^?2\)|\bO\(n²\)|\bn\^2\b|\bn²\b|\bedit distance\b|\blevenshtein\b|"
            r"\b(?:each|every) [\w-]+(?: [\w-]+){0,5} (?:with|against|to) (?:every|each|all)"
            r"(?: the)? others?\b|"
            r"\b(?:character|char|line|word|text)[- ](?:level |by[- ]character )?diff\w*\b|"
            r"\bdiff (?:package|library|algorithm|module)\b|"
            r"\b(?:comput\w*|run\w*|do(?:es|ing)?|generat\w*|produc\w*) (?:a |the )?diffs?\b|"
            r"\bdiff(?:s|ed|ing)? (?:the (?:old|new|two)|old and new|two versions|(?:it|them) "
            r"against)\b"
        ),
    ),
    (
        "regex",
        "js",
        "size",
        (
            r"\b(?:test|check|match|run|scan|screen|filter)\w*\b[^.;]{0,30}?\bagainst\b[^.;]{0,40}?"
            r"\b(?:patterns?|regex\w*|rules?|phrases?|keywords?|words|[\w-]*(?:block|deny|ban)"
            r"[\w-]*[- ]?list)\b"
        ),
    ),
    (
        "sort-aggregate",
        "js",
        "size",
        (
            r"\b(?:match|compar|check|test|scor|run)\w*\b[^.;]{0,20}?\bagainst (?:all|every|each|"
            r"the (?:whole|full|entire))\b"
        ),
    ),
    ("regex", "js", "size", r"\b(?:regex\w*|regexp\w*|regular expressions?)\b"),
    # a regex literal written out: slashes around something with regex syntax in it
    ("regex", "js", "size", r"(?<![\w/])/(?=[^/\s]*[\[(\\])[^/\s]{3,}/[gimsuy]*(?![\w/])"),
    (
        "sort-aggregate",
        "js",
        "size",
        (
            r"\b(?:sort(?:s|ed|ing)?|rank(?:s|ed|ing)?|re-?rank\w*|aggregat\w*|group(?:s|ed|ing)? "
            r"(?:\w+ ){0,2}by|groupBy|bucket(?:ed|ing)|buckets? (?:them|it|the|each|by|into)|roll\w* (?:\w+ ){0,2}up|tall(?:y|ies|ied)|"
            r"dedup\w*|de-dup\w*|filter(?:s|ed|ing)?|scan(?:s|ned|ning)?|walk(?:s|ed|ing)?|"
            r"iterat\w*|loop\w* (?:over|through)|includes\(\)|indexOf|merg(?:e|es|ed|ing)|"
            r"scor(?:e|es|ed|ing) (?:each|every|all|them)|run\w* (?:the )?\w+ over|"
            r"check\w* (?:each|every)|(?:re-?)?(?:comput\w*|calculat\w*) (?:\w+ ){0,3}(?:stats|"
            r"statistics|totals?|aggregates|averages|percentiles|trending|scores?|counts|balances?|"
            r"sums?|metrics|rankings?|leaderboards?)|counts? (?:the )?\w+ (?:per|for each|for every|"
            r"across)|(?:substring|string|text|keyword|full-text|linear) (?:match\w*|search\w*|scan\w*)|"
            r"search\w* (?:through|across) (?:all|every|the)|match\w* (?:each|every|all|them|it) against|"
            r"scor\w* (?:across|over) (?:all|every|each|the whole|the entire)|"
            r"re-?run\w* (?:the )?(?:[\w-]+ ){1,2}(?:across|over) (?:all|every|each|the whole|the entire|it|them)|"
            r"sum(?:s|med|ming)?|add(?:s|ing)? up|accumulat\w*|averag(?:e|es|ed|ing) (?:over|"
            r"across|all|every)|go(?:es|ing)? (?:through|over) (?:every|each|all)|reduc(?:e|es|ing) "
            r"over|replay\w*|rebuild\w* (?:the )?(?:[\w']+ ){0,2}(?:scores?|state|balances?|totals?|feeds?|"
            r"timelines?|index|graph|history|projections?))\b|\bfor (?:each|every)(?: one)? of\b|"
            r"\bfuzzy match\w*\b|\bcompar\w* (?:\w+ ){0,3}(?:against|with) (?:every|each|all)\b"
        ),
    ),
    # holding data in the heap
    (
        "memory",
        "heap",
        "size",
        (
            r"\bmemoryStorage\b|\bbody-?parser\b[^.;]{0,30}\braw\b|\bBuffer\.concat\b|"
            r"\binto (?:a |one |an? in-memory )?(?:buffer|string)\b|"
            r"\b(?:loads?|load(?:ed|ing)|reads?|read(?:ing)|pulls?|pull(?:ed|ing)|fetch\w*|collects?|"
            r"collect(?:ed|ing)) (?:all|every|the whole|the entire|the full)\b[^.;]{0,50}\binto "
            r"(?:an? |one |a single |memory|a giant |a big |one big )(?:array|list|map|object|buffer|string)?\b|"
            # "load the entire posts table into each API process": a copy in every heap
            r"\b(?:loads?|load(?:ed|ing)|pulls?|pull(?:ed|ing)|cach\w*|keep\w*|hold\w*) (?:all|every|"
            r"the whole|the entire|the full)\b[^.;]{0,40}\b(?:into|in) (?:each|every|the|our|its) "
            r"(?:[\w-]+ ){0,2}(?:process(?:es)?|instances?|workers?|servers?|pods?)\b|"
            r"\b(?:one|a|a single) (?:big|giant|huge|enormous|massive|single) (?:csv |json |html |xml |text )?"
            r"(?:string|buffer|array)\b|\bbuffer(?:s|ed|ing)? (?:the|it|them|"
            r"each|every|whole)\b|\bin[- ]memory (?:[\w-]+ )?(?:array|map|set|object|cache|list|store)\b|"
            r"\bin[- ]process (?:cache|map|store|array|set|object)\b|"
            r"\b(?:global|module[- ]level|process[- ]wide) (?:object|map|set|array|variable|cache|"
            r"dictionary)\b|\b(?:js|javascript) (?:object|map|set|array)\b|"
            r"\b(?:a|an|the) (?:map|set)\b(?= (?:of|from|keyed))|\bcach\w* every\b|"
            r"\b(?:in|into) (?:the )?[\w-]+(?: service| process)?'s (?:memory|heap)\b|"
            r"\b(?:into|in) (?:memory|ram|the heap)\b|\bexpress\.raw\b|"
            r"\b(?:keeps?|holds?|stores?|accumulat\w*|appends? to|collects?|builds?) (?:an? |the |one )?"
            r"(?:growing |big |long |huge )?(?:array|list|map|set|object|log|buffer)s? (?:of|with) "
            r"(?:every|all|each)\b|\b(?:--)?max-old-space-size\b|\bheap (?:limit|ceiling)\b|\bbodyParser\.raw\b|"
            r"\brawBody\b|\bin req\.body\b|"
            r"\b(?:cache|map|object|array|set|dictionary|list)\b[^.;,]{0,30}\b(?:in|inside) (?:the |each |"
            r"every )?(?:[\w-]+ )?(?:process|server|instance|gateway)\b|\b(?:in|inside) (?:the |each )?"
            r"(?:[\w-]+ )?process(?:'s)? (?:memory|heap)\b|\bmemoi[sz]\w*\b|"
            r"\b(?:collect|gather|accumulat|push|stash|append|keep)\w* (?:the |all the |every |each |all )?"
            r"(?:chunks?|parts?|pieces?|buffers?|frames?|rows?|records?|results?|lines?) (?:into|in|onto|to) "
            r"(?:an? |one |the )?(?:array|list|buffer|memory)\b|"
            r"\bconcatenat\w* (?:them|the (?:chunks|parts|buffers|pieces)|all (?:of )?(?:them|the \w+))\b|"
            r"\bplain (?:js |javascript )?(?:object|map|array)\b|\bin (?:a|an|one) (?:plain |big |giant |"
            r"huge |simple )?(?:object|map|array|set|dictionary)\b"
        ),
    ),
]

# -- Size and amount ----------------------------------------------------------------------------
# (count that makes the work heavy, bytes that make it heavy) per category of size-bound work.
# Work marked "size-js" (hashing or tokenising in JavaScript) uses SIZE_JS_HEAVY_AT instead.
HEAVY_AT: dict[str, tuple[float, float]] = {
    "parse": (100_000, 1_000_000),
    "sort-aggregate": (20_000, 10_000_000),
    "regex": (1_000, 1_000_000),
    "template": (2_000, 10_000_000),
    "hash": (1_000_000, 50_000_000),
    "crypto": (1_000_000, 50_000_000),
    "compression": (1_000_000, 1_000_000),
    "fs": (1_000_000, 500_000_000),
    "memory": (10_000_000, 100_000_000),
}
# Counts below which size-bound work is trivially small, where that is not a tenth of HEAVY_AT:
# sorting a few thousand posts is about a millisecond.
TINY_BELOW: dict[str, float] = {"sort-aggregate": 5_000}
SIZE_JS_HEAVY_AT = (50_000, 1_000_000)
# Work said to run in plain JavaScript (not a native binding) is costed like "size-js" work.
IN_JS = r"\b(?:in|with) (?:pure |plain )?(?:javascript|js)\b|\bpure[- ](?:javascript|js)\b"
# Quadratic work: 2,000 items is four million comparisons; a 50 KB text diffed by character is
# billions of cell updates in the worst case.
QUADRATIC_HEAVY_AT = (2_000, 50_000)

# Words that make a collection large without a number ("the whole history", "every row ever").
LARGE_WORDS = (
    r"\b(?:huge|enormous|massive|giant|gigantic|multi-?(?:megabyte|gigabyte)|very large|"
    r"backtrack\w*|nested quantifiers|catastrophic)\b|"
    r"\b(?:whole|entire|full)\b[^.;,]{0,30}\b(?:history|log|logs|dataset|table|file|export|blob|"
    r"archive|list|set|collection|timeline|body|video|upload|document)\b|"
    r"\b(?:every|all)\b[^.;,]{0,40}\bever\b|"
    # "recount every post from the last hour": everything the whole site did in a window
    r"\b(?:every|all(?: the)?)\s+(?:\w+\s+){0,2}?(?:from|in|over|of|during)\s+(?:the\s+)?"
    r"(?:last|past|previous)\s+(?:\w+\s+)?(?:hour|day|week|month|year)s?\b"
)
# Work over the items of each of N things ("every recent post from all of them", "each of their
# posts") touches several times N items: the count that sizes it is a count of owners.
FAN_IN = (
    r"\b(?:every|all|each)\b[^.;]{0,40}?\b(?:from|of|by|across|for) (?:all|each|every)(?: one)? "
    r"(?:of )?(?:them|those|these|their|the)\b|\b(?:every|all|each) of their [\w-]+s\b"
)
# A regex that can backtrack catastrophically costs seconds on one bad input whatever its size:
# said so, or written out with a quantified group inside a quantifier ("([a-z0-9]+)*").
# A pattern the user supplies is one an attacker can write to backtrack.
REDOS = (
    r"\b(?:backtrack\w*|nested quantifiers|catastrophic\w*|redos)\b|[+*]\)+[*+{]|"
    r"\b(?:user|users|user's|users'|customer's|client's|their own|caller's)[- ](?:supplied |provided |"
    r"given |written )?(?:patterns?|regex\w*|regexp\w*|expressions?)\b|"
    r"\b(?:user|client|caller)[- ](?:supplied|provided|defined|written)\b[^.;]{0,20}\b(?:patterns?|regex\w*)\b|"
    r"\b(?:patterns?|regex\w*) (?:from|typed by|written by|supplied by|given by) the (?:user|client|caller)\b"
)
SMALL_WORDS = (
    r"\b(?:tiny|small|short|a handful|handful of|(?:a|the) few(?! (?:thousand|million|billion|hundred "
    r"(?:mb|gb|thousand)))|a couple(?! of (?:million|billion|thousand))|few short|trivial|"
    r"negligible|microseconds?|noise|cheap|not a big)\b"
)

# -- Where it runs -------------------------------------------------------------------------------
# (place, pattern). Harmful places are the request path and the main thread of a Node process.
PLACES: list[tuple[str, str]] = [
    (
        "main-thread",
        (
            r"\bsetImmediate\b|\bprocess\.nextTick\b|\b(?:crawler|fetcher|scraper) (?:workers?|"
            r"process(?:es)?)\b|\bafter (?:we |it )?(?:respond\w*|return\w*|"
            r"repl(?:y|ies|ying)|send\w* the response)\b|\bfire[- ]and[- ]forget\b"
        ),
    ),
    (
        "worker-threads",
        (
            r"\bworker[_ ]threads?\b|\bpiscina\b|\bworkerpool\b|\bworker pool\b|\bpool of (?:worker )?"
            r"threads\b|\boff the (?:main|event[- ]loop) thread\b|\boff-thread\b|\bthread workers?\b"
        ),
    ),
    ("libuv-pool", r"\blibuv(?: thread)? pool\b|\bthe thread ?pool\b"),
    (
        "child-process",
        (
            r"\bchild[_ ]process(?:es)?\b(?!\.)|\bforked (?:worker|process)\w*\b|"
            # "it's a separate process": separate from Node, still on the same box
            r"\b(?:a|its|their|it's a|it is a) (?:separate|own|new|different) (?:os )?process\b"
            r"(?! (?:on|in) (?:a |an |its |their |the )?(?:separate|dedicated|different|other|own|media|"
            r"worker|processing) )"
        ),
    ),
    (
        "serverless",
        r"\blambdas?\b|\bcloud functions?\b|\bcloud run\b|\bserverless\b|\bazure functions?\b",
    ),
    (
        "batch",
        (
            r"\bnightly\b|\bcron\b(?![- ]?(?:like|style|syntax|expression|rule))|\bbatch (?:job|process\w*|pipeline)\b|"
            r"\boffline (?:job|batch|pipeline|process\w*|comput\w*)\b|\b(?:done|computed|run|runs|"
            r"precomputed|ranked|built) offline\b|\bahead of time\b|"
            r"\bpre-?comput\w*\b|\bperiodic\w*\b|\bscheduled job\b|\bevery night\b|\bspark\b|"
            r"\bhadoop\b|\bflink\b|\bairflow\b|\betl\b|\bon write\b"
        ),
    ),
    (
        "startup",
        (
            r"\b(?:at|on|during) (?:startup|start-up|boot|deploy(?: time)?|process start|launch|init)\b|"
            r"\b(?:when|while|as|once) (?:the |each |every )?(?:[\w-]+ )?(?:service|server|process|app|"
            r"instance|it|worker) (?:boots|starts|starts up|comes up|initiali[sz]es|launches)\b|"
            r"\bonce at (?:startup|boot)\b|\bwhen the process starts\b|\bat build time\b|"
            r"\bbefore (?:it|we|the server|the process) starts? (?:listening|accepting|serving)\b"
        ),
    ),
    (
        "client",
        (
            r"\bclient[- ]side\b|\bin the browser\b|\bon the (?:clients?|device|phone)\b|"
            r"\bbrowser[- ]side\b|\b(?:sender|user)'s (?:phone|device|browser|client)\b|\bon-device\b|"
            r"\b(?:the )?clients? (?:do|does|compute|resize|render|derive)\w*\b"
        ),
    ),
    (
        "database",
        (
            r"\b(?:in|inside|by|within) (?:the |a |our )?(?:database|db|postgres\w*|mysql|sql|redis|"
            r"clickhouse|elasticsearch|opensearch|cassandra|dynamo\w*|bigquery|snowflake|redshift|"
            r"materiali[sz]ed views?|lua script)\b|\bmateriali[sz]ed views?\b|\blua script\b|"
            r"\bsorted sets?\b|\bORDER BY\b|\bredis bloom\b|\bbloom filter\b"
        ),
    ),
    (
        "managed-service",
        (
            r"\bmediaconvert\b|\belastic transcoder\b|\bcloudinary\b|\bimgix\b|\bmux\b|"
            r"\brekognition\b|\bcloudflare images\b"
        ),
    ),
    (
        "separate-service",
        (
            r"\b(?:(?:on|in|into|onto|to|by|via|inside|within|a|an|its|their|our|the|two|\w+ly)\s+)"
            r"(?:separate|dedicated|own|another|different|standalone|isolated|independent)\b"
            r"[^.;,]{0,30}?\b(?:service|server|process(?:es)?|fleet|cluster|tier|instances?|machines?|"
            r"boxes|hosts?|nodes|deployment|workers?|pods?|farm|jobs?|queues?|lanes?|pools?|tasks?|"
            r"stages?|consumers?)\b|"
            r"\b(?:image|thumbnail\w*|media|processing|transcod\w*|encod\w*|render\w*|pdf|invoic\w*|"
            r"ml|model|inference|ranking|scoring|parser|parsing|resiz\w*|analytics|export|gpu|"
            r"screenshot|auth)[- ](?:service|server|fleet|cluster|tier|farm|workers?|boxes|machines|"
            r"instances|nodes|pods|lambda|pool|jobs?|queues?)s?\b|"
            r"\b(?:python|go|golang|rust|java|c\+\+) (?:service|server|microservice)\b|"
            r"\bmicroservices?\b|\b(?:imgproxy|thumbor|imaginary|imageproxy)\b|"
            r"\b(?:an?|the|our) (?:[\w-]+ )?(?:resizer|transcoder|thumbnailer)\b|\bover (?:grpc|http|the network)\b|\bbehind grpc\b|\bvia (?:g?rpc)\b|"
            r"\bgpu\b|\b(?:transcoder|thumbnailer|encoder|renderer|resizer)(?:s\b|[- ](?:fleet|service|"
            r"machines|boxes|workers|tier|cluster|farm|pool)\b)|"
            r"\bprocessing boxes\b"
        ),
    ),
    (
        "background",
        (
            r"\bin the background\b|\bbackground (?:job|task|worker|process)\w*\b|\bafter the fact\b|"
            r"\bafterwards\b"
        ),
    ),
    (
        "off-path",
        (
            r"\boff the (?:request|hot|critical|redirect|read|write|upload) path\b|"
            r"\bout of the request (?:path|cycle)\b|\boutside the request\b|\belsewhere\b|"
            r"\bsomewhere else\b|\bout[- ]of[- ]process\b|\boff the (?:fetchers?|api|gateways?|"
            r"servers?|event[- ]loop)\b"
        ),
    ),
    (
        "queue-consumer",
        (
            r"\bconsumers?\b|\bconsum\w* (?:from|the|off)\b|\bpull\w* (?:\w+ ){0,2}(?:from|off)\b|"
            r"\bpicks? (?:it|them|\w+ )?up\b|\bfed (?:from|by)\b|\blisten\w* (?:for|to|on)\b|\bsubscrib(?:es|ed|ing) to\b|"
            r"\bjob queue\b|\bbullmq\b|\bworkers?\b"
        ),
    ),
    (
        "request-path",
        (
            r"\b(?:GET|POST|PUT|PATCH|DELETE) /\S*|\b(?:handlers?|routes?|endpoints?|controllers?|"
            r"middlewares?|resolvers?)\b|\bin the request\b|\b(?:on|in) the (?:request|hot|critical|"
            r"redirect) path\b|\bthe request path\b|\binline\b|"
            r"\b(?:on|upon) request\b|\bat request time\b|\bon the fly\b|"
            r"\bon[- ]demand\b(?![- ](?:instances?|pricing|capacity|mode|billing|scal\w*))|"
            r"\b(?:per|each|every|on every|on each|for every|for each|during (?:each|the|every)) "
            r"(?:incoming |single |new |[\w-]+ )?"
            r"(?:request|call|hit|page view|redirect|frame|query|queries|response)s?\b|"
            r"\b(?:inside|in|within|during) the (?:[\w-]+ )?(?:request|call)\b(?! (?:rate|volume|"
            r"count|log|id)s?\b)|"
            r"\b(?:res|reply|ctx)\.(?:send|json|end|write|status|pipe|sendFile|body)\b|"
            r"\bbefore (?:it|the response|the reply) goes out\b|"
            r"\b(?:on|over|from) the (?:web)?socket\b|\b(?:web)?socket(?:'s)? (?:'?\w+'? )?(?:message |event )?"
            r"(?:handlers?|callbacks?|listeners?)\b|\.on\(\s*['\"](?:message|data|connection)\b|"
            r"\bbefore (?:respond\w*|returning|replying|answering|redirecting|relaying|broadcasting|"
            r"acking|acknowledging|it (?:returns|responds|answers|"
            r"replies)|the response|sending the response|we (?:respond|return|reply|answer))\b|"
            r"\b(?:only )?then (?:returns|responds|replies|answers|broadcasts|acks)\b|"
            r"\bwhen (?:a|an|the) (?:[\w-]+ ){0,2}(?:request|call|webhook) (?:arrives|comes in|lands|"
            r"hits)\b|"
            r"\bapi[- ](?:pods?|nodes?|hosts?|boxes|servers?|tier|process(?:es)?|instances?|"
            r"machines?|fleet)\b|\b(?:the|our|in the|in our) (?:node |express )?api\b|"
            r"\b[\w-]+ api\b"
        ),
    ),
    (
        "main-thread",
        (
            r"\b(?:in|inside|within|on) (?:the )?same (?:process|callback|thread|box|machine|host|"
            r"server|event loop)\b|\bsame (?:process|callback|box|machine|host|server|machines)\b|"
            r"\b(?:gateway|socket servers?|chat servers?|websocket servers?|fetchers?|crawler "
            r"process(?:es)?|node (?:process(?:es)?|instances?|service|server)|api process)\b|"
            r"\bin[- ]process\b|\bin (?:node|javascript|js)\b(?![- ](?:workers?|worker[_ ]threads?|consumers?))|\bon the (?:main|event[- ]loop|js) "
            r"thread\b|\bon the event loop\b|\binside the process\b|\b(?:the|our) server\b|"
            r"\b(?:in|inside|within) (?:the )?[\w-]+ (?:service|server|process)\b|"
            r"\b(?:express|fastify|koa|nest|node|web) (?:app|apps|server|servers|process|service)\b|"
            r"\b(?:juggl\w*|serv(?:es|ing)|handl(?:es|ing)|hold(?:s|ing)) (?:\d[\d,k]* |thousands of |"
            r"hundreds of |many |all the )?(?:open )?(?:sockets|connections|fetches)\b|"
            r"\bthe same one\b|"
            r"\b(?:the|our|each|every) (?:[\w-]+ )?(?:service|server|limiter|gateway)\b"
        ),
    ),
]

HARMFUL_PLACES = ("request-path", "main-thread", "unspecified")

# A queue named in a clause places the work on a consumer only when the clause does not merely
# publish to it ("publishes an event to Kafka" says nothing about where a resize runs).
QUEUE_WORDS = (
    r"\b(?:queues?|sqs|kafka|kinesis|rabbitmq|bull|bullmq|pub/?sub|topic|nats|event ?bridge|"
    r"sns|(?:kinesis|kafka|redis|event|data|change) streams?)\b"
)
PUBLISH_VERBS = (
    r"\b(?:publish\w*|emit\w*|send\w*|enqueu\w*|push\w*|put\w*|drop\w*|writ\w*|produc\w*|"
    r"fir\w*|post\w*|add\w*|forward\w*|queues|queued|hands?|handing)\b"
)

# A place after these words is denied ("not in the handler", "rather than in the heap").
PLACE_NEGATORS = (
    r"\b(?:not|never|no|nor|rather than|instead of|outside(?: of)?|away from|off|out of|without)"
    r"\s+(?:(?:in|on|inside|within|the|a|an|our|its|their|even|ever|at|by|happen\w*|done|run|"
    r"running|living|sitting|going|be|being|performed|executed|handled|anywhere|near|touch\w*)\s+){0,4}$"
)

# -- How the candidate stands toward the work ----------------------------------------------------
NEGATION = (
    r"\b(?:never|not|no|nothing|none|nor|don't|doesn't|didn't|won't|wouldn't|isn't|aren't|"
    r"can't|cannot|without|avoid\w*|nowhere)\b|n't\b"
)
# Negations that do not deny the work itself.
NEGATION_EXCEPTIONS = (
    r"\bnot only\b|\bnot just\b|\bno matter\b|\bwithout (?:a |any |the )?(?:worker|queue|pool|"
    r"thread|separate|offload\w*|cach\w*|batch\w*|stream\w*|limit|cap)\w*\b|"
    r"\b(?:don't|do not|doesn't) (?:think|expect|see|need|want to wait)\b|"
    r"\bnot (?:a |an )?(?:big |real |huge )?(?:problem|issue|concern|deal|worry)\b|"
    r"\bisn't (?:a |an )?(?:problem|issue|concern)\b|\bno (?:problem|issue|big deal)\b|"
    r"\bnot worried\b|\bnever (?:evict\w*|expir\w*|delet\w*|remov\w*|trim\w*|clean\w*|clear\w*|"
    r"purg\w*|freed)\b|\bno (?:eviction|ttl|expiry|limit|cap|bound)\b|"
    r"\bwithout (?:any )?(?:eviction|ttl|expiry|a limit|a cap|bound\w*)\b|"
    r"\b(?:don't|do not|doesn't|never) (?:trim|evict|expire|clean|clear|prune|cap|delete)\b|"
    r"\bno native\b|\bno (?:other|extra) \w+\b|"
    r"\b(?:to|in order to|so as to) avoid [\w-]+(?: [\w-]+){0,6},? (?=(?:i|we|i'd|we'd|i'll|we'll)\b)"
)
FIX = (
    r"\binstead\b|\brather than\b|\bmov(?:e|es|ed|ing)\b[^.;]{0,50}?\b(?:to|into|onto|off|out of)\b|"
    r"\boffload\w*\b|\bdelegat\w*\b|\bno longer\b|\bnot anymore\b|\bswitch\w* (?:to|over)\b|"
    # not the string operation: "a chain of regex replaces", ".replaceAll(", "text replacement"
    r"(?<!regex )(?<!string )(?<!text )(?<![.])\breplac\w*\b(?!\s*\()|"
    r"\bswap\w*\b[^.;]{0,60}?\b(?:for|with|out)\b|\bsplit (?:it|that|this|them) out\b|\bcarv\w* (?:it|that|this) out\b|"
    r"\bpull\w* (?:it|that|this|them) out\b|\btake (?:it|that|this|them) off\b|"
    r"\bhand\w* (?:it|that|this|them) (?:off )?to\b|\bpush\w* (?:it|that|this|them) (?:to|onto|"
    r"into|off)\b|\bshift\w* (?:it|that|this|them) (?:to|onto|into|off)\b"
)
# Lead-ins after which the rest of the sentence describes a hazard, not the design.
DIAGNOSIS_LEAD = (
    r"\b(?:the|a|one|our|my|main|big|biggest|real|obvious|classic|only)\s+(?:\w+\s+)?"
    r"(?:risk|problem|issue|danger|concern|catch|trap|pitfall|worry|failure mode|mistake|gotcha|"
    r"bottleneck|hazard|anti-?pattern|hot ?spot|expensive part|slow part|weak spot|choke ?point)"
    r"s?\b[^.;]{0,40}?\b(?:is|was|would be|are|being)\b|"
    r"\b(?:watch(?:ing)? (?:out )?for|worr(?:y|ied) about|be careful (?:with|about|of)|"
    r"keep an eye on|guard against|look out for|alert on)\b|"
    r"\b(?:the )?naive (?:version|approach|design|way)\b|\bin the naive\b|"
    r"\b(?:is|are) (?:the|a|an|our) (?:\w+ )?(?:limit|bottleneck|risk|problem|constraint|concern|"
    r"catch|trap|danger|hazard|weak (?:spot|point)|choke ?point)\b|"
    r"\b(?:first|next) to (?:hurt|break|go|fail|fall over|saturate)\b|\b(?:hits|breaks|fails) first\b"
)
# A message that enumerates bottlenecks or risks: its list items name hazards, not the design.
BOTTLENECK_CONTEXT = (
    r"\bbottlenecks?\b|\bwhat (?:breaks|hurts|fails|hits|goes|saturates) first\b|"
    r"\b(?:first|next) to (?:hurt|break|go|fail|fall over|saturate)\b|\b(?:hits|breaks|fails) first\b|"
    r"\bfailure modes?\b|\brisks\b|\bhot ?spots\b|\bpain points\b|\bchoke ?points\b|"
    r"\bwhere (?:it|this|things|we) (?:breaks?|falls? over|hurts?|fails?)\b|"
    r"\bwhat (?:breaks|hurts|fails|falls over|goes wrong|saturates|gives)\b|"
    r"\b(?:scaling|scale) (?:limits|risks|concerns|problems)\b|\bweak (?:spots|points)\b|"
    r"\bfailure points\b|\bsingle points? of failure\b"
)
# A topic label that opens a discussion of a runtime hazard ("Event loop: ...", "libuv: ...").
HAZARD_TOPIC = (
    r"^\s*(?:\(?\d{1,2}[.)]\s*)?(?:the\s+)?(?:node(?:\.js)?\s+)?(?:event[- ]?loop|main[- ]thread|"
    r"libuv|thread[- ]?pool|heap|memory|gc|garbage collection|cpu|blocking)(?:\s+[\w-]+){0,2}\s*$"
)
# Words after the work that make it a hazard or a symptom ("transcode backlog", "decompression
# bombs", "Transcoding is also slow") or a cost ("parse time", "render latency").
SYMPTOM_AFTER = (
    r"^\s+(?:backlogs?|lag|lags|bombs?|storms?|spikes?|bottlenecks?|pressure|failures?|timeouts?|"
    r"errors?|hot ?spots?|starvation|stalls?|pileups?|pile-ups?)\b|"
    r"^(?:\s+[\w-]+){0,2}?(?:['\u2019]s|\s+(?:is|are|was|were|gets?|becomes?|remains?|stays?|can be|"
    r"will be))\s+"
    r"(?:also |still |really |too |very |quite |pretty |often |usually |the |by far |much |way )*"
    r"(?:slow\w*|expensive|costly|heavy|cpu[- ](?:bound|heavy|intensive|hungry)|bottleneck\w*|"
    r"limit\w*|a bottleneck|a problem|an issue|problem\w*|the risk|risky|dominant|dominat\w*|"
    r"behind|lagging|backed up|starved|saturated|the hot spot|hot|where)\b"
)
# "the 8 cores of parsing", "the cost of rendering": the work measured, not placed.
MEASURED_BEFORE = (
    r"\b(?:cores?|cost|costs|time|ms|milliseconds|seconds|cpu|percent|%|budget|price|overhead|"
    r"latency)\s+(?:of|for|on)\s+(?:the\s+|all\s+|our\s+)?$"
)
COST_AFTER = (
    r"^\s+(?:times?|latenc(?:y|ies)|costs?|budgets?|throughput|capacity|rates?|speed|durations?|"
    r"overhead)\b"
)
# "any ranking logic", "anything synchronous": a class of work, not a piece of the design.
GENERIC_BEFORE = r"\b(?:any|anything)\s+(?:[\w-]+\s+){0,2}$"
# Predicates that say the work hurts: "would block the loop", "stalls every socket".
HAZARD = (
    r"\b(?:would|will|could|might|can|may|'d|'ll)\b[^.;]{0,30}?\b(?:block\w*|stall\w*|freez\w*|"
    r"starv\w*|hog\w*|pin\w*|tie\w* up|hold\w* up|saturat\w*|clog\w*|back\w* up|hang\w*|"
    r"blow\w*|oom\w*|crash\w*|kill\w*|fight\w*|compet\w*|choke\w*|wreck\w*|hurt\w*|wait\w*|"
    r"exhaust\w*|thrash\w*|destroy\w*|balloon\w*|be a (?:disaster|problem|bottleneck)|"
    r"be (?:bad|terrible|awful|slow))\b|"
    r"\b(?:blocks?|blocking|stalls?|freezes?|starves?|pins?|hogs?|hangs?)\b[^.;]{0,20}?\b(?:the )?"
    r"(?:event[- ]?loop|loop|main thread|process|every|all|other|everyone|everything|socket)|"
    r"\bevery other (?:request|connection|socket|user|upload|call)\b|"
    r"\b(?:queue\w*|wait\w*|stuck|sits?|sitting) behind\b|"
    r"\b(?:which|that|it|this)\s+(?:\w+\s+)?(?:starved|blocked|stalled|froze|pinned|hogged|"
    r"killed|hurt|crashed|saturated|clogged|choked|wrecked|exhausted|thrashed)\b|"
    r"\b(?:bad idea|a mistake|anti-?pattern|don't want|do not want|shouldn't|should not|"
    r"must not|mustn't|never want|unacceptable|dangerous|a no-go)\b"
)
# A design the candidate has already replaced ("before the redesign the API spawned ffmpeg").
SUPERSEDED = (
    r"\b(?:before the (?:redesign|rewrite|migration|change|fix)|used to|originally|previously|"
    r"in the old (?:design|version|system|setup)|the old (?:design|version|system|setup)|"
    r"at first we|back when)\b"
)
# The work sits inside a condition or a suggestion, not the design.
# The work was weighed, not chosen ("we considered ranking in the handler, but ...").
CONSIDERED = (
    r"\b(?:considered|looked at|thought about|toyed with|debated|evaluated|weighed|explored)\b"
)
# A reason clause that explains a mechanism ("because dns.lookup sits on the libuv pool").
EXPLANATION = (
    r"^(?:because|since|as)\b.*?\b(?:sits? on|runs? on|goes through|uses the|is backed by|"
    r"blocks?|is (?:cpu|synchronous|sync|single-threaded))\b"
    # "cheerio is JavaScript on the main thread": what a library is, said to explain a cost
    r"|^(?:: )?[\w.-]+(?: [\w.-]+)? (?:is|are) (?:pure |plain |just |all |still )?(?:javascript|js)\b"
)
HYPOTHETICAL = (
    r"\b(?:if|unless|suppose|supposing|imagine|what if|whether|in case|even if)\b|"
    r"\b(?:would|could|might)\b"
)
# "I'd resize it in the handler" proposes; "a resize would add 100 ms" imagines.
FIRST_PERSON_MODAL = r"\b(?:i|we|i'd|we'd)\s*(?:'d|would|will|'ll|could)?\b"
ESTIMATE = (
    # a duration is a cost, but not a window of data ("each viewer's last 10 minutes of chat")
    r"(?<!\blast )(?<!\bpast )\b\d[\d.,]*\s*(?:ms|milliseconds?|µs|us|microseconds?|seconds?|"
    r"secs?|s|minutes?|cpu[- ]\w+)\b(?!\s+of\s+(?!cpu\b|compute\b|work\b|processing\b|pool\b|"
    r"thread\b|main\b|event\b)[a-z])|\bof cpu\b|\bcpu[- ](?:seconds?|minutes?|hours?|ms|time)\b|"
    # "at cost 12", "cost factor 10" is bcrypt's work factor, a setting, not an estimate
    r"(?<!\bat )\bcosts?\b(?!\s+(?:factor\b|of \d{1,2}\b|\d{1,2}\b))|"
    r"\bcores?'? worth\b|\bmilliseconds\b|"
    r"\b(?:eats?|burns?|uses?|needs?|costs?|consumes?|hogs?)\b[^.;,]{0,15}\b(?:cpu|cores?)\b|"
    r"\b(?:is|are)\b[^.;,]{0,10}\b(?:cpu|compute)[- ](?:heavy|bound|intensive|hungry)\b|"
    r"\b(?:is|are) (?:the )?(?:heavy|expensive|slow|costly) (?:part|bit|step)\b"
)
# Verbs that hand work to someone else: the work runs at the destination named after it.
TRANSFER = (
    r"\b(?:hand(?:s|ed|ing)?(?: off| over)?|pass(?:es|ed|ing)?|send(?:s|ing)?|sent|giv(?:e|es|en)|"
    r"offload\w*|delegat\w*|push(?:es|ed|ing)?|dispatch\w*|submit\w*|forward\w*|mov(?:e|es|ed|ing)|"
    r"ship(?:s|ped|ping)?)\b"
)
AGENT = (
    r"\b(?:we|i|our \w+|the \w+ (?:handler|route|endpoint|api|service|server|process))\s+"
    r"(?:\w+ly\s+)?(?:\w+s|\w+ed|do|run|call|use)\b"
)
# The work is named as an outcome or a stage elsewhere ("when the transcode finishes").
REFERENCE_AFTER = (
    r"^\s*(?:status|state|results?|progress|urls?|links?|finish\w*|complet\w*|is done|are done|"
    r"is ready|are ready|output)\b"
)
# The work named as a job handed to a queue ("enqueues a resize job").
JOB_AFTER = r"^[\w\s-]{0,20}?\b(?:jobs?|tasks?|messages?|events?|requests?)\b"

# The candidate sized or bounded the libuv pool or the concurrency feeding it.
POOL_SIZED = (
    r"\buv_threadpool_size\b(?![^.;]{0,25}\b(?:default|unchanged|untouched|unset|as is|not (?:set|"
    r"changed|raised|touched))\b)|(?<!default )\bthread ?pool size\b|\b(?:rais\w*|bump\w*|increas\w*|siz\w*|"
    r"set\w*|grow\w*)\b[^.;]{0,20}\b(?:libuv |thread ?)?pool\b|\b(?<!default )pool (?:sized|size)\b|"
    r"\b(?:rais\w*|bump\w*|increas\w*|siz\w*|set|grew|grow\w*)\b[^.;]{0,20}?\b\d+ threads\b|"
    r"\bp-limit\b|\bcap\w* (?:in-flight|concurrency)\b|\bconcurrency (?:limit|cap)\b|"
    r"\bsemaphore\b|\bbounded concurrency\b|\blimit\w* concurrency\b|"
    # ...or shows it knows the pool's size: "sharp runs on the libuv pool, 4 threads by default"
    r"\b(?:4|four)(?:[- ]| default )threads?\b|\bpool of (?:4|four)\b|"
    r"\bshar\w* (?:the |those |its |libuv's )?(?:4|four) threads\b"
)
# Many calls at once: a rate, an in-flight count, a fan-out.
CONCURRENT = (
    r"\b(?:in flight|in-flight|at once|concurrent\w*|in parallel|simultaneous\w*|promise\.all|"
    r"at the same time|outstanding|(?:requests|connections|sockets|fetches) open|"
    r"thousands of|hundreds of|burst\w*|spike\w*|peak\w*|rush(?:es)?|surg(?:e|es|ing)|flood\w*|"
    r"(?:heavy|high|huge|massive|peak) (?:load|traffic|volume)|under load|black friday|launch day)\b"
)
# Child processes kept to a fixed number.
CHILD_BOUNDED = (
    r"\b(?:one|a single) (?:[\w-]+ ){0,2}at a time\b|\bpool of \w+ (?:forked |child )?(?:workers|"
    r"processes)\b|\bfixed pool\b|\bat most \w+ (?:at once|concurrent\w*)\b|\bconcurrency "
    r"(?:limit|cap) of\b|\bsemaphore\b|\bp-limit\b|\bfor the job (?:it|they) pulled\b"
)
# In-process state that stays bounded, or data that is streamed instead of held.
MEMORY_BOUNDED = (
    r"\blru\b|\bttl\b|\bcapped\b|\bbounded\b|\bmax(?:imum)? (?:of )?\d[\d,k]* entries\b|"
    r"\bevict\w*\b(?<!never evicted)|\bstream\w*\b|\bpipe\w*\b|\bchunk\w*\b|\bpaged?\b|"
    r"\bcursor\b"
)
# Chunks gathered into one array or buffer are the whole payload again, not a stream.
MEMORY_GATHERED = (
    r"\b(?:collect|gather|accumulat|push|stash|append|keep)\w* (?:the |all the |every |each |all )?"
    r"(?:chunks?|parts?|pieces?|buffers?|frames?) (?:into|in|onto|to) (?:an? |one |the )?"
    r"(?:array|list|buffer|memory)\b|\bconcatenat\w* (?:them|the (?:chunks|parts|buffers|pieces))\b|"
    r"\bBuffer\.concat\b|"
    # "chunks get collected into one Buffer"
    r"\b(?:chunks?|parts?|pieces?|buffers?|frames?) (?:get |gets |are |is |all )?(?:collect|gather|"
    r"accumulat|stash|append|kept|held|buffer)\w* (?:into|in|onto) (?:an? |one |the )?(?:single )?"
    r"(?:array|list|buffer|memory)\b"
)
MEMORY_UNBOUNDED = (
    r"\bnever (?:evict\w*|expir\w*|delet\w*|remov\w*|trim\w*|clean\w*|clear\w*|purg\w*|freed)\b|"
    r"\bno (?:eviction|ttl|expiry|limit|cap|bound)\b|\bwithout (?:any )?(?:eviction|ttl|expiry|"
    r"a limit|a cap|bound\w*)\b|\b(?:don't|do not|doesn't|never) (?:trim|evict|expire|clean|"
    r"clear|prune|cap|delete)\b|\bunbounded\b|\bgrows? (?:forever|without bound|indefinitely)\b|"
    r"\bforever\b|\b(?:keeps?|cache\w*|hold\w*|stor\w*|memoi[sz]\w*|buffer\w*) (?:every|all)\b|"
    r"\bgrows? (?:with|on|per) (?:every|each)\b|\b(?:array|list|map|set|log) of (?:every|all)\b|"
    r"\bkeeps? (?:on )?growing\b|"
    r"\b(?:collect\w*|buffer\w*|read\w*|concat\w*|accumulat\w*|gather\w*) (?:the )?(?:whole |entire |"
    r"full )?(?:[\w-]+ )?stream\w* (?:into|in) (?:memory|a buffer|ram|one buffer)\b|\bgrows? (?:and grows|over time|unbounded)\b|"
    r"\b(?:close to|near|at|hitting|approaching|bumping into) (?:the )?(?:--)?max-old-space-size\b|"
    r"\b(?:close to|near|at|hitting|approaching) (?:the )?heap (?:limit|ceiling)\b"
)

# "A, B and C all happen in the workers": a placing predicate after a list of work.
PLACING_PREDICATE = (
    r"\b(?:(?:are|is|get|gets)\s+(?:\w+\s+)?(?:done|handled|performed|run|processed)\b|"
    r"(?:all |both |each )?(?:live|lives|happen|happens|run|runs|sit|sits|are done|is done|"
    r"are handled|is handled|get done|gets done|are performed|is performed|take place|takes place"
    r"|go through|goes through)\b)"
)

# A clause opening that refers back to the work or the place just named.
ANAPHOR_START = (
    r"^\s*(?:(?:and|but|so|then|though|because)\s+)?(?:it|this|that|these|those|they|them|"
    r"there|which|all of (?:it|this|that|them)|each (?:one|of them)|both|the (?:job|work|step|"
    r"processing|rest|latter|former)|this (?:work|step|part|job)|that (?:work|step|part|job))\b"
)
ANAPHOR_OBJECT = r"\b(?:it|that|this|them|those|these|all of (?:it|that|this|them))\b"
