"""Background work of data quality: a scan (never in a request).

Safe to run twice: a scan already done is left as it is; a second scan of the same subtree
finds the same problems and pairs (only its own rows and score trend are added).
"""

from django_tasks import task

from .models import Scan


@task()
def run_scan(scan_id: int) -> int:
    from .scan import scan_run

    scan = Scan.objects.select_related("organization").get(pk=scan_id)
    if scan.state == Scan.State.DONE:
        return scan.problems
    try:
        scan_run(scan)
    except Exception as error:
        Scan.objects.filter(pk=scan_id).update(state=Scan.State.FAILED, error=str(error)[:2000])
        raise
    return scan.problems
