"""`tochuc db_worker` for the real-worker tests, run as `python -m tochuc.imports.tests.worker
[db_worker options]`. With TOCHUC_PAUSE_MARKER set, a write of organizations pauses once
its first rows are written (inside the import's transaction) and the marker file says so:
the moment the kill test kills the worker."""

import os
import sys
import time
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    django.setup()
    marker = os.environ.get("TOCHUC_PAUSE_MARKER")
    if marker:
        from tochuc.organizations.importing import OrganizationImporter

        apply = OrganizationImporter.apply

        def paused(self, plan, *, by=None, progress=None):
            def written(done: int, total: int) -> None:
                if progress is not None:
                    progress(done, total)
                if done >= 1 and by is not None and not Path(marker).exists():
                    from django.db import connection

                    if connection.in_atomic_block:  # the write or the dry run's rollback
                        Path(marker).write_text(str(os.getpid()))
                        time.sleep(600)

            return apply(self, plan, by=by, progress=written)

        OrganizationImporter.apply = paused
    from django.core.management import call_command

    call_command("db_worker", *sys.argv[1:])


if __name__ == "__main__":
    main()
