"""Indexes for the review console's queue: its order (received_at, id) covering every
column it filters on (status, verdict, applicant, credit code, name), and finding codes to packets.

With them the queue's page of ids is read off one index in order, whatever the offset,
without touching the packets' stored documents.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("packets", schema=None) as batch_op:
        batch_op.create_index("ix_packets_queue_order", ["received_at", "id", "status", "verdict", "applicant_name", "credit_code", "name"], unique=False)
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_code_packet", ["code", "packet_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_code_packet")
    with op.batch_alter_table("packets", schema=None) as batch_op:
        batch_op.drop_index("ix_packets_queue_order")
