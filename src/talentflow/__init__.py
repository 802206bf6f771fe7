"""talentflow: an evidence-backed database of talent moves, built from news."""

__version__ = "0.1.0"
