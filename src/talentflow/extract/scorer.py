"""The scorer: one model per type (left, joined, founded) over a pair's features.

Its parameters are data (``data/scorer.json``, written by ``talentflow train``), read by plain code,
so extraction needs no training library. Two kinds of model, registered by name in ``MODEL_KINDS``:

- ``forest``: a random forest (the default: it scores best in cross-validation); each tree is a
  list of nodes that ask whether a feature is present. A prediction's contributions are the changes
  of the probability along each tree's path, credited to the feature asked (they add up exactly to
  the probability, less the forest's base rate);
- ``logistic``: a weight per feature string, a bias and a sigmoid.

Each type has the threshold over which it is claimed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

TYPES = ("left", "joined", "founded")


@dataclass
class TypeModel:
    bias: float
    weights: dict[str, float]
    threshold: float = 0.5

    def logit(self, features: list[str]) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in features)

    def probability(self, features: list[str]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.logit(features)))))

    def probabilities(self, feature_lists: Sequence[list[str]]) -> list[float]:
        return [self.probability(f) for f in feature_lists]

    def contributions(self, features: list[str]) -> list[tuple[str, float]]:
        found = [(f, self.weights[f]) for f in features if f in self.weights]
        return sorted(found, key=lambda fw: -abs(fw[1]))

    def to_json(self) -> dict[str, Any]:
        return {"kind": "logistic", "bias": round(self.bias, 6), "threshold": self.threshold,
                "weights": {f: round(w, 6) for f, w in sorted(self.weights.items()) if abs(w) >= 1e-6}}


@dataclass
class Tree:
    feature: list[int]  # per node: index into the forest's feature names, -1 at a leaf
    left: list[int]  # the child when the feature is absent
    right: list[int]  # the child when it is present
    value: list[float]  # the probability of the type at the node

    def path(self, present: set[int]) -> list[tuple[int, int]]:
        """(node, child) steps from the root to a leaf."""
        steps, node = [], 0
        while self.feature[node] >= 0:
            child = self.right[node] if self.feature[node] in present else self.left[node]
            steps.append((node, child))
            node = child
        return steps


@dataclass
class ForestModel:
    names: list[str]
    trees: list[Tree]
    threshold: float = 0.5
    # Platt scaling of the trees' vote, fitted on votes for articles the trees were not fitted on:
    # probability = sigmoid(a * logit(vote) + b). Without it the vote is the probability.
    calibration: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        self.index = {n: i for i, n in enumerate(self.names)}
        self.base = sum(t.value[0] for t in self.trees) / max(len(self.trees), 1)
        self._pack()

    def _pack(self) -> None:
        """All trees as flat arrays, so that every tree walks one step at once for many pairs (numpy):
        node ids are global, a leaf asks the always-absent feature ``len(names)`` and leads to itself."""
        absent = len(self.names)
        feature: list[int] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        depth = 0
        for tree in self.trees:
            offset = len(feature)
            roots.append(offset)
            level = {0: 0}
            for node, asked in enumerate(tree.feature):
                leaf = asked < 0
                feature.append(absent if leaf else asked)
                left.append(offset + (node if leaf else tree.left[node]))
                right.append(offset + (node if leaf else tree.right[node]))
                value.append(tree.value[node])
                if not leaf:
                    level[tree.left[node]] = level[tree.right[node]] = level[node] + 1
            depth = max(depth, *level.values())
        self._feature = np.array(feature, dtype=np.intp)
        self._left = np.array(left, dtype=np.intp)
        self._right = np.array(right, dtype=np.intp)
        self._value = np.array(value, dtype=np.float64)
        self._roots = np.array(roots, dtype=np.intp)
        self._depth = depth

    def _present(self, features: list[str]) -> set[int]:
        return {self.index[f] for f in features if f in self.index}

    def probability(self, features: list[str]) -> float:
        return self.probabilities([features])[0]

    def probabilities(self, feature_lists: Sequence[list[str]]) -> list[float]:
        return [calibrate(v, self.calibration) for v in self.votes(feature_lists)]

    def votes(self, feature_lists: Sequence[list[str]]) -> list[float]:
        """Per feature list, the share of the trees' leaves for the type (the forest's own, uncalibrated
        estimate), for many pairs at once: each step moves every pair down every tree by one level."""
        if not feature_lists or not self.trees:
            return [0.0] * len(feature_lists)
        present = np.zeros((len(feature_lists), len(self.names) + 1), dtype=bool)
        for row, features in enumerate(feature_lists):
            present[row, list(self._present(features))] = True
        rows = np.arange(len(feature_lists))[:, None]
        node = np.broadcast_to(self._roots, (len(feature_lists), len(self._roots)))
        for _ in range(self._depth):
            node = np.where(present[rows, self._feature[node]], self._right[node], self._left[node])
        return [float(v) for v in self._value[node].mean(axis=1)]

    def contributions(self, features: list[str]) -> list[tuple[str, float]]:
        """What each feature asked on the trees' paths added to the vote (they add up to the vote
        less the forest's base rate; calibration then maps the vote to the probability)."""
        present = self._present(features)
        credit: dict[str, float] = {}
        for tree in self.trees:
            for node, child in tree.path(present):
                name = self.names[tree.feature[node]]
                key = name if tree.feature[node] in present else f"not {name}"
                credit[key] = credit.get(key, 0.0) + (tree.value[child] - tree.value[node]) / len(self.trees)
        return sorted(credit.items(), key=lambda fw: -abs(fw[1]))

    def to_json(self) -> dict[str, Any]:
        return {"kind": "forest", "threshold": self.threshold, "features": self.names,
                "calibration": list(self.calibration) if self.calibration else None,
                "trees": [{"feature": t.feature, "left": t.left, "right": t.right,
                           "value": [round(v, 5) for v in t.value]} for t in self.trees]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ForestModel:
        trees = [Tree(list(t["feature"]), list(t["left"]), list(t["right"]), [float(v) for v in t["value"]])
                 for t in data["trees"]]
        calibration = data.get("calibration")
        return cls(list(data["features"]), trees, float(data.get("threshold", 0.5)),
                   (float(calibration[0]), float(calibration[1])) if calibration else None)


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def calibrate(vote: float, calibration: tuple[float, float] | None) -> float:
    if calibration is None:
        return vote
    a, b = calibration
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, a * logit(vote) + b))))


