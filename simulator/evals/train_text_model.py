"""Fit the learned event-loop reader (`simulator.reading.text_model`) from the labelled turns.

    python -m simulator.evals.train_text_model

Trains on the development sets and the *tune* halves of the fresh sets only; every held-out
half (and any set listed in ``UNSEEN``) stays out, so the eval suite's held-out figures measure
wording the model never saw. The decision threshold is the lowest on a 0.05 grid whose
five-fold cross-validated precision on the training turns is at least ``TARGET_PRECISION``:
chosen on training data, never on a held-out half. Writes two weight files into
`simulator/content/models/` that the content loader hands to the readers. Deterministic:
the same data gives the same files.

Needs scikit-learn (installed with sentence-transformers); the product itself only reads the
JSON weights.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from simulator.reading.text_model import Block, TextModel

DATASETS = Path(__file__).parent / "datasets"
MODELS = Path(__file__).parents[1] / "content" / "models"
TRAIN_ALL = ("event_loop.jsonl", "probes.jsonl")
TRAIN_TUNE_HALF = ("event_loop_fresh.jsonl", "event_loop_fresh2.jsonl", "event_loop_fresh3.jsonl")
UNSEEN = ("event_loop_fresh4.jsonl",)  # never trained on, never tuned on
TARGET_PRECISION = 0.95
C = 4.0
BLOCKS = (("word", (1, 2)), ("char_wb", (3, 5)))


def training_rows() -> tuple[list[dict], dict[str, int]]:
    rows: list[dict] = []
    used: dict[str, int] = {}
    for name in TRAIN_ALL + TRAIN_TUNE_HALF:
        found = [json.loads(line) for line in (DATASETS / name).read_text().splitlines()
                 if line.strip()]
        if name in TRAIN_TUNE_HALF:
            found = [r for r in found if r.get("split") == "tune"]
        rows.extend(found)
        used[name] = len(found)
    return rows, used


def _pipeline(multi: bool = False):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    union = make_union(*[TfidfVectorizer(analyzer=a, ngram_range=r, sublinear_tf=True, min_df=2)
                         for a, r in BLOCKS])
    return make_pipeline(union, LogisticRegression(
        C=C, max_iter=5000, class_weight=None if multi else "balanced"))


def _threshold(texts: list[str], y: np.ndarray) -> tuple[float, float, float]:
    from sklearn.model_selection import StratifiedKFold

    p = np.zeros(len(y))
    for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y):
        model = _pipeline().fit([texts[i] for i in a], y[a])
        p[b] = model.predict_proba([texts[i] for i in b])[:, 1]
    for th in np.arange(0.5, 0.96, 0.05):
        pred = p >= th
        tp, fp, fn = (pred & y).sum(), (pred & ~y).sum(), (~pred & y).sum()
        precision = tp / max(1, tp + fp)
        if precision >= TARGET_PRECISION:
            return round(float(th), 2), float(precision), float(tp / max(1, tp + fn))
    return 0.95, float("nan"), float("nan")


def _export(model, labels: list[str], threshold: float, used: dict[str, int]) -> TextModel:
    union, lr = model.steps[0][1], model.steps[1][1]
    coef = lr.coef_  # (outputs, features)
    blocks, offset = [], 0
    for (_, vec), (analyzer, ngrams) in zip(union.transformer_list, BLOCKS, strict=True):
        vocab = vec.vocabulary_
        idf, weights = {}, {}
        for feature, j in vocab.items():
            idf[feature] = round(float(vec.idf_[j]), 6)
            w = [round(float(x), 6) for x in coef[:, offset + j]]
            if any(w):
                weights[feature] = w
        blocks.append(Block(analyzer=analyzer, ngram_range=ngrams, idf=idf, weights=weights))
        offset += len(vocab)
    return TextModel(labels=labels, intercepts=[round(float(x), 6) for x in lr.intercept_],
                     blocks=blocks, threshold=threshold, trained_on=used)


def train() -> tuple[TextModel, TextModel, dict]:
    rows, used = training_rows()
    texts = [r["text"] for r in rows]
    y = np.array([bool(r["should_probe"]) for r in rows])
    threshold, cv_p, cv_r = _threshold(texts, y)
    probe = _export(_pipeline().fit(texts, y), ["yes"], threshold, used)
    kinds = [(r["text"], r["kind"]) for r in rows if r["should_probe"] and r.get("kind")]
    kind_model = _pipeline(multi=True).fit([t for t, _ in kinds], [k for _, k in kinds])
    labels = [str(c) for c in kind_model.steps[1][1].classes_]
    kind = _export(kind_model, labels, 0.0, {"positives with a kind": len(kinds)})
    return probe, kind, {"threshold": threshold, "cv_precision": cv_p, "cv_recall": cv_r,
                         "turns": len(rows), "positives": int(y.sum())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODELS)
    args = parser.parse_args(argv)
    probe, kind, report = train()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "event_loop_probe.json").write_text(probe.model_dump_json())
    (args.out / "event_loop_kind.json").write_text(kind.model_dump_json())
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
