import pytest
from django.db import OperationalError

from tochuc.core import routers
from tochuc.core.routers import REPORTS_ALIAS, ReportsReplicaRouter, reading_reports
from tochuc.members.models import Member

router = ReportsReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """A "reports" database is configured (REPORTS_DATABASE_URL was set)."""
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    monkeypatch.setattr(routers, "replica_lag", lambda: 0.0)


def test_no_replica_is_configured_by_default():
    assert routers.replica_configured() is False


def test_reads_stay_on_the_primary_outside_a_report(replica):
    assert router.db_for_read(Member) is None


def test_report_reads_go_to_the_replica_when_one_is_configured(replica):
    with reading_reports():
        assert router.db_for_read(Member) == REPORTS_ALIAS
    assert router.db_for_read(Member) is None  # the context ended


def test_report_reads_stay_on_the_primary_without_a_replica():
    with reading_reports():
        assert router.db_for_read(Member) is None


def test_writes_and_migrations_never_go_to_the_replica(replica):
    with reading_reports():
        assert router.db_for_write(Member) is None
        assert router.allow_migrate(REPORTS_ALIAS, "members") is False
        assert router.allow_migrate("default", "members") is None


def test_nested_report_reads_restore_the_outer_state(replica):
    with reading_reports():
        with reading_reports():
            pass
        assert router.db_for_read(Member) == REPORTS_ALIAS
    assert router.db_for_read(Member) is None


def test_an_unreachable_replica_sends_report_reads_to_the_primary_with_a_notice(
    replica, monkeypatch
):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(routers, "replica_lag", unreachable)
    with reading_reports() as state:
        assert router.db_for_read(Member) == "default"
        assert state.fallback is True
        assert "không truy cập được" in state.notice()


def test_a_replica_behind_by_more_than_the_setting_gets_a_notice(replica, monkeypatch, settings):
    settings.REPORTS_REPLICA_MAX_LAG = 60
    monkeypatch.setattr(routers, "replica_lag", lambda: 95.4)
    with reading_reports() as state:
        assert router.db_for_read(Member) == REPORTS_ALIAS
        assert "chậm khoảng 95 giây" in state.notice()
    monkeypatch.setattr(routers, "replica_lag", lambda: 59.0)
    with reading_reports() as state:
        assert state.notice() == ""


def test_without_a_replica_there_is_nothing_to_say():
    with reading_reports() as state:
        assert state.notice() == ""
        assert state.fallback is False
