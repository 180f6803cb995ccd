"""Thu hồi one distribution sent to the wrong subtree: its receipts go (read or not), the
correction says how many recipients and how many had read it, a recipient another
distribution still reaches keeps its receipt, the page previews before it withdraws, and a
distribution out of scope is not found."""

from datetime import date

import pytest
from django.urls import reverse

from tochuc.core.corrections import Grounds, history
from tochuc.core.models import AuditEntry
from tochuc.documents import corrections, selectors, services
from tochuc.documents.models import Distribution, Receipt

pytestmark = pytest.mark.django_db
WRONG_SUBTREE = Grounds("Gửi nhầm xã Tân Bình")


def sent(document, organization, on=date(2024, 6, 20)):
    return services.document_distribute(document=document, organization=organization, sent_on=on)


def test_withdrawing_a_distribution_removes_its_receipts_and_says_how_many_were_read(
    cast, users, directive_35
):
    wrong = sent(directive_35, cast.sibling_commune)
    right = sent(directive_35, cast.commune)
    services.receipt_mark_read(receipt=Receipt.objects.get(organization=cast.sibling_cell))
    corrections.distribution_withdraw(
        distribution=wrong, grounds=WRONG_SUBTREE, by=users.province_officer
    )
    assert list(Distribution.objects.all()) == [right]
    assert sorted(Receipt.objects.values_list("organization__code", flat=True)) == sorted(
        [cast.cell.code, cast.village_cell.code]
    )
    correction = history(wrong).get()
    assert correction.effects == [
        f"Thu hồi 35-CT/TW đã gửi đến {cast.sibling_commune.name}: xóa 1 nơi nhận (1 nơi đã đọc)."
    ]
    entry = AuditEntry.objects.get(action="tochuc.document_distribution.cancelled")
    assert entry.object_id == str(directive_35.pk)
    assert (
        selectors.receipts_of(document=directive_35, organization=cast.sibling_commune).count() == 0
    )


def test_a_recipient_that_a_wider_distribution_still_reaches_keeps_its_receipt(
    cast, users, directive_35
):
    to_commune = sent(directive_35, cast.commune)
    services.receipt_mark_read(receipt=Receipt.objects.get(organization=cast.cell))
    to_province = sent(directive_35, cast.province, on=date(2024, 6, 21))
    corrections.distribution_withdraw(
        distribution=to_commune, grounds=Grounds("Gửi trùng"), by=users.province_officer
    )
    kept = Receipt.objects.get(organization=cast.cell)
    assert (kept.distribution, kept.read_at is not None) == (to_province, True)
    assert history(to_commune).get().effects == [
        f"Thu hồi 35-CT/TW đã gửi đến {cast.commune.name}: xóa 0 nơi nhận (0 nơi đã đọc).",
        "2 nơi nhận vẫn giữ văn bản theo lần gửi khác.",
    ]


def test_the_page_previews_the_count_then_withdraws(client, cast, users, directive_35):
    wrong = sent(directive_35, cast.sibling_commune)
    client.force_login(users.province_officer)
    url = reverse(
        "documents:distribution_withdraw", args=[cast.province.code, directive_35.pk, wrong.pk]
    )
    data = {"mode": "cancelled", "reason": "Gửi nhầm xã Tân Bình"}
    preview = client.post(url, {**data, "action": "preview"})
    assert "xóa 1 nơi nhận (0 nơi đã đọc)" in preview.content.decode()
    assert Receipt.objects.count() == 1
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 302
    assert (Distribution.objects.count(), Receipt.objects.count()) == (0, 0)


def test_a_reason_is_required_beside_its_field(client, cast, users, directive_35):
    wrong = sent(directive_35, cast.sibling_commune)
    client.force_login(users.province_officer)
    url = reverse(
        "documents:distribution_withdraw", args=[cast.province.code, directive_35.pk, wrong.pk]
    )
    response = client.post(url, {"mode": "cancelled", "reason": "", "action": "save"})
    assert response.context["form"].errors["reason"] == ["Hãy ghi lý do sửa, hủy."]
    assert Distribution.objects.count() == 1


def test_the_detail_page_lists_the_distributions_with_their_withdraw_link(
    client, cast, users, directive_35
):
    wrong = sent(directive_35, cast.sibling_commune)
    client.force_login(users.province_officer)
    detail = client.get(reverse("documents:detail", args=[cast.province.code, directive_35.pk]))
    url = reverse(
        "documents:distribution_withdraw", args=[cast.province.code, directive_35.pk, wrong.pk]
    )
    assert list(detail.context["distributions"]) == [wrong]
    assert url in detail.content.decode()


def test_a_distribution_outside_the_subtree_is_not_found(client, cast, users, directive_35):
    to_sibling = sent(directive_35, cast.sibling_commune)
    client.force_login(users.commune_officer)
    url = reverse(
        "documents:distribution_withdraw", args=[cast.commune.code, directive_35.pk, to_sibling.pk]
    )
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"mode": "cancelled", "reason": "x", "action": "save"}).status_code == 404
    )
    assert Distribution.objects.count() == 1


def test_a_recipient_cannot_withdraw_what_the_level_above_sent_but_can_its_own_send(
    client, cast, users, directive_35
):
    from_province = sent(directive_35, cast.sibling_commune)
    client.force_login(users.sibling_officer)
    url = reverse(
        "documents:distribution_withdraw",
        args=[cast.sibling_commune.code, directive_35.pk, from_province.pk],
    )
    assert client.get(url).status_code == 404
    from_province.delete()
    forwarded = services.document_distribute(
        document=directive_35,
        organization=cast.sibling_commune,
        sent_on=date(2024, 6, 20),
        by=users.sibling_officer,
    )
    url = reverse(
        "documents:distribution_withdraw",
        args=[cast.sibling_commune.code, directive_35.pk, forwarded.pk],
    )
    assert client.get(url).status_code == 200
