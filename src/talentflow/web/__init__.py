"""The web app and JSON API over the same database (``talentflow serve``)."""
