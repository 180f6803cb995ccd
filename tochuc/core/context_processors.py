from django.conf import settings
from django.utils import timezone


def app(request):
    return {
        "today": timezone.localdate(),
        "debug": settings.DEBUG,
    }
