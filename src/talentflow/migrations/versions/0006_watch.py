"""Watching and alerting: polled sources and the entries seen, watchlists, alerts and their
deliveries, and a small table of named settings (the alert cursor).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("every", sa.Float, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("next_due", sa.Float, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_polled", sa.String(32)),
        sa.Column("last_status", sa.Text),
    )
    op.create_table(
        "watch_seen",
        sa.Column("source_id", sa.Integer, sa.ForeignKey("watch_sources.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("entry", sa.String(64), primary_key=True),
    )
    op.create_table(
        "watchlists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("filters", sa.Text, nullable=False),
        sa.Column("webhook", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("after_claim", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("watchlist_id", sa.Integer, sa.ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_key", sa.String(100), nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("claim_id", sa.Integer, nullable=False),
        sa.Column("move_id", sa.Integer),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("watchlist_id", "event_key", name="uq_alert_event"),
    )
    op.create_index("ix_alerts_watchlist", "alerts", ["watchlist_id"])
    op.create_table(
        "alert_deliveries",
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt", sa.Float, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", sa.String(32)),
    )
    op.create_index("ix_alert_deliveries_state", "alert_deliveries", ["state"])
    op.create_table(
        "settings",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_index("ix_alert_deliveries_state", "alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_index("ix_alerts_watchlist", "alerts")
    op.drop_table("alerts")
    op.drop_table("watchlists")
    op.drop_table("watch_seen")
    op.drop_table("watch_sources")
