"""A merger carries the ended organization's agencies (with their quotas) and cadres to the
result."""

from datetime import date

import pytest

from tochuc.cadres import services
from tochuc.cadres.models import Agency, Cadre, StaffingQuota
from tochuc.organizations.services import organization_merge

pytestmark = pytest.mark.django_db


def test_a_merged_commune_hands_its_agencies_quotas_and_cadres_to_the_result(cast, cadre):
    agency = services.agency_create(organization=cast.sibling_commune, code="X02.VP",
                                    name="Văn phòng Đảng ủy xã Tân Bình")  # fmt: skip
    services.quota_set(agency=agency, year=2026, assigned=6, actual=6)
    binh = cadre("Lục Văn Bình", committee=cast.sibling_commune)

    organization_merge(sources=[cast.sibling_commune], into=cast.commune, on=date(2026, 5, 4))

    assert Agency.objects.get(pk=agency.pk).organization == cast.commune
    assert StaffingQuota.objects.get().agency.organization == cast.commune
    assert Cadre.objects.get(pk=binh.pk).committee == cast.commune
