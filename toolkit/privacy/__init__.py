"""The privacy engine (DESIGN 2.2): it alone decides what may be shown.

* `toolkit.privacy.suppression` -- `protect`: small groups and their
  siblings suppressed in one assessment (primary and secondary suppression).
* `toolkit.privacy.audit` -- the linked-table audit: every published aggregate
  as a sum over department x level cells, checked together against an insider
  who knows the org chart (linear span and linear-programme bounds), with the
  extra suppression it chooses and the final check before publication.
* `toolkit.privacy.views` -- the explorer's filtered views.
* `toolkit.privacy.redaction` -- quotes: roster names, e-mails, phones.
* `toolkit.privacy.safe_csv` -- CSV/XLSX cells that cannot be formulas.
* `toolkit.privacy.notices` -- structured warnings (code, area, group).
"""
from toolkit.privacy.notices import Notice
from toolkit.privacy.redaction import EMAIL_TOKEN, NAME_TOKEN, PHONE_TOKEN, normalise, quote_groups_allowed, redact_text
from toolkit.privacy.suppression import (
                                       SUPPRESSED,
                                       SUPPRESSED_REASON,
                                       client_safe_warnings,
                                       primary_reason,
                                       protect,
                                       secondary_reason,
                                       secondary_suppression,
)

__all__ = ["EMAIL_TOKEN", "NAME_TOKEN", "PHONE_TOKEN", "SUPPRESSED", "SUPPRESSED_REASON", "Notice",
           "client_safe_warnings", "normalise", "primary_reason", "protect", "quote_groups_allowed",
           "redact_text", "secondary_reason", "secondary_suppression"]
