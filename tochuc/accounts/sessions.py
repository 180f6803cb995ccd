"""The session engine: Django's database sessions, the session of a request read by a query
compiled once (`lib.prepared`) instead of at every request. Everything else is Django's:
the same table, the same expiry, a logout or `services.sessions_end` deletes the row and the
next request finds no session."""

from datetime import UTC, datetime

from django.contrib.sessions.backends import db
from django.utils import timezone

from tochuc.lib.prepared import Prepared

FIELDS = ["session_key", "session_data", "expire_date"]


def _session(key: str, now: datetime):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=key, expire_date__gt=now).values_list(*FIELDS)


_SESSION = Prepared(
    _session, key="prepared-sample-session-key", now=datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """Django's read (the unexpired session of this key, or none and the key
        forgotten), compiled once."""
        rows = _SESSION.rows(key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        return self.model.from_db("default", FIELDS, rows[0])
