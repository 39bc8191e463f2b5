"""Moderation: what editors change and what the admins decide (DESIGN §6).

`revisions` saves drafts, submissions and proposed changes; `decisions` approves, rejects and
archives; `diff` puts two versions side by side; `reminders` keeps entries fresh; `incoming`
takes citizens' error reports and requests for access.
"""

from .decisions import (
    OwnChange,
    approve,
    archive,
    author_of,
    pending_items,
    reject,
    submitted_at,
    unarchive,
)
from .revisions import (
    EditConflict,
    NotPending,
    Opened,
    Saved,
    claim,
    current_fields,
    draft_of,
    last_author,
    opened_for,
    pending_revision,
    returned_revision,
    propose_restore,
    save,
    stamp,
    verify,
    withdraw,
)

__all__ = ["EditConflict", "NotPending", "Opened", "OwnChange", "Saved", "approve", "archive",
           "author_of", "claim", "current_fields", "draft_of", "last_author", "opened_for",
           "pending_items", "pending_revision", "propose_restore", "reject", "returned_revision",
           "save", "stamp", "submitted_at", "unarchive", "verify", "withdraw"]
