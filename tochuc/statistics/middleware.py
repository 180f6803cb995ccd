"""One snapshot reader per request: the summary table's freshness is resolved once per date
for a whole page (its report and every home-page panel), not once per figure."""

from .counts import one_reading

READS = ("GET", "HEAD")  # a request that writes may change what is fresh


class SnapshotReaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READS:
            return self.get_response(request)
        with one_reading():
            return self.get_response(request)
