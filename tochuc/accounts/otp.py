"""Two-factor login (TOTP, RFC 6238) with django-otp: who needs it, devices, QR codes."""

import io
import re

from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from tochuc.core import audit

from .models import Grant
from .permissions import Role

DEVICE_NAME = "tochuc"


def is_system_admin(user) -> bool:
    """System administrators must use a second factor: the superuser flag, or an active
    grant of the administrator role."""
    if user.is_superuser:
        return True
    return Grant.objects.active_on(timezone.localdate()).filter(user=user, role=Role.ADMIN).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_needed(user) -> bool:
    return confirmed_device(user) is not None or is_system_admin(user)


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (the same one until it is confirmed, so that
    the QR code shown does not change on every page load)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (drawn here; no outside service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return mark_safe(svg.replace("<svg ", '<svg role="img" class="otp-qr" ', 1))


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps that cannot scan."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def token_matches(device: TOTPDevice, token: str) -> bool:
    """Check a 6-digit code against the device (django-otp throttles repeated failures and
    refuses a code already used)."""
    token = re.sub(r"\s", "", token or "")
    if not token.isdigit():
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device.verify_token(token)


@transaction.atomic
def device_confirm(*, device: TOTPDevice, token: str, by) -> bool:
    if not token_matches(device, token):
        return False
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    audit.record("tochuc.auth.totp_enrolled", by=by, obj=device.user)
    return True


@transaction.atomic
def devices_remove(*, user, by) -> int:
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    audit.record("tochuc.auth.totp_removed", by=by, obj=user)
    return count
