"""Organization search treats the words staff use for one another as the same word:
"Đảng ủy xã Thiện Tân" finds "Đảng bộ xã Thiện Tân" (lib/vntext.py SYNONYMS)."""

from django.urls import reverse

from tochuc.organizations.models import Kind
from tochuc.testing import found


def _names(client, text):
    response = client.get(reverse("organizations:search"), {"q": text})
    return [organization.name for organization in response.context["page"]]


def test_the_words_staff_use_find_the_recorded_names(client, cast, users):
    found("T01.X03", "Đảng bộ xã Thiện Tân", Kind.COMMUNE, cast.province)
    found("T01.P04", "Đảng bộ phường Đông Kinh", Kind.COMMUNE, cast.province)
    found("T01.TP", "Đảng bộ thành phố Lạng Sơn", Kind.COMMUNE, cast.province)
    found("T01.X03.CB", "Chi bộ thôn Làng Cóc", Kind.BASE_CELL, cast.province)
    found("T01.KCQ", "Đảng ủy Khối cơ quan tỉnh", Kind.BLOC, cast.province)
    client.force_login(users.province_officer)
    assert _names(client, "Đảng ủy xã Thiện Tân") == ["Đảng bộ xã Thiện Tân"]
    assert _names(client, "dang uy xa thien tan") == ["Đảng bộ xã Thiện Tân"]
    assert _names(client, "P. Đông Kinh") == ["Đảng bộ phường Đông Kinh"]
    assert _names(client, "tp Lạng Sơn") == ["Đảng bộ thành phố Lạng Sơn"]
    assert _names(client, "chi ủy thôn Làng Cóc") == ["Chi bộ thôn Làng Cóc"]
    assert _names(client, "đảng ủy xã Tân An") == ["Đảng bộ xã Tân An"]
    # And the other way round.
    assert _names(client, "Đảng bộ Khối cơ quan") == ["Đảng ủy Khối cơ quan tỉnh"]


def test_a_synonym_does_not_widen_an_unrelated_search(client, cast, users):
    client.force_login(users.province_officer)
    assert _names(client, "Đảng ủy xã Thiện Tân") == []
    assert _names(client, "xã Tân") == ["Đảng bộ xã Tân An", "Đảng bộ xã Tân Bình"]
