"""The scorer: one logistic model per type (left, joined, founded) over a candidate's features.

Its weights are data (``data/scorer.json``, written by ``talentflow train``): for each type a bias,
a weight per feature string and a decision threshold. Scoring is a sum and a sigmoid, so extraction
needs no training library, and ``explain`` can show each feature's contribution.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

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

    def contributions(self, features: list[str]) -> list[tuple[str, float]]:
        found = [(f, self.weights[f]) for f in features if f in self.weights]
        return sorted(found, key=lambda fw: -abs(fw[1]))


@dataclass
class Scorer:
    models: dict[str, TypeModel]
    features: list[str]  # the feature functions the weights were fitted with
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, features: list[str]) -> dict[str, float]:
        return {t: m.probability(features) for t, m in self.models.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "meta": self.meta,
            "types": {t: {"bias": round(m.bias, 6), "threshold": m.threshold,
                          "weights": {f: round(w, 6) for f, w in sorted(m.weights.items()) if abs(w) >= 1e-6}}
                      for t, m in self.models.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        models = {t: TypeModel(float(m["bias"]), {f: float(w) for f, w in m["weights"].items()},
                               float(m.get("threshold", 0.5)))
                  for t, m in data["types"].items()}
        if set(models) != set(TYPES):
            raise ValueError(f"scorer weights must cover {', '.join(TYPES)}")
        return cls(models, list(data["features"]), dict(data.get("meta", {})))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_scorer(path: Path | None = None) -> Scorer:
    """The shipped weights, or those in ``path``."""
    try:
        text = path.read_text(encoding="utf-8") if path else \
            resources.files("talentflow.data").joinpath("scorer.json").read_text(encoding="utf-8")
        return Scorer.from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        where = path or "talentflow/data/scorer.json"
        raise ValueError(f"{where}: cannot read the scorer's weights ({exc}); run `talentflow train`") from exc
