"""What other apps learn from the document registry, as plain functions they append in
`ready()`.

- `distributed`: `f(distribution, *, recipients: list[Organization], by)` after a document is
  sent to an organization's subtree (selfservice: the cells' members with an account are told).
"""

from collections.abc import Callable

distributed: list[Callable] = []
