from django.utils.cache import patch_cache_control


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
