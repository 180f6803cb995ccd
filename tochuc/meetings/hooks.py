"""What other apps learn from the meetings app, as plain functions they append in `ready()`.

- `planned`: `f(planned: PlannedMeeting, *, by)` after a meeting is called for a coming day
  (selfservice: the invitation to the cell's members who have an account).
"""

from collections.abc import Callable

planned: list[Callable] = []
