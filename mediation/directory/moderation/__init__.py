"""Moderation: what editors change and what the admins decide (DESIGN §6).

`revisions` saves drafts, submissions and proposed changes; `decisions` approves, rejects and
archives; `diff` puts two versions side by side; `reminders` keeps entries fresh; `incoming`
takes citizens' error reports and requests for access.
"""

from .decisions import approve, archive, pending_items, reject, unarchive
from .revisions import (
    EditConflict,
    NotPending,
    Saved,
    current_fields,
    last_author,
    pending_revision,
    propose_restore,
    save,
    stamp,
    verify,
    withdraw,
)

__all__ = ["EditConflict", "NotPending", "Saved", "approve", "archive", "current_fields",
           "last_author", "pending_items", "pending_revision", "propose_restore", "reject",
           "save", "stamp", "unarchive", "verify", "withdraw"]