Model = TypeModel | ForestModel


def _logistic_from_json(data: dict[str, Any]) -> TypeModel:
    return TypeModel(float(data["bias"]), {f: float(w) for f, w in data["weights"].items()},
                     float(data.get("threshold", 0.5)))


MODEL_KINDS: dict[str, Callable[[dict[str, Any]], Model]] = {"logistic": _logistic_from_json,
                                                             "forest": ForestModel.from_json}


@dataclass
class Scorer:
    models: dict[str, Model]
    features: list[str]  # the feature functions the weights were fitted with
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, features: list[str]) -> dict[str, float]:
        return self.probabilities_of([features])[0]

    def probabilities_of(self, feature_lists: Sequence[list[str]]) -> list[dict[str, float]]:
        """Per type, the probability of each feature list (many at once: a forest scores them together)."""
        per_type = {t: m.probabilities(feature_lists) for t, m in self.models.items()}
        return [{t: per_type[t][row] for t in self.models} for row in range(len(feature_lists))]

    def to_json(self) -> dict[str, Any]:
        return {"features": self.features, "meta": self.meta,
                "types": {t: m.to_json() for t, m in self.models.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        models: dict[str, Model] = {}
        for t, m in data["types"].items():
            kind = m.get("kind", "logistic")
            if kind not in MODEL_KINDS:
                raise ValueError(f"unknown model kind {kind!r} (known: {', '.join(MODEL_KINDS)})")
            models[t] = MODEL_KINDS[kind](m)
        if set(models) != set(TYPES):
            raise ValueError(f"scorer weights must cover {', '.join(TYPES)}")
        return cls(models, list(data["features"]), dict(data.get("meta", {})))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")


def load_scorer(path: Path | None = None) -> Scorer:
    """The shipped weights, or those in ``path``."""
    try:
        text = path.read_text(encoding="utf-8") if path else \
            resources.files("talentflow.data").joinpath("scorer.json").read_text(encoding="utf-8")
        return Scorer.from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        where = path or "talentflow/data/scorer.json"
        raise ValueError(f"{where}: cannot read the scorer's weights ({exc}); run `talentflow train`") from exc
