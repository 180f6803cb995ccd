from datetime import date
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from tochuc.policy.models import PolicyVersion
from tochuc.policy.rules import policy_for, validate_params

pytestmark = pytest.mark.django_db


def test_the_rules_in_force_on_a_date_name_their_source():
    assert "294-QĐ/TW" in policy_for(date(2025, 7, 1)).source
    assert "24-QĐ/TW" in policy_for(date(2025, 6, 30)).source
    assert policy_for(date(2025, 7, 1)).cell_vote_fraction == Fraction(2, 3)


def test_an_administrators_change_applies_from_its_date_only():
    PolicyVersion.objects.create(
        effective_from=date(2026, 3, 1), source="Hướng dẫn thử", params={"probation_months": 18}
    )
    assert policy_for(date(2026, 2, 28)).probation_months == 12
    assert policy_for(date(2026, 3, 1)).probation_months == 18


def test_an_unknown_parameter_is_refused():
    with pytest.raises(ValidationError, match="Tham số không có"):
        validate_params({"tuoi_toi_da": 60})


def test_an_administrators_change_before_the_first_built_in_version_applies():
    PolicyVersion.objects.create(
        effective_from=date(1997, 1, 1), source="Điều lệ 1996", params={"probation_months": 12}
    )
    assert policy_for(date(2000, 1, 1)).source == "Điều lệ 1996"
    assert "2011" in policy_for(date(2011, 1, 19)).source


def _as_json(value):
    """A default as an administrator would write it in the JSON parameters."""
    if isinstance(value, tuple):
        return [_as_json(v) for v in value]
    if isinstance(value, bool | int | str):
        return value
    return str(value)  # Fraction "2/3", Decimal "70"


def test_every_default_written_as_json_reads_back_as_itself():
    from dataclasses import fields

    from tochuc.policy.rules import PARAMETERS, Policy

    defaults = {f.name: f.default for f in fields(Policy) if f.name in PARAMETERS}
    assert validate_params({name: _as_json(v) for name, v in defaults.items()}) == defaults


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"probation_months": "mười hai"}, "“probation_months” = 'mười hai': cần số nguyên."),
        ({"cell_vote_fraction": "hai phần ba"}, "cần phân số, ví dụ 2/3"),
        ({"party_age_deducts_transfer_gaps": "có"}, "cần true hoặc false"),
        ({"rating_member_criteria": [["Tư tưởng chính trị"]]}, "một cặp [chữ, số nguyên]"),
        ({"rating_good_from": "bảy mươi"}, "cần số (dấu chấm thập phân"),
    ],
)
def test_a_value_of_the_wrong_shape_is_refused_saying_what_it_should_be(params, says):
    with pytest.raises(ValidationError) as refused:
        validate_params(params)
    assert any(says in message for message in refused.value.messages)


def test_an_administrators_change_of_the_dues_rules_leaves_the_other_rules_alone():
    from tochuc.policy.dues import dues_policy_for

    PolicyVersion.objects.create(
        effective_from=date(2026, 6, 1), source="Hướng dẫn thu đảng phí (thử)",
        params={"dues_student_amount": 6000, "dues_retained_cell": "2/5"},
    )  # fmt: skip
    assert dues_policy_for(date(2026, 5, 1)).student_amount == 5000
    june = dues_policy_for(date(2026, 6, 1))
    assert (june.student_amount, june.retained_cell) == (6000, Fraction(2, 5))
    assert june.source == "Hướng dẫn thu đảng phí (thử)"
    assert "294-QĐ/TW" in policy_for(date(2026, 6, 1)).source
    assert validate_params({"dues_other_amount": 7000, "probation_months": 12}) == {
        "probation_months": 12
    }
