from django.shortcuts import render
from django.utils.cache import patch_cache_control

from tochuc.lib import search


class NoStoreMiddleware:
    """Pages and files served to a signed-in user hold personal data: no cache may keep
    them (`Cache-Control: no-store`), neither the browser's nor a proxy's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or request.path.startswith("/dang-nhap/"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class RefusedQueryMiddleware:
    """A search query over the caps (tochuc.lib.search) that reached a selector without its
    view showing the message beside the box (an export, a link typed by hand) answers 400
    with the same Vietnamese message: never a 500, never a search for everything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, search.QueryTooLong):
            return render(request, "400.html", {"message": exception.message}, status=400)
        return None
