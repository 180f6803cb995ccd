"""Writes for transfers of party activity, their letters, and members working away.

The procedures (Quy định 294-QĐ/TW; Hướng dẫn 12-HD/BTCTW, 2022):

- Official transfer inside the system: the competent committee issues an introduction
  letter (`transfer_issue`); the member is "in transfer" and still counted at the source;
  the receiving organization records the arrival (`transfer_receive`) and the official
  affiliation moves on that date. The member presents the letter within the policy's
  `transfer_present_working_days` of its date; the letter is issued within
  `transfer_start_working_days` of the job or move decision. Both deadlines are counted
  in working days (`tochuc.policy.calendar`).
- Official transfer out of the system (another province, abroad): done when issued; the
  member's status becomes "transferred away". In from outside (`transfer_receive_from_outside`):
  the receiver enters the other party's letter.
- Temporary transfer (`temporary_transfer_issue`): the member stays counted at home and is
  listed at the host for the period; returns by record (`temporary_transfer_return`) or on
  expiry (`temporary_transfers_expire`, run daily by `tochuc expire_temporary_transfers`).
- Members working away (`working_away_record`, `working_away_check`, `working_away_end`).

One module per procedure: `official` (letters inside and out of the system, receipts),
`outside` (received from outside, requests to receive), `temporary`, `working_away`; the
letters' numbers in `numbering`. Callers import from here.
"""

from .numbering import allocate_letter_number, letter_issuer, letter_number
from .official import refuse_stale, transfer_issue, transfer_receive
from .outside import (
    OutsideLetter,
    receive_request_confirm,
    receive_request_refuse,
    receive_request_withdraw,
    same_identity,
    transfer_receive_from_outside,
)
from .temporary import (
    check_temporary_period,
    temporary_transfer_issue,
    temporary_transfer_return,
    temporary_transfers_expire,
)
from .working_away import working_away_check, working_away_end, working_away_record

__all__ = [
    "OutsideLetter", "allocate_letter_number", "check_temporary_period", "letter_issuer",
    "letter_number", "receive_request_confirm", "receive_request_refuse",
    "receive_request_withdraw", "refuse_stale", "same_identity", "temporary_transfer_issue",
    "temporary_transfer_return", "temporary_transfers_expire", "transfer_issue",
    "transfer_receive", "transfer_receive_from_outside", "working_away_check",
    "working_away_end", "working_away_record",
]  # fmt: skip
