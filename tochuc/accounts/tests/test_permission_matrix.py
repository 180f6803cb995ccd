"""The permission matrix: every URL × role × target → the status the gate must answer.

Anonymous → 302 to the login page; out of scope or missing → 404 (no existence leak);
in scope without the permission → 403; allowed → 200. The expectation is computed from
rules (the permission the view declares, the role's permissions, the role's subtree
written out by hand from the cast) and checked against rows spelled out by hand, so the
matrix cannot pass by construction. A URL pattern that nobody classified fails the
coverage test (deny by default).
"""

import io
from dataclasses import dataclass, field
from datetime import date

import openpyxl
import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tochuc.accounts.permissions import (
    ADMINISTER,
    ANSWER_REQUESTS,
    CHANGE_CANDIDATES,
    CHANGE_COMMITTEES,
    CHANGE_MEMBERS,
    CHANGE_ORGANIZATIONS,
    COLLECT_DUES,
    CONCEALED,
    DECIDE_ADMISSIONS,
    DECIDE_RATINGS,
    EXPORT,
    IMPORT,
    MANAGE_CADRES,
    MANAGE_DOCUMENTS,
    MANAGE_MEMBER_ACCOUNTS,
    MANAGE_PROGRAMMES,
    RATE,
    RECEIVE_DOCUMENTS,
    RECORD_MEETINGS,
    REPORT_PROGRESS,
    ROLE_PERMISSIONS,
    SELF_SERVICE,
    VIEW,
    VIEW_CADRES,
    Role,
)
from tochuc.admissions.services import candidate_identify
from tochuc.cadres.services import cadre_create, planned_position_create
from tochuc.ratings.services import rating_session_open
from tochuc.testing import (
    MEMBER_ROLES,
    ROLES_BY_NAME,
    build_cast,
    citizen_id_for,
    member_account,
    register,
)

# ---------------------------------------------------------------- what is classified


@dataclass(frozen=True)
class Endpoint:
    """A URL's declared permission, and the status each method answers when allowed.

    POST is sent with an empty body: the gate must answer before any validation.
    """

    permission: str
    allowed: dict[str, int] = field(default_factory=lambda: {"GET": 200})
    kwargs: dict[str, str] = field(default_factory=dict)  # fixed URL kwargs besides `code`


CHANGE = {"GET": 200, "POST": 200}  # an event form: shown, or shown again with its errors

# Views on one organization (URL kwarg `code`).
ORGANIZATION_URLS = {
    "organizations:detail": Endpoint(VIEW),
    "organizations:tree_children": Endpoint(VIEW),
    "organizations:found": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
    "organizations:rename": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
    "organizations:move": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
    "organizations:merge": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
    "organizations:split": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
    "organizations:dissolve": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
    # Sửa / Hủy the organization's latest event (its founding, in the cast).
    "organizations:correct_event": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
}

# The tenant reaches every view in one form, the path (`to-chuc/<code>/`).
ORGANIZATION_URLS.update(
    {
        "members:add": Endpoint(CHANGE_MEMBERS, CHANGE),
        "members:count": Endpoint(VIEW),
    }
)
# Old bookmarks that named the organization in the query (`?to_chuc=CODE`): the gate answers
# as on the page, and an allowed caller is sent (302) to the page with the code in its path.
BY_QUERY = {
    "transfers:transfers_by_query": "transfers:transfers",
    "transfers:working_away_by_query": "transfers:working_away_list",
}
ORGANIZATION_URLS.update({name: Endpoint(VIEW, {"GET": 302}) for name in BY_QUERY})
# The dashboard of one organization (the home page's `?org=CODE` redirects here).
ORGANIZATION_URLS["home_organization"] = Endpoint(VIEW)

# Views on one member (URL kwarg `pk`): a member of a cell of the cast, or none.
MEMBER_URLS = {
    "members:detail": Endpoint(VIEW),
    "members:edit": Endpoint(CHANGE_MEMBERS, CHANGE),
    "members:confirm": Endpoint(CHANGE_MEMBERS, CHANGE),
    "members:exempt": Endpoint(CHANGE_MEMBERS, CHANGE),
    "transfers:transfer": Endpoint(CHANGE_MEMBERS, CHANGE),
    "members:exit": Endpoint(CHANGE_MEMBERS, CHANGE),
}

# Views over the caller's whole scope (lists, search, autocomplete, exports, imports).
ORGANIZATIONS_IMPORTER = {"name": "organizations"}
SCOPED_URLS = {
    "home": Endpoint(None),  # any signed-in user: the dashboard of their organization
    "organizations:search": Endpoint(VIEW),
    "organizations:picker": Endpoint(VIEW),
    "organizations:export": Endpoint(EXPORT),
    "members:list": Endpoint(VIEW),
    "members:export": Endpoint(EXPORT),
    "imports:index": Endpoint(IMPORT),
    "imports:template": Endpoint(IMPORT, kwargs=ORGANIZATIONS_IMPORTER),
    # An empty upload is shown again with its error.
    "imports:upload": Endpoint(IMPORT, {"GET": 200, "POST": 200}, ORGANIZATIONS_IMPORTER),
    # A job nobody started (jobs are their uploader's alone: tochuc/imports/tests).
    "imports:status": Endpoint(
        IMPORT, {"GET": 404, "POST": 405}, {**ORGANIZATIONS_IMPORTER, "token": "x" * 43}
    ),
    # POST only; an empty confirmation names no job of this user.
    "imports:confirm": Endpoint(IMPORT, {"GET": 405, "POST": 404}, ORGANIZATIONS_IMPORTER),
    "imports:cancel": Endpoint(IMPORT, {"GET": 405, "POST": 302}, ORGANIZATIONS_IMPORTER),
    # POST only; an empty request names no job of this user.
    "imports:rerun": Endpoint(IMPORT, {"GET": 405, "POST": 404}, ORGANIZATIONS_IMPORTER),
}

# Reports (tochuc/reports): the page over the scope; a download on one organization
# (no query: the membership report at today, as XLSX).
SCOPED_URLS["reports:index"] = Endpoint(VIEW)
SCOPED_URLS["reports:download_national"] = Endpoint(ADMINISTER)
ORGANIZATION_URLS["reports:download"] = Endpoint(EXPORT)

# Admissions (tochuc/admissions): pages on an organization, on a probationary member's
# confirmation (the matrix's members are full: the pages say so), over the scope, and on one
# candidate (a candidate identified in each cell of the cast, as the members are).
ORGANIZATION_URLS.update(
    {
        "admissions:list": Endpoint(VIEW),
        "admissions:export": Endpoint(EXPORT),
        "admissions:add": Endpoint(CHANGE_CANDIDATES, CHANGE),
        "admissions:targets": Endpoint(DECIDE_ADMISSIONS, CHANGE),
        "admissions:report_targets": Endpoint(VIEW),
        "admissions:report_targets_xlsx": Endpoint(EXPORT),
        "admissions:report_pipeline": Endpoint(VIEW),
        "admissions:report_pipeline_xlsx": Endpoint(EXPORT),
    }
)
MEMBER_URLS.update(
    {
        "admissions:confirmation": Endpoint(VIEW),
        "admissions:confirmation_vote": Endpoint(CHANGE_CANDIDATES, CHANGE),
        "admissions:confirmation_decide": Endpoint(DECIDE_ADMISSIONS, CHANGE),
        "admissions:confirmation_docx": Endpoint(EXPORT),
        # Sửa / Hủy the cell's latest vote: the matrix's members have none (found by the
        # gate, then not found); tochuc/admissions/tests/test_corrections.py shows the page.
        "admissions:correct_confirmation_vote": Endpoint(
            CHANGE_CANDIDATES, {"GET": 404, "POST": 404}
        ),
        # Sửa / Hủy the committee's decision: none in the matrix either;
        # tochuc/admissions/tests/test_corrections_member.py shows the page.
        "admissions:correct_confirmation_decision": Endpoint(
            DECIDE_ADMISSIONS, {"GET": 404, "POST": 404}
        ),
    }
)
SCOPED_URLS["admissions:due"] = Endpoint(VIEW)
CANDIDATE_URLS = {
    "admissions:detail": Endpoint(VIEW),
    "admissions:decision_docx": Endpoint(EXPORT),
    # The candidate has just been identified: the course is the step to record …
    "admissions:step": Endpoint(CHANGE_CANDIDATES, CHANGE, {"step": "khoa-hoc"}),
    # … and the decision is not yet: back to the candidate's page.
    "admissions:decide": Endpoint(DECIDE_ADMISSIONS, {"GET": 302, "POST": 302},
                                  {"step": "quyet-dinh"}),
    # Sửa / Hủy its latest step (the identification).
    "admissions:correct_step": Endpoint(CHANGE_CANDIDATES, CHANGE),
}  # fmt: skip

# Transfers (tochuc/members): a member's letters, working away and re-admission (the
# matrix's members are active: the re-admission form says they are not out); an
# organization's transfers (`to-chuc/<code>/`); one transfer (URL kwarg `pk`, see
# TRANSFER_TARGETS), seen by both sides and by nobody else.
MEMBER_URLS.update(
    {
        "transfers:temporary": Endpoint(CHANGE_MEMBERS, CHANGE),
        "transfers:working_away": Endpoint(CHANGE_MEMBERS, CHANGE),
        "members:readmit": Endpoint(CHANGE_MEMBERS, CHANGE),
        # Without ?su_kien: the member's acts to correct (a POST shows them again).
        "members:timeline_correct": Endpoint(CHANGE_MEMBERS, CHANGE),
    }
)
ORGANIZATION_URLS.update(
    {
        "transfers:transfers": Endpoint(VIEW),
        "transfers:transfers_export": Endpoint(EXPORT),
        "transfers:receive_from_outside": Endpoint(CHANGE_MEMBERS, CHANGE),
        "transfers:working_away_list": Endpoint(VIEW),
    }
)
TRANSFER_URLS = {
    "transfers:transfer_detail": Endpoint(VIEW),
    # Shown (or shown again with its errors, or saying the transfer is not waiting for it).
    "transfers:transfer_receive": Endpoint(CHANGE_MEMBERS, CHANGE),
    "transfers:transfer_return": Endpoint(CHANGE_MEMBERS, CHANGE),
    "transfers:letter_docx": Endpoint(VIEW),
    "transfers:letter_pdf": Endpoint(VIEW),
}
# Where the permission is needed: receiving at the destination, a return at the source;
# the others at either side in scope.
TRANSFER_SIDES = {"transfers:transfer_receive": 1, "transfers:transfer_return": 0}
# Requests to receive from outside a member whose record is kept elsewhere (issue 17): the
# list over the scope; one request (URL kwarg `pk`, see RECEIVE_REQUEST_TARGETS), seen by the
# receiving side and the side that keeps the record; deciding it only by the latter (404
# for anyone else, the receiver included), withdrawing it only by the receiving side (404
# for anyone else, the keeper included). GET of either goes back to the request; an empty
# POST is shown again with its error.
SCOPED_URLS["transfers:receive_requests"] = Endpoint(VIEW)
RECEIVE_REQUEST_URLS = {
    "transfers:receive_request": Endpoint(VIEW),
    "transfers:receive_request_decide": Endpoint(CHANGE_MEMBERS, {"GET": 302, "POST": 200}),
    "transfers:receive_request_withdraw": Endpoint(CHANGE_MEMBERS, {"GET": 302, "POST": 200}),
}

# Outside the gate; each is checked by its own test below.
PUBLIC_URLS = {"login", "logout", "password_change", "password_change_done"}
# The second login step (only with a password accepted a moment ago) and one's own second
# factor (any signed-in user): tochuc/accounts/tests/test_two_factor.py.
PUBLIC_URLS |= {"accounts:otp_verify", "accounts:otp_enrol", "accounts:two_factor"}

# The audit viewer (tochuc/core): system administrators only.
SCOPED_URLS["audit:list"] = Endpoint(ADMINISTER)
SCOPED_URLS["audit:export"] = Endpoint(ADMINISTER)

# Supervision, inspection and discipline (tochuc/inspections): pages on an organization (the
# empty POSTs are shown again with their errors); the navigation's entry redirects to the
# user's organization.
ORGANIZATION_URLS.update(
    {
        "inspections:list": Endpoint(VIEW),
        "inspections:export": Endpoint(EXPORT),
        "inspections:add": Endpoint(CHANGE_MEMBERS, CHANGE),
        "inspections:member_picker": Endpoint(VIEW),
        "inspections:counts": Endpoint(VIEW),
        "inspections:counts_xlsx": Endpoint(EXPORT),
        "inspections:summary_docx": Endpoint(EXPORT),
        "inspections:disciplines": Endpoint(VIEW),
        "inspections:disciplines_export": Endpoint(EXPORT),
        "inspections:discipline_member": Endpoint(CHANGE_MEMBERS, CHANGE),
        "inspections:discipline_organization": Endpoint(CHANGE_ORGANIZATIONS, CHANGE),
        # Sửa / Hủy the latest record: the cast has none (found by the gate, then not found);
        # tochuc/inspections/tests/test_corrections.py shows the pages.
        "inspections:correct": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "inspections:discipline_correct": Endpoint(CHANGE_ORGANIZATIONS, {"GET": 404, "POST": 404}),
        "inspections:member_discipline_correct": Endpoint(
            CHANGE_MEMBERS, {"GET": 404, "POST": 404}
        ),
    }
)
SCOPED_URLS["inspections:index"] = Endpoint(VIEW, {"GET": 302})

# Quality rating and votes of confidence (tochuc/ratings): pages on an organization (with no
# `?ky=`, the latest session covering it: the province's, in the matrix), a member's history,
# the navigation's entry, and one rated subject (each cell's member in the province's 2025
# session, by the cell, as candidates are).
ORGANIZATION_URLS.update(
    {
        "ratings:list": Endpoint(VIEW),
        "ratings:open": Endpoint(DECIDE_RATINGS, CHANGE),
        "ratings:subjects": Endpoint(VIEW),
        "ratings:results": Endpoint(VIEW),
        "ratings:results_xlsx": Endpoint(EXPORT),
        "ratings:results_docx": Endpoint(EXPORT),
        "ratings:screening": Endpoint(VIEW),
        "ratings:votes": Endpoint(VIEW),
        "ratings:votes_xlsx": Endpoint(EXPORT),
        "ratings:vote_add": Endpoint(DECIDE_RATINGS, CHANGE),
        # Sửa / Hủy the latest vote of confidence: the cast has none (found by the gate,
        # then not found); tochuc/ratings/tests/test_corrections.py shows the page.
        "ratings:correct_vote": Endpoint(DECIDE_RATINGS, {"GET": 404, "POST": 404}),
    }
)
MEMBER_URLS["ratings:member"] = Endpoint(VIEW)
SCOPED_URLS["ratings:index"] = Endpoint(VIEW)
RATING_SUBJECT_URLS = {
    # The subject has not assessed itself yet: that is the step to record …
    "ratings:step": Endpoint(RATE, CHANGE, {"step": "tu-danh-gia"}),
    # … and the decision is not yet: back to the session's list.
    "ratings:decide": Endpoint(DECIDE_RATINGS, {"GET": 302, "POST": 302}),
    # Sửa / Hủy its decision: shown (the service refuses an undecided one on preview).
    "ratings:correct_decision": Endpoint(DECIDE_RATINGS, CHANGE),
}

# Dues (tochuc/dues): an organization's month, its cell's collection page (the empty POST
# is shown the page again with its refusal), arrears and their exports; a member's dues and
# its two forms; the navigation's entry.
ORGANIZATION_URLS.update(
    {
        "dues:overview": Endpoint(VIEW),
        "dues:overview_export": Endpoint(EXPORT),
        "dues:roll": Endpoint(VIEW),
        "dues:collect": Endpoint(COLLECT_DUES, CHANGE),
        "dues:roll_export": Endpoint(EXPORT),
        "dues:arrears": Endpoint(VIEW),
        "dues:arrears_export": Endpoint(EXPORT),
    }
)
MEMBER_URLS.update(
    {
        "dues:member": Endpoint(VIEW),
        "dues:member_basis": Endpoint(COLLECT_DUES, CHANGE),
        "dues:member_relief": Endpoint(COLLECT_DUES, CHANGE),
    }
)
SCOPED_URLS["dues:index"] = Endpoint(VIEW, {"GET": 302})

# The document registry (tochuc/documents): pages on an organization; a document's pages
# name one (`pk`) that does not exist, so the allowed answer is 404 (the gate answers first);
# tochuc/documents/tests show them with documents.
NO_DOCUMENT = {"pk": "987654321"}
ORGANIZATION_URLS.update(
    {
        "documents:list": Endpoint(VIEW),
        "documents:export": Endpoint(EXPORT),
        "documents:register": Endpoint(MANAGE_DOCUMENTS, CHANGE),
        "documents:issue": Endpoint(MANAGE_DOCUMENTS, CHANGE),
        "documents:detail": Endpoint(VIEW, {"GET": 404}, NO_DOCUMENT),
        "documents:link": Endpoint(MANAGE_DOCUMENTS, {"GET": 404, "POST": 404}, NO_DOCUMENT),
        "documents:distribute": Endpoint(MANAGE_DOCUMENTS, {"GET": 404, "POST": 404}, NO_DOCUMENT),
        "documents:attach": Endpoint(MANAGE_DOCUMENTS, {"GET": 404, "POST": 404}, NO_DOCUMENT),
        "documents:attachment": Endpoint(VIEW, {"GET": 404}, {**NO_DOCUMENT, "file": "1"}),
        "documents:read": Endpoint(RECEIVE_DOCUMENTS, {"GET": 405, "POST": 404}, NO_DOCUMENT),
    }
)
SCOPED_URLS["documents:index"] = Endpoint(VIEW, {"GET": 302})
SCOPED_URLS["programmes:index"] = Endpoint(VIEW, {"GET": 302})

# Action programmes and the monthly briefing (tochuc/programmes): a month with no briefing
# is not found (404) once the gate lets the caller in; generating is POST only (an empty
# POST names no month: back to the list).
NO_BRIEFING = {"month": "2020-01"}
ORGANIZATION_URLS.update(
    {
        "programmes:list": Endpoint(VIEW),
        "programmes:briefings": Endpoint(VIEW),
        "programmes:briefing_generate": Endpoint(MANAGE_PROGRAMMES, {"GET": 405, "POST": 404}),
        "programmes:briefing": Endpoint(VIEW, {"GET": 404}, NO_BRIEFING),
        "programmes:briefing_save": Endpoint(
            MANAGE_PROGRAMMES, {"GET": 405, "POST": 404}, NO_BRIEFING
        ),
        "programmes:briefing_docx": Endpoint(EXPORT, {"GET": 404}, NO_BRIEFING),
        "programmes:add": Endpoint(MANAGE_PROGRAMMES, CHANGE),
        "programmes:export": Endpoint(EXPORT),
        "programmes:task_add": Endpoint(
            MANAGE_PROGRAMMES, {"GET": 404, "POST": 404}, {"pk": "987654321"}
        ),
        # A task that does not exist (tochuc/programmes/tests show the page).
        "programmes:progress": Endpoint(
            REPORT_PROGRESS, {"GET": 404, "POST": 404}, {"pk": "987654321"}
        ),
    }
)
# Cell meetings (tochuc/meetings): pages on an organization. The record page on a committee
# lists its cells, on a cell shows the roll (an empty POST is shown again with its errors);
# one meeting and its Sửa / Hủy: the cast has none (found by the gate, then not found;
# tochuc/meetings/tests/test_views.py shows the pages); the navigation's entry redirects.
ORGANIZATION_URLS.update(
    {
        "meetings:list": Endpoint(VIEW),
        "meetings:export": Endpoint(EXPORT),
        "meetings:record": Endpoint(RECORD_MEETINGS, CHANGE),
        "meetings:detail": Endpoint(VIEW, {"GET": 404}),
        "meetings:correct": Endpoint(RECORD_MEETINGS, {"GET": 404, "POST": 404}),
        "meetings:due": Endpoint(VIEW),
        "meetings:due_export": Endpoint(EXPORT),
        "meetings:figures": Endpoint(VIEW),
        "meetings:figures_export": Endpoint(EXPORT),
        "meetings:absentees": Endpoint(VIEW),
    }
)
SCOPED_URLS["meetings:index"] = Endpoint(VIEW, {"GET": 302})

# Committees, terms and congresses (tochuc/committees): pages on an organization (the cast
# has no committee: the post forms say so, GET and POST alike), a member's posts, the due
# lists over the scope, and the navigation's entry (redirects to the user's organization).
ORGANIZATION_URLS.update(
    {
        "committees:committee": Endpoint(VIEW),
        "committees:form": Endpoint(CHANGE_COMMITTEES, CHANGE),
        "committees:post_begin": Endpoint(CHANGE_COMMITTEES, CHANGE),
        "committees:post_end": Endpoint(CHANGE_COMMITTEES, CHANGE),
        "committees:congresses": Endpoint(VIEW),
        "committees:congress_record": Endpoint(CHANGE_COMMITTEES, CHANGE),
    }
)
MEMBER_URLS["committees:member"] = Endpoint(VIEW)
SCOPED_URLS["committees:index"] = Endpoint(VIEW, {"GET": 302})
SCOPED_URLS["committees:due"] = Endpoint(VIEW)
# Data quality (tochuc/quality): pages on an organization; one pair or proposal of it (the
# cast has none: found by the gate, then not found; tochuc/quality/tests show the pages);
# POST-only actions (an empty proposal is shown again with its error; a scan is queued);
# the navigation's entry redirects to the user's organization; a member's open pairs are
# listed.
ORGANIZATION_URLS.update(
    {
        "quality:overview": Endpoint(VIEW),
        "quality:scan": Endpoint(CHANGE_MEMBERS, {"GET": 405, "POST": 200}),
        "quality:problems": Endpoint(VIEW),
        "quality:problems_xlsx": Endpoint(EXPORT),
        "quality:pairs": Endpoint(VIEW),
        "quality:pair": Endpoint(VIEW, {"GET": 404}, {"pk": "987654321"}),
        "quality:pair_merge": Endpoint(
            CHANGE_MEMBERS, {"GET": 405, "POST": 404}, {"pk": "987654321"}
        ),
        "quality:pair_not_same": Endpoint(
            CHANGE_MEMBERS, {"GET": 405, "POST": 404}, {"pk": "987654321"}
        ),
        # A member entered again as a candidate: the candidate's process stopped (the
        # cast has no pair).
        "quality:pair_withdraw": Endpoint(
            CHANGE_MEMBERS, {"GET": 405, "POST": 404}, {"pk": "987654321"}
        ),
        "quality:screening": Endpoint(VIEW),
        "quality:propose": Endpoint(CHANGE_MEMBERS, {"GET": 405, "POST": 200}),
        "quality:decide": Endpoint(CHANGE_MEMBERS, {"GET": 405, "POST": 404}, {"pk": "987654321"}),
        "quality:campaigns": Endpoint(VIEW),
        "quality:campaign_add": Endpoint(CHANGE_MEMBERS, CHANGE),
        "quality:campaign": Endpoint(VIEW, {"GET": 404}, {"pk": "987654321"}),
    }
)
SCOPED_URLS["quality:index"] = Endpoint(VIEW, {"GET": 302})
MEMBER_URLS["quality:member_pairs"] = Endpoint(VIEW)
# Cadre work (tochuc/cadres): pages on an organization, on one cadre record and on one
# planned position (a cadre and a position managed by each cell of the cast, as members
# are). Without cadre rights (CONCEALED) the gate answers 404, never 403: of the cast's
# roles only the administrator holds them (tochuc/cadres/tests/test_views.py: a cadre
# officer's own subtree).
ORGANIZATION_URLS.update(
    {
        "cadres:list": Endpoint(VIEW_CADRES),
        "cadres:export": Endpoint(VIEW_CADRES),
        "cadres:add": Endpoint(MANAGE_CADRES, CHANGE),
        "cadres:due": Endpoint(VIEW_CADRES),
        "cadres:retirements": Endpoint(VIEW_CADRES),
        "cadres:planning": Endpoint(VIEW_CADRES),
        "cadres:staffing": Endpoint(VIEW_CADRES),
    }
)
SCOPED_URLS["cadres:index"] = Endpoint(VIEW_CADRES, {"GET": 302})
CADRE_URLS = {
    "cadres:detail": Endpoint(VIEW_CADRES),
    "cadres:appoint": Endpoint(MANAGE_CADRES, CHANGE),
    "cadres:rotate": Endpoint(MANAGE_CADRES, CHANGE),
    "cadres:train": Endpoint(MANAGE_CADRES, CHANGE),
    # The cast's cadres have no appointment (found by the gate, then not found);
    # tochuc/cadres/tests/test_views.py prints one.
    "cadres:appointment_docx": Endpoint(VIEW_CADRES, {"GET": 404}),
    # Sửa / Hủy of the record; of an item of it (the cast's cadres have none: found by the
    # gate, then the item not found — tochuc/cadres/tests/test_corrections.py corrects them).
    "cadres:correct": Endpoint(MANAGE_CADRES, CHANGE),
    **{
        name: Endpoint(MANAGE_CADRES, {"GET": 404, "POST": 404}, {"item": "987654321"})
        for name in (
            "cadres:position_correct",
            "cadres:appointment_correct",
            "cadres:planning_cancel",
            "cadres:planning_remove",
            "cadres:rotation_correct",
            "cadres:rotation_return",
            "cadres:training_correct",
        )
    },  # fmt: skip
}
PLANNED_POSITION_URLS = {
    "cadres:planning_list": Endpoint(VIEW_CADRES),
    "cadres:planning_export": Endpoint(VIEW_CADRES),
    "cadres:planning_docx": Endpoint(VIEW_CADRES),
    "cadres:planning_add": Endpoint(MANAGE_CADRES, CHANGE),
    "cadres:planned_position_correct": Endpoint(MANAGE_CADRES, CHANGE),
}
# Committees (continued): Sửa / Hủy of a post or a congress, the confirmation of a
# congress's results and its delegates to the congress above: the object is named in the
# query (?chuc_vu=, ?dai_hoi=); the matrix names none, so the gate lets the user in and the
# page finds nothing (404).
ORGANIZATION_URLS.update(
    {
        "committees:post_correct": Endpoint(CHANGE_COMMITTEES, {"GET": 404, "POST": 404}),
        "committees:congress_correct": Endpoint(CHANGE_COMMITTEES, {"GET": 404, "POST": 404}),
        "committees:congress_confirm": Endpoint(CHANGE_COMMITTEES, {"GET": 404, "POST": 404}),
        "committees:congress_delegates": Endpoint(CHANGE_COMMITTEES, {"GET": 404, "POST": 404}),
    }
)

# The JSON API (tochuc/api): a bearer token, never a session, so it stands outside the
# session matrix. Each operation answers 401 without a token (below); with one, the token
# user's scope and permissions hold (tochuc/api/tests, schemathesis for every role of the
# cast). The schema and its documentation page are public: they describe, hold no data.
API_OPERATIONS = {
    "api-v1:api-root", "api-v1:organization_tree", "api-v1:organization_detail",
    "api-v1:member_list", "api-v1:member_create", "api-v1:member_detail",
    "api-v1:member_correct", "api-v1:member_event", "api-v1:member_transfer_issue",
    "api-v1:transfer_receive", "api-v1:report_list", "api-v1:report_dataset",
    "api-v1:my_record",
}  # fmt: skip
PUBLIC_URLS |= API_OPERATIONS | {"api-v1:openapi-json", "api-v1:openapi-view"}
# One's own API tokens (any signed-in user; a token carries its user's grants): the page,
# and the revocation of one's own token (another's is not found): tochuc/api/tests.
PUBLIC_URLS |= {"api:tokens", "api:token_revoke"}
# Party badges and commendations (tochuc/awards): pages on an organization (the empty POSTs
# are shown again with their errors; one case's pages name no case of the cast: found by the
# gate, then not found; tochuc/awards/tests show them), the early or posthumous proposal on
# a member, the navigation's entry.
ORGANIZATION_URLS.update(
    {
        "awards:due": Endpoint(VIEW),
        "awards:due_export": Endpoint(EXPORT),
        "awards:propose": Endpoint(CHANGE_MEMBERS, CHANGE),
        "awards:cases": Endpoint(VIEW),
        "awards:cases_export": Endpoint(EXPORT),
        "awards:decide": Endpoint(CHANGE_MEMBERS, CHANGE),
        "awards:award": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "awards:reissue": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "awards:take_back": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "awards:withdraw": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "awards:correct": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "awards:proposal_docx": Endpoint(EXPORT),
        "awards:decision_docx": Endpoint(EXPORT),
        "awards:commendations": Endpoint(VIEW),
        "awards:commendations_export": Endpoint(EXPORT),
        "awards:commendation_add": Endpoint(CHANGE_MEMBERS, CHANGE),
        "awards:candidates": Endpoint(VIEW),
        "awards:commendation_cancel": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "awards:commendation_correct": Endpoint(CHANGE_MEMBERS, {"GET": 404, "POST": 404}),
        "awards:commendation_proposal_docx": Endpoint(EXPORT),
        "awards:commendation_decision_docx": Endpoint(EXPORT, {"GET": 404}),
    }
)
MEMBER_URLS["awards:propose_early"] = Endpoint(CHANGE_MEMBERS, CHANGE)
SCOPED_URLS["awards:index"] = Endpoint(VIEW, {"GET": 302})
# Sửa / Hủy of a member's dues basis or relief (the record named by ?ban_ghi=, none in the
# matrix: found by the gate, then not found; tochuc/dues/tests/test_corrections.py).
MEMBER_URLS["dues:basis_correct"] = Endpoint(COLLECT_DUES, {"GET": 404, "POST": 404})
MEMBER_URLS["dues:relief_correct"] = Endpoint(COLLECT_DUES, {"GET": 404, "POST": 404})

# Member self-service (tochuc/selfservice). The member's own pages: only the member role
# holds SELF_SERVICE, and everyone else (the administrator included) is answered 404; one
# document or request of the member names none that exists (found by the gate, then not
# found; tochuc/selfservice/tests show them); a new request's empty POST is shown again with
# its errors. The staff's: a member's account (an empty POST is shown again with its error),
# the queue of requests over the scope and its export, one request's answer (none in the
# cast: found by the gate, then not found). Public: the activation page (the one-time code),
# and the inbox of notifications of any signed-in user (one's own only:
# tochuc/notifications/tests).
NO_PK = {"pk": "987654321"}
SCOPED_URLS.update(
    {
        "selfservice:home": Endpoint(SELF_SERVICE),
        "selfservice:record": Endpoint(SELF_SERVICE),
        "selfservice:meetings": Endpoint(SELF_SERVICE),
        "selfservice:documents": Endpoint(SELF_SERVICE),
        "selfservice:document": Endpoint(SELF_SERVICE, {"GET": 404}, NO_PK),
        "selfservice:requests": Endpoint(SELF_SERVICE),
        "selfservice:request_new": Endpoint(SELF_SERVICE, CHANGE, {"kind": "sua-thong-tin"}),
        "selfservice:request_withdraw": Endpoint(SELF_SERVICE, {"GET": 405, "POST": 404}, NO_PK),
        "selfservice:queue": Endpoint(ANSWER_REQUESTS),
        "selfservice:queue_export": Endpoint(ANSWER_REQUESTS),
    }
)
MEMBER_URLS["selfservice:account"] = Endpoint(MANAGE_MEMBER_ACCOUNTS, CHANGE)
# The cell's calendar (tochuc/meetings): shown, or shown again with its errors (an empty
# POST; on a committee the service says only a cell calls its meetings).
ORGANIZATION_URLS["meetings:plan"] = Endpoint(RECORD_MEETINGS, CHANGE)
ORGANIZATION_URLS["selfservice:answer"] = Endpoint(
    ANSWER_REQUESTS, {"GET": 404, "POST": 404}, NO_PK
)
PUBLIC_URLS |= {
    "selfservice:activate", "notifications:inbox", "notifications:read_all",
    "notifications:open",
}  # fmt: skip
# Cell life (issue 21, the rest): Sửa / Hủy of documents, links, programme tasks and
# progress reports; a task's page; files of meetings and progress reports. The cast has none
# of them: found by the gate, then not found (404); tochuc/documents, meetings and
# programmes tests show the pages and the downloads.
NO_FILE = {"file": "987654321"}
ORGANIZATION_URLS.update(
    {
        "documents:correct": Endpoint(MANAGE_DOCUMENTS, {"GET": 404, "POST": 404}, NO_DOCUMENT),
        "documents:link_cancel": Endpoint(
            MANAGE_DOCUMENTS, {"GET": 404, "POST": 404}, {**NO_DOCUMENT, "link": "1"}
        ),
        "meetings:attach": Endpoint(RECORD_MEETINGS, {"GET": 404, "POST": 404}),
        "meetings:file": Endpoint(VIEW, {"GET": 404}, NO_FILE),
        "programmes:task": Endpoint(VIEW, {"GET": 404}, {"pk": "987654321"}),
        "programmes:task_correct": Endpoint(
            MANAGE_PROGRAMMES, {"GET": 404, "POST": 404}, {"pk": "987654321"}
        ),
        "programmes:progress_correct": Endpoint(
            REPORT_PROGRESS, {"GET": 404, "POST": 404}, {"pk": "987654321"}
        ),
        "programmes:progress_attach": Endpoint(
            REPORT_PROGRESS, {"GET": 404, "POST": 404}, {"pk": "987654321"}
        ),
        "programmes:file": Endpoint(VIEW, {"GET": 404}, NO_FILE),
        "meetings:file_remove": Endpoint(RECORD_MEETINGS, {"GET": 404, "POST": 404}, NO_FILE),
        "programmes:file_remove": Endpoint(REPORT_PROGRESS, {"GET": 404, "POST": 404}, NO_FILE),
    }
)
# Self-service, the rest of issue 23: an officer reopens an answered request (none in the
# cast: found by the gate, then not found); a member downloads a file of a document sent to
# their cell (none: not found; tochuc/selfservice/tests/test_document_files.py).
ORGANIZATION_URLS["selfservice:reopen"] = Endpoint(
    ANSWER_REQUESTS, {"GET": 404, "POST": 404}, NO_PK
)
SCOPED_URLS["selfservice:document_file"] = Endpoint(
    SELF_SERVICE, {"GET": 404}, {**NO_PK, **NO_FILE}
)
# Thu hồi one distribution of a document (issue 21): the cast has no document, so found by
# the gate, then not found; tochuc/documents/tests/test_distribution_withdraw.py shows it.
ORGANIZATION_URLS.update(
    {
        "documents:distribution_withdraw": Endpoint(
            MANAGE_DOCUMENTS, {"GET": 404, "POST": 404}, {**NO_DOCUMENT, "distribution": "1"}
        ),
    }
)
# Staffing on the web (tochuc/cadres/staffing_views.py): record a quota or a reduction for
# an agency, Sửa / Hủy of each and of the agency. The agency, quota or reduction is named in
# the query (?co_quan=, ?bien_che=, ?tinh_gian=); the matrix names none, so the gate lets
# the cadre officer in and the page finds nothing (404) — tochuc/cadres/tests/
# test_staffing_pages.py records and corrects them.
ORGANIZATION_URLS.update(
    {
        name: Endpoint(MANAGE_CADRES, {"GET": 404, "POST": 404})
        for name in (
            "cadres:quota_add",
            "cadres:reduction_add",
            "cadres:quota_correct",
            "cadres:reduction_correct",
            "cadres:agency_correct",
        )
    }
)

ADMIN_NAMESPACE = "admin"

# ---------------------------------------------------------------- who and where

# The member (tochuc/selfservice) comes last: a user linked to one member record of the cell,
# holding no grant, so every staff page answers 404 to them as to a stranger.
CAST_ROLES = {**ROLES_BY_NAME, **MEMBER_ROLES}
ROLES = [*ROLES_BY_NAME, "anonymous", *MEMBER_ROLES]
NO_GRANT = {"stranger", *MEMBER_ROLES}

# Targets, as seen from the commune officer: own node, a descendant, a sibling, an
# ancestor, another province, a code that does not exist.
TARGETS = {
    "own": "commune",
    "descendant": "cell",
    "sibling": "sibling_commune",
    "ancestor": "province",
    "other_province": "other_commune",
    "missing": None,
}
MISSING_CODE = "KHONG-CO-MA-NAY"

# Member targets, by the cell the member is in (as seen from the commune officer: a cell
# of their commune, a cell further down, a cell of the sibling commune), or no member.
MEMBER_TARGETS = {
    "in_commune": "village_cell",
    "in_descendant": "cell",
    "in_sibling": "sibling_cell",
    "missing": None,
}
MISSING_PK = 987654321

# Each grant's subtree, written out from the cast's picture (tochuc/testing.py), not
# computed from paths.
SUBTREE = {
    "province": {
        "province", "commune", "base", "cell", "village_cell", "sibling_commune",
        "sibling_cell",
    },
    "commune": {"commune", "base", "cell", "village_cell"},
    "cell": {"cell"},
    "sibling_commune": {"sibling_commune", "sibling_cell"},
    "other_province": {"other_province", "other_commune"},
}  # fmt: skip
CAST_NODES = [
    "province", "commune", "base", "cell", "village_cell", "sibling_commune", "sibling_cell",
    "other_province", "other_commune",
]  # fmt: skip


def visible_nodes(role: str) -> set[str]:
    if role == "admin":
        return set(CAST_NODES)
    if role in MEMBER_ROLES:
        return set()  # a member's scope holds no organization, only their own record
    _role, where = ROLES_BY_NAME.get(role, (None, None))
    return set(SUBTREE[where]) if where else set()


def role_permissions(role: str) -> frozenset[str]:
    granted, _where = CAST_ROLES.get(role, (None, None))
    return ROLE_PERMISSIONS[granted] if granted else frozenset()


TABLES = (
    ORGANIZATION_URLS, MEMBER_URLS, SCOPED_URLS, CANDIDATE_URLS,
    TRANSFER_URLS, RATING_SUBJECT_URLS, RECEIVE_REQUEST_URLS,
    CADRE_URLS, PLANNED_POSITION_URLS,
)  # fmt: skip


def endpoint(url_name: str) -> Endpoint:
    return next(table[url_name] for table in TABLES if url_name in table)


def url_for(url_name: str, code: str = MISSING_CODE, pk: int = MISSING_PK) -> str:
    """The URL of `url_name` on organization `code` or member `pk`, as it takes them."""
    if url_name in MEMBER_URLS:
        return reverse(url_name, kwargs={"pk": pk})
    if url_name in CANDIDATE_URLS or url_name in RATING_SUBJECT_URLS:
        return reverse(url_name, kwargs={"pk": pk, **endpoint(url_name).kwargs})
    if url_name in TRANSFER_URLS or url_name in RECEIVE_REQUEST_URLS:
        return reverse(url_name, kwargs={"pk": pk})
    if url_name in BY_QUERY:
        return f"{reverse(url_name)}?to_chuc={code}"
    if url_name in CADRE_URLS or url_name in PLANNED_POSITION_URLS:
        return reverse(url_name, kwargs={"pk": pk, **endpoint(url_name).kwargs})
    kwargs = {"code": code} if url_name in ORGANIZATION_URLS else {}
    return reverse(url_name, kwargs={**kwargs, **endpoint(url_name).kwargs})


def declared_permission(url_name: str) -> str | None:
    """The permission the view itself declares (`view.permission`)."""
    func = resolve(url_for(url_name).partition("?")[0]).func
    return getattr(func, "permission", None) or getattr(
        getattr(func, "view_class", None), "permission", None
    )


# ---------------------------------------------------------------- the rules


def expected_status(url_name: str, method: str, role: str, target: str | None) -> int:
    if role == "anonymous":
        return 302
    if url_name == "home":
        if role in MEMBER_ROLES:
            return 302  # to the member's own page
        return 200  # every signed-in user; one without a grant is told whom to ask
    permission = declared_permission(url_name)
    if url_name in SCOPED_URLS:
        # No object to hide: a scope without the permission anywhere is simply not found.
        if permission not in role_permissions(role):
            return 404
        return endpoint(url_name).allowed[method]
    if url_name in TRANSFER_URLS:
        return expected_transfer_status(url_name, method, role, target)
    if url_name in RECEIVE_REQUEST_URLS:
        return expected_receive_request_status(url_name, method, role, target)
    by_member = any(
        url_name in t
        for t in (
            MEMBER_URLS,
            CANDIDATE_URLS,
            RATING_SUBJECT_URLS,
            CADRE_URLS,
            PLANNED_POSITION_URLS,
        )
    )
    node = MEMBER_TARGETS[target] if by_member else TARGETS[target]
    if node is None or node not in visible_nodes(role):
        return 404
    if permission not in role_permissions(role):
        return 404 if permission in CONCEALED else 403
    return endpoint(url_name).allowed[method]


# Rows written by hand, independent of the rules above.
#                         own  desc sib  anc  othr miss
HAND_WRITTEN = {
    "organizations:detail": {
        "admin":                  "200  200  200  200  200  404",
        "province_officer":       "200  200  200  200  404  404",
        "commune_officer":        "200  200  404  404  404  404",
        "commune_viewer":         "200  200  404  404  404  404",
        "cell_secretary":         "404  200  404  404  404  404",
        "sibling_officer":        "404  404  200  404  404  404",
        "other_province_officer": "404  404  404  404  200  404",
        "stranger":               "404  404  404  404  404  404",
        "anonymous":              "302  302  302  302  302  302",
    },
    "organizations:rename": {
        "admin":                  "200  200  200  200  200  404",
        "province_officer":       "200  200  200  200  404  404",
        "commune_officer":        "200  200  404  404  404  404",
        "commune_viewer":         "403  403  404  404  404  404",
        "cell_secretary":         "404  403  404  404  404  404",
        "sibling_officer":        "404  404  200  404  404  404",
        "other_province_officer": "404  404  404  404  200  404",
        "stranger":               "404  404  404  404  404  404",
        "anonymous":              "302  302  302  302  302  302",
    },
    "organizations:dissolve": {
        "commune_viewer":         "403  403  404  404  404  404",
        "cell_secretary":         "404  403  404  404  404  404",
        "province_officer":       "200  200  200  200  404  404",
    },
    "members:add": {
        "admin":                  "200  200  200  200  200  404",
        "province_officer":       "200  200  200  200  404  404",
        "commune_officer":        "200  200  404  404  404  404",
        "commune_viewer":         "403  403  404  404  404  404",
        "cell_secretary":         "404  403  404  404  404  404",
        "sibling_officer":        "404  404  200  404  404  404",
        "other_province_officer": "404  404  404  404  200  404",
        "stranger":               "404  404  404  404  404  404",
        "anonymous":              "302  302  302  302  302  302",
    },
    "members:count": {
        "commune_viewer":         "200  200  404  404  404  404",
        "cell_secretary":         "404  200  404  404  404  404",
        "stranger":               "404  404  404  404  404  404",
    },
}  # fmt: skip
# Member URLS: the member is in the commune's village cell, the school's cell, the
# sibling commune's cell, or missing.
#                           comm desc sib  miss
HAND_WRITTEN_MEMBERS = {
    "members:detail": {
        "admin":                  "200  200  200  404",
        "province_officer":       "200  200  200  404",
        "commune_officer":        "200  200  404  404",
        "commune_viewer":         "200  200  404  404",
        "cell_secretary":         "404  200  404  404",
        "sibling_officer":        "404  404  200  404",
        "other_province_officer": "404  404  404  404",
        "stranger":               "404  404  404  404",
        "anonymous":              "302  302  302  302",
    },
    "members:edit": {
        "admin":                  "200  200  200  404",
        "province_officer":       "200  200  200  404",
        "commune_officer":        "200  200  404  404",
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  403  404  404",
        "sibling_officer":        "404  404  200  404",
        "other_province_officer": "404  404  404  404",
        "stranger":               "404  404  404  404",
        "anonymous":              "302  302  302  302",
    },
    "members:exit": {
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  403  404  404",
        "sibling_officer":        "404  404  200  404",
    },
}  # fmt: skip
HAND_WRITTEN["reports:download"] = {
    "admin":                  "200  200  200  200  200  404",
    "province_officer":       "200  200  200  200  404  404",
    "commune_officer":        "200  200  404  404  404  404",
    "commune_viewer":         "200  200  404  404  404  404",
    "cell_secretary":         "404  403  404  404  404  404",
    "sibling_officer":        "404  404  200  404  404  404",
    "other_province_officer": "404  404  404  404  200  404",
    "stranger":               "404  404  404  404  404  404",
    "anonymous":              "302  302  302  302  302  302",
}  # fmt: skip
HAND_WRITTEN["inspections:discipline_organization"] = {
    "admin":                  "200  200  200  200  200  404",
    "commune_officer":        "200  200  404  404  404  404",
    "commune_viewer":         "403  403  404  404  404  404",
    "cell_secretary":         "404  403  404  404  404  404",
    "sibling_officer":        "404  404  200  404  404  404",
    "stranger":               "404  404  404  404  404  404",
    "anonymous":              "302  302  302  302  302  302",
}  # fmt: skip
HAND_WRITTEN["inspections:counts_xlsx"] = {
    "commune_viewer":         "200  200  404  404  404  404",
    "cell_secretary":         "404  403  404  404  404  404",
    "other_province_officer": "404  404  404  404  200  404",
}  # fmt: skip
HAND_WRITTEN["committees:post_begin"] = {
    "admin":                  "200  200  200  200  200  404",
    "province_officer":       "200  200  200  200  404  404",
    "commune_officer":        "200  200  404  404  404  404",
    "commune_viewer":         "403  403  404  404  404  404",
    "cell_secretary":         "404  403  404  404  404  404",
    "sibling_officer":        "404  404  200  404  404  404",
    "other_province_officer": "404  404  404  404  200  404",
    "stranger":               "404  404  404  404  404  404",
    "anonymous":              "302  302  302  302  302  302",
}  # fmt: skip
HAND_WRITTEN["meetings:record"] = {
    "admin":                  "200  200  200  200  200  404",
    "province_officer":       "200  200  200  200  404  404",
    "commune_officer":        "200  200  404  404  404  404",
    "commune_viewer":         "403  403  404  404  404  404",
    "cell_secretary":         "404  200  404  404  404  404",
    "sibling_officer":        "404  404  200  404  404  404",
    "other_province_officer": "404  404  404  404  200  404",
    "stranger":               "404  404  404  404  404  404",
    "anonymous":              "302  302  302  302  302  302",
}  # fmt: skip
HAND_WRITTEN["meetings:due_export"] = {
    "commune_viewer":         "200  200  404  404  404  404",
    "cell_secretary":         "404  403  404  404  404  404",
}  # fmt: skip
HAND_WRITTEN_SCOPED = {
    ("reports:download_national", "GET"): "200 404 404 404 404 404 404 404 302 404",
    # (URL, method): admin, province_officer, commune_officer, commune_viewer,
    #                cell_secretary, sibling_officer, other_province_officer, stranger,
    #                anonymous, member
    ("organizations:search", "GET"): "200 200 200 200 200 200 200 404 302 404",
    ("organizations:picker", "GET"): "200 200 200 200 200 200 200 404 302 404",
    ("organizations:export", "GET"): "200 200 200 200 404 200 200 404 302 404",
    ("members:list", "GET"):         "200 200 200 200 200 200 200 404 302 404",
    ("members:export", "GET"):       "200 200 200 200 404 200 200 404 302 404",
    ("imports:index", "GET"):        "200 200 200 404 404 200 200 404 302 404",
    ("imports:upload", "POST"):      "200 200 200 404 404 200 200 404 302 404",
    ("imports:confirm", "GET"):      "405 405 405 404 404 405 405 404 302 404",
    ("imports:rerun", "GET"):        "405 405 405 404 404 405 405 404 302 404",
    ("imports:status", "POST"):      "405 405 405 404 404 405 405 404 302 404",
    ("reports:index", "GET"):        "200 200 200 200 200 200 200 404 302 404",
    ("audit:list", "GET"):           "200 404 404 404 404 404 404 404 302 404",
    ("inspections:index", "GET"):    "302 302 302 302 302 302 302 404 302 404",
    ("audit:export", "GET"):         "200 404 404 404 404 404 404 404 302 404",
    ("meetings:index", "GET"):       "302 302 302 302 302 302 302 404 302 404",
}  # fmt: skip


def test_the_hand_written_rows_agree_with_the_rules():
    for url_name, rows in HAND_WRITTEN.items():
        for role, row in rows.items():
            statuses = [int(s) for s in row.split()]
            for method in endpoint(url_name).allowed:
                computed = [expected_status(url_name, method, role, t) for t in TARGETS]
                assert computed == statuses, (url_name, method, role)
    for url_name, rows in HAND_WRITTEN_MEMBERS.items():
        for role, row in rows.items():
            statuses = [int(s) for s in row.split()]
            for method in endpoint(url_name).allowed:
                computed = [expected_status(url_name, method, role, t) for t in MEMBER_TARGETS]
                assert computed == statuses, (url_name, method, role)
    for (url_name, method), row in HAND_WRITTEN_SCOPED.items():
        computed = [expected_status(url_name, method, role, None) for role in ROLES]
        assert computed == [int(s) for s in row.split()], (url_name, method)


def test_every_view_declares_the_permission_the_matrix_expects():
    for url_name, declared in {k: v for table in TABLES for k, v in table.items()}.items():
        assert declared_permission(url_name) == declared.permission, url_name


# ---------------------------------------------------------------- deny by default


def _named_patterns(resolver, prefix=""):
    """(name, route) of every pattern below `resolver`, the Django admin left out."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == ADMIN_NAMESPACE:
                continue
            inner = f"{pattern.namespace}:" if pattern.namespace else ""
            for name, inner_route in _named_patterns(pattern, route):
                yield (inner + name if name else None), inner_route
        elif isinstance(pattern, URLPattern):
            yield pattern.name, route


def test_every_url_pattern_is_in_the_matrix_or_declared_public():
    classified = {name for table in TABLES for name in table} | PUBLIC_URLS
    found = list(_named_patterns(get_resolver()))
    unnamed = [route for name, route in found if not name]
    assert not unnamed, f"URL patterns without a name cannot be classified: {unnamed}"
    unclassified = sorted({name for name, _ in found} - classified)
    assert not unclassified, (
        f"URL patterns missing from the permission matrix: {unclassified}. Add each to "
        "ORGANIZATION_URLS, MEMBER_URLS, SCOPED_URLS or (rarely) "
        "PUBLIC_URLS in this file."
    )
    stale = sorted(classified - {name for name, _ in found})
    assert not stale, f"The matrix names URLs that no longer exist: {stale}"


# ---------------------------------------------------------------- the world, built once


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and one user per role, built once for the module inside a transaction
    that is rolled back at its end (each test nests its own savepoint)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        cast = build_cast()
        users = {
            name: cast.user(name, role, getattr(cast, where) if where else None)
            for name, (role, where) in ROLES_BY_NAME.items()
        }
        # One member in each cell of the cast, by the cell's name in the cast.
        cast.members = {
            node: register(
                getattr(cast, node), f"Đảng viên {getattr(cast, node).name}",
                citizen_id=citizen_id_for(node),
            )
            for node in ("cell", "village_cell", "sibling_cell")
        }  # fmt: skip
        # The member role: the cell's member, with their self-service account.
        for name, (_role, where) in MEMBER_ROLES.items():
            users[name] = member_account(cast.members[where]).user
        cast.candidates = {
            node: candidate_identify(
                cell=getattr(cast, node), on=date(2025, 8, 4),
                record={"full_name": f"Quần chúng {getattr(cast, node).name}", "gender": "male",
                        "birth_date": date(2001, 5, 6)},
            )
            for node in ("cell", "village_cell", "sibling_cell")
        }  # fmt: skip
        rating = rating_session_open(organization=cast.province, kind="year", year=2025)
        cast.rating_subjects = {
            node: rating.subjects.get(member=member) for node, member in cast.members.items()
        }
        cast.cadres = {
            node: cadre_create(committee=getattr(cast, node), full_name=f"Cán bộ {node}",
                               gender="male", birth_date=date(1980, 4, 2))
            for node in ("cell", "village_cell", "sibling_cell")
        }  # fmt: skip
        cast.planned_positions = {
            node: planned_position_create(committee=getattr(cast, node), title="Bí thư chi bộ")
            for node in ("cell", "village_cell", "sibling_cell")
        }
    yield cast, users
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _as(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _assert_redirected_to_login(response, url):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")), response["Location"]
    assert "next=" in response["Location"]


# ---------------------------------------------------------------- the matrix

ORGANIZATION_CELLS = [
    pytest.param(url_name, method, role, target, id=f"{url_name}-{method}-{role}-{target}")
    for url_name, declared in ORGANIZATION_URLS.items()
    for method in declared.allowed
    for role in ROLES
    for target in TARGETS
]
MEMBER_CELLS = [
    pytest.param(url_name, method, role, target, id=f"{url_name}-{method}-{role}-{target}")
    for url_name, declared in MEMBER_URLS.items()
    for method in declared.allowed
    for role in ROLES
    for target in MEMBER_TARGETS
]
SCOPED_CELLS = [
    pytest.param(url_name, method, role, id=f"{url_name}-{method}-{role}")
    for url_name, declared in SCOPED_URLS.items()
    for method in declared.allowed
    for role in ROLES
]


def _request(client, method, url):
    # POST with an empty body: the gate answers before any validation.
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role", "target"), ORGANIZATION_CELLS)
def test_organization_url(world, client, url_name, method, role, target):
    cast, users = world
    node = TARGETS[target]
    url = url_for(url_name, getattr(cast, node).code if node else MISSING_CODE)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, target)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        _assert_redirected_to_login(response, url)
    elif expected == 302:
        assert response["Location"] == reverse(BY_QUERY[url_name], args=[getattr(cast, node).code])
    if expected == 404:
        assert "Không tìm thấy" in response.content.decode()
    if expected == 403:
        assert "Không có quyền" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role", "target"), MEMBER_CELLS)
def test_member_url(world, client, url_name, method, role, target):
    cast, users = world
    node = MEMBER_TARGETS[target]
    url = url_for(url_name, pk=cast.members[node].pk if node else MISSING_PK)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, target)
    assert response.status_code == expected
    if expected == 302:
        _assert_redirected_to_login(response, url)
    if expected == 404:
        assert "Không tìm thấy" in response.content.decode()
    if expected == 403:
        assert "Không có quyền" in response.content.decode()


CANDIDATE_CELLS = [
    pytest.param(url_name, method, role, target, id=f"{url_name}-{method}-{role}-{target}")
    for url_name, declared in CANDIDATE_URLS.items()
    for method in declared.allowed
    for role in ROLES
    for target in MEMBER_TARGETS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role", "target"), CANDIDATE_CELLS)
def test_candidate_url(world, client, url_name, method, role, target):
    cast, users = world
    node = MEMBER_TARGETS[target]
    url = url_for(url_name, pk=cast.candidates[node].pk if node else MISSING_PK)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, target)
    assert response.status_code == expected
    if role == "anonymous":
        _assert_redirected_to_login(response, url)
    elif expected == 302:  # a step not open at the candidate's stage: back to their page
        assert response["Location"] == reverse("admissions:detail", args=[cast.candidates[node].pk])
    if expected == 404:
        assert "Không tìm thấy" in response.content.decode()
    if expected == 403:
        assert "Không có quyền" in response.content.decode()


# Candidate URLs, by the cell the candidate is in (as for members).
#                           comm desc sib  miss
HAND_WRITTEN_CANDIDATES = {
    "admissions:step": {
        "admin":                  "200  200  200  404",
        "province_officer":       "200  200  200  404",
        "commune_officer":        "200  200  404  404",
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  200  404  404",
        "sibling_officer":        "404  404  200  404",
        "other_province_officer": "404  404  404  404",
        "stranger":               "404  404  404  404",
        "anonymous":              "302  302  302  302",
    },
    "admissions:decide": {
        "commune_officer":        "302  302  404  404",
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  403  404  404",
    },
    "admissions:decision_docx": {
        "commune_viewer":         "200  200  404  404",
        "cell_secretary":         "404  403  404  404",
    },
}  # fmt: skip
HAND_WRITTEN_ADMISSIONS = {
    "admissions:targets": {
        "commune_officer":        "200  200  404  404  404  404",
        "commune_viewer":         "403  403  404  404  404  404",
        "cell_secretary":         "404  403  404  404  404  404",
    },
    "admissions:add": {
        "commune_viewer":         "403  403  404  404  404  404",
        "cell_secretary":         "404  200  404  404  404  404",
    },
}  # fmt: skip
HAND_WRITTEN_ADMISSION_MEMBERS = {
    "admissions:confirmation_vote": {
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  200  404  404",
    },
    "admissions:confirmation_decide": {
        "commune_officer":        "200  200  404  404",
        "cell_secretary":         "404  403  404  404",
    },
}  # fmt: skip


def test_the_hand_written_admission_rows_agree_with_the_rules():
    for table, targets in ((HAND_WRITTEN_CANDIDATES, MEMBER_TARGETS),
                           (HAND_WRITTEN_ADMISSIONS, TARGETS),
                           (HAND_WRITTEN_ADMISSION_MEMBERS, MEMBER_TARGETS)):  # fmt: skip
        for url_name, rows in table.items():
            for role, row in rows.items():
                statuses = [int(status) for status in row.split()]
                for method in endpoint(url_name).allowed:
                    computed = [expected_status(url_name, method, role, t) for t in targets]
                    assert computed == statuses, (url_name, method, role)
    assert len(CANDIDATE_CELLS) == sum(len(e.allowed) for e in CANDIDATE_URLS.values()) * len(
        ROLES
    ) * len(MEMBER_TARGETS)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role"), SCOPED_CELLS)
def test_scoped_url(world, client, url_name, method, role):
    cast, users = world
    url = url_for(url_name)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, None)
    assert response.status_code == expected
    if url_name == "home" and expected == 200 and role not in ("admin", *NO_GRANT):
        # The dashboard of the user's own organization.
        _role, where = ROLES_BY_NAME[role]
        assert response.context["organization"] == getattr(cast, where)
    if role == "anonymous":
        _assert_redirected_to_login(response, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", [n for n in SCOPED_URLS if n.startswith("imports:")])
def test_an_unknown_importer_is_not_found(world, client, url_name):
    declared = SCOPED_URLS[url_name]
    if "name" not in declared.kwargs:
        return
    client.force_login(world[1]["admin"])
    url = reverse(url_name, kwargs={**declared.kwargs, "name": "khong-co"})
    for method, allowed in declared.allowed.items():
        if allowed != 405:
            assert _request(client, method, url).status_code == 404, method


# ---------------------------------------------------------------- search and picker leak nothing

SIGNED_IN = [r for r in ROLES if r != "anonymous"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_search_lists_exactly_the_organizations_in_scope(world, client, role):
    cast, users = world
    _as(client, users, role)
    everything = client.get(reverse("organizations:search"), {"trang_thai": "tat_ca"})
    if role in NO_GRANT:
        assert everything.status_code == 404
        return
    visible = {getattr(cast, n).code for n in visible_nodes(role)}
    assert {o.code for o in everything.context["page"]} == visible
    for node in CAST_NODES:
        org = getattr(cast, node)
        for query in (org.name, org.code):
            response = client.get(reverse("organizations:search"), {"q": query})
            codes = {o.code for o in response.context["page"]}
            assert codes <= visible, (query, codes - visible)
            assert (org.code in codes) == (org.code in visible), query


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_picker_offers_only_organizations_in_scope(world, client, role):
    cast, users = world
    _as(client, users, role)
    visible = {getattr(cast, n).code for n in visible_nodes(role)}
    queries = ["dang", "chi bo", "tan", "T0"]
    for node in CAST_NODES:
        org = getattr(cast, node)
        queries += [org.name, org.code]
    for query in queries:
        response = client.get(reverse("organizations:picker"), {"q": query, "target": "x"})
        if role in NO_GRANT:
            assert response.status_code == 404
            continue
        codes = {o.code for o in response.context["results"]}
        assert codes <= visible, (query, codes - visible)
        if query in {getattr(cast, n).code for n in CAST_NODES}:
            assert (query in codes) == (query in visible), query


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in SIGNED_IN if EXPORT in role_permissions(r)])
def test_the_export_holds_exactly_the_organizations_in_scope(world, client, role):
    cast, users = world
    _as(client, users, role)
    visible = {getattr(cast, n).code for n in visible_nodes(role)}
    for params in ({"trang_thai": "tat_ca"}, {"q": "tan"}, {"q": cast.other_commune.code}):
        response = client.get(reverse("organizations:export"), params)
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
        assert codes <= visible, (params, codes - visible)
        if "trang_thai" in params:
            assert codes == visible


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_member_list_and_search_hold_exactly_the_members_in_scope(world, client, role):
    cast, users = world
    _as(client, users, role)
    visible = {m.pk for node, m in cast.members.items() if node in visible_nodes(role)}
    response = client.get(reverse("members:list"), {"trang_thai": "tat_ca"})
    if role in NO_GRANT:
        assert response.status_code == 404
        return
    assert {m.pk for m in response.context["page"].rows} == visible
    for member in cast.members.values():
        for query in (member.full_name, "dang vien"):
            found = client.get(reverse("members:list"), {"q": query}).context["page"].rows
            pks = {m.pk for m in found}
            assert pks <= visible, (query, pks - visible)
            assert (member.pk in pks) == (member.pk in visible), query


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in SIGNED_IN if EXPORT in role_permissions(r)])
def test_the_member_export_holds_exactly_the_members_in_scope(world, client, role):
    cast, users = world
    _as(client, users, role)
    visible = {m.full_name for node, m in cast.members.items() if node in visible_nodes(role)}
    response = client.get(reverse("members:export"), {"trang_thai": "tat_ca"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    assert names == visible


# ---------------------------------------------------------------- public pages and the admin


@pytest.mark.django_db
def test_the_login_page_is_public(world, client):
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["password_change", "password_change_done"])
def test_password_change_needs_a_login(world, client, name):
    url = reverse(name)
    _assert_redirected_to_login(client.get(url), url)
    client.force_login(world[1]["stranger"])  # no grant needed to change one's password
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_logout_is_a_post(world, client):
    url = reverse("logout")
    _assert_redirected_to_login(client.post(url), url)
    client.force_login(world[1]["commune_officer"])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_the_django_admin_is_closed_to_everyone_but_the_admin(world, client, role):
    # Signed in without the admin role: 404, not a redirect (it looped between the admin and
    # the login page, ERR_TOO_MANY_REDIRECTS, and so told that the admin exists).
    # Anonymous: to the login page, once.
    _as(client, world[1], role)
    for url in ("/quan-tri/", "/quan-tri/organizations/organization/", "/quan-tri/auth/user/"):
        response = client.get(url, follow=True)
        assert len(response.redirect_chain) <= 2, (url, response.redirect_chain)
        if role == "anonymous":
            assert response.status_code == 200, url
            assert response.request["PATH_INFO"] == reverse("login"), url
        else:
            assert response.redirect_chain == [], url
            assert response.status_code == 404, url
            assert "Không tìm thấy" in response.content.decode()


@pytest.mark.django_db
def test_the_django_admin_opens_for_the_admin(world, client):
    client.force_login(world[1]["admin"])
    index = client.get("/quan-tri/").content.decode()
    # Third-party apps under Vietnamese names too.
    assert "Đăng nhập sai và khóa tài khoản" in index
    assert "Xác thực hai bước (mã TOTP)" in index


def test_the_matrix_has_the_expected_size():
    # 6 targets × 9 roles per (organization URL, method), 4 targets × 9 roles per (member
    # URL, method), 9 roles per scoped URL.
    org_urls = ORGANIZATION_URLS
    org_cells = sum(len(e.allowed) for e in org_urls.values())
    assert len(ORGANIZATION_CELLS) == org_cells * len(ROLES) * len(TARGETS)
    member_cells = sum(len(e.allowed) for e in MEMBER_URLS.values())
    assert len(MEMBER_CELLS) == member_cells * len(ROLES) * len(MEMBER_TARGETS)
    scoped_cells = sum(len(e.allowed) for e in SCOPED_URLS.values())
    assert len(SCOPED_CELLS) == scoped_cells * len(ROLES)


# ---------------------------------------------------------------- transfers (tochuc/members)

# Transfers, as seen from the commune officer: (source, destination) cells of the cast.
TRANSFER_TARGETS = {
    "to_sibling": ("village_cell", "sibling_cell"),  # official, waiting for the receipt
    "inside_commune": ("cell", "village_cell"),  # temporary, both sides in the commune
    "sibling_out": ("sibling_cell", None),  # official, out of the system
    "missing": None,
}


def expected_transfer_status(url_name: str, method: str, role: str, target: str) -> int:
    sides = TRANSFER_TARGETS[target]
    visible = visible_nodes(role)
    if sides is None or not any(node in visible for node in sides if node):
        return 404
    side = TRANSFER_SIDES.get(url_name)
    needed = sides if side is None else [sides[side]]
    if not any(node in visible for node in needed if node):
        return 403
    if declared_permission(url_name) not in role_permissions(role):
        return 403
    return endpoint(url_name).allowed[method]


def make_transfer(cast, target: str):
    """The target's transfer, made inside the test (rolled back with it)."""
    from datetime import date

    from tochuc.transfers.services import temporary_transfer_issue, transfer_issue

    if TRANSFER_TARGETS[target] is None:
        return None
    source, destination = TRANSFER_TARGETS[target]
    member, on = cast.members[source], date(2025, 9, 1)
    if target == "inside_commune":
        return temporary_transfer_issue(
            member=member, on=on, ends_on=date(2026, 3, 1), purpose="work",
            host=getattr(cast, destination),
        )  # fmt: skip
    if destination is None:
        return transfer_issue(member=member, on=on, other_party="Đảng bộ tỉnh Cao Bằng")
    return transfer_issue(member=member, on=on, to=getattr(cast, destination))


#                           sib  comm sout miss
HAND_WRITTEN_TRANSFERS = {
    "transfers:transfer_detail": {
        "admin":                  "200  200  200  404",
        "province_officer":       "200  200  200  404",
        "commune_officer":        "200  200  404  404",
        "commune_viewer":         "200  200  404  404",
        "cell_secretary":         "404  200  404  404",
        "sibling_officer":        "200  404  200  404",
        "other_province_officer": "404  404  404  404",
        "stranger":               "404  404  404  404",
        "anonymous":              "302  302  302  302",
    },
    "transfers:transfer_receive": {
        "admin":                  "200  200  403  404",
        "province_officer":       "200  200  403  404",
        "commune_officer":        "403  200  404  404",
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  403  404  404",
        "sibling_officer":        "200  404  403  404",
        "other_province_officer": "404  404  404  404",
        "stranger":               "404  404  404  404",
    },
    "transfers:transfer_return": {
        "commune_officer":        "200  200  404  404",
        "cell_secretary":         "404  403  404  404",
        "sibling_officer":        "403  404  200  404",
    },
}  # fmt: skip


def test_the_hand_written_transfer_rows_agree_with_the_rules():
    for url_name, rows in HAND_WRITTEN_TRANSFERS.items():
        for role, row in rows.items():
            statuses = [int(s) for s in row.split()]
            for method in endpoint(url_name).allowed:
                computed = [expected_status(url_name, method, role, t) for t in TRANSFER_TARGETS]
                assert computed == statuses, (url_name, method, role)


TRANSFER_CELLS = [
    pytest.param(url_name, method, role, target, id=f"{url_name}-{method}-{role}-{target}")
    for url_name, declared in TRANSFER_URLS.items()
    for method in declared.allowed
    for role in ROLES
    for target in TRANSFER_TARGETS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role", "target"), TRANSFER_CELLS)
def test_transfer_url(world, client, url_name, method, role, target):
    cast, users = world
    transfer = make_transfer(cast, target)
    url = url_for(url_name, pk=transfer.pk if transfer else MISSING_PK)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, target)
    assert response.status_code == expected
    if expected == 302:
        _assert_redirected_to_login(response, url)
    if expected == 404:
        assert "Không tìm thấy" in response.content.decode()
    if expected == 403:
        assert "Không có quyền" in response.content.decode()


# ---------------------------------------------------------------- requests to receive

# Requests, as seen from the commune officer: (the cell keeping the record, the receiving
# cell).
RECEIVE_REQUEST_TARGETS = {
    "from_sibling": ("sibling_cell", "village_cell"),  # the commune receives
    "to_sibling": ("cell", "sibling_cell"),  # the commune keeps the record
    "missing": None,
}


def expected_receive_request_status(url_name: str, method: str, role: str, target: str) -> int:
    sides = RECEIVE_REQUEST_TARGETS[target]
    if sides is None:
        return 404
    record, receiver = sides
    needed = {
        "transfers:receive_request_decide": [record],
        "transfers:receive_request_withdraw": [receiver],
    }.get(url_name, [record, receiver])
    if not any(node in visible_nodes(role) for node in needed):
        return 404
    if declared_permission(url_name) not in role_permissions(role):
        return 403
    return endpoint(url_name).allowed[method]


def make_receive_request(cast, target: str):
    """The target's pending request, made inside the test (rolled back with it)."""
    from tochuc.transfers.models import ReceiveRequest

    if RECEIVE_REQUEST_TARGETS[target] is None:
        return None
    record, receiver = RECEIVE_REQUEST_TARGETS[target]
    member = cast.members[record]
    return ReceiveRequest.objects.create(
        member=member, organization=getattr(cast, receiver), full_name=member.full_name,
        birth_date=member.birth_date, letter_no="9-GGT/ĐU", letter_on=date(2025, 9, 1),
        issued_by="Đảng ủy xã Quảng Uyên, Cao Bằng", arrived_on=date(2025, 9, 3),
    )  # fmt: skip


#                                  fsib tsib miss
HAND_WRITTEN_RECEIVE_REQUESTS = {
    "transfers:receive_request": {
        "admin":                  "200  200  404",
        "province_officer":       "200  200  404",
        "commune_officer":        "200  200  404",
        "commune_viewer":         "200  200  404",
        "cell_secretary":         "404  200  404",
        "sibling_officer":        "200  200  404",
        "other_province_officer": "404  404  404",
        "stranger":               "404  404  404",
        "anonymous":              "302  302  302",
    },
    "transfers:receive_request_decide": {
        "admin":                  "200  200  404",
        "province_officer":       "200  200  404",
        "commune_officer":        "404  200  404",
        "commune_viewer":         "404  403  404",
        "cell_secretary":         "404  403  404",
        "sibling_officer":        "200  404  404",
        "other_province_officer": "404  404  404",
        "stranger":               "404  404  404",
        "anonymous":              "302  302  302",
    },
    "transfers:receive_request_withdraw": {
        "admin":                  "200  200  404",
        "province_officer":       "200  200  404",
        "commune_officer":        "200  404  404",
        "commune_viewer":         "403  404  404",
        "cell_secretary":         "404  404  404",
        "sibling_officer":        "404  200  404",
        "other_province_officer": "404  404  404",
        "stranger":               "404  404  404",
        "anonymous":              "302  302  302",
    },
}  # fmt: skip


def test_the_hand_written_receive_request_rows_agree_with_the_rules():
    for url_name, rows in HAND_WRITTEN_RECEIVE_REQUESTS.items():
        for role, row in rows.items():
            statuses = [int(s) for s in row.split()]
            computed = [
                expected_status(
                    url_name, "GET" if url_name.endswith("request") else "POST", role, t
                )
                for t in RECEIVE_REQUEST_TARGETS
            ]
            assert computed == statuses, (url_name, role)


RECEIVE_REQUEST_CELLS = [
    pytest.param(url_name, method, role, target, id=f"{url_name}-{method}-{role}-{target}")
    for url_name, declared in RECEIVE_REQUEST_URLS.items()
    for method in declared.allowed
    for role in ROLES
    for target in RECEIVE_REQUEST_TARGETS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role", "target"), RECEIVE_REQUEST_CELLS)
def test_receive_request_url(world, client, url_name, method, role, target):
    cast, users = world
    receive_request = make_receive_request(cast, target)
    url = url_for(url_name, pk=receive_request.pk if receive_request else MISSING_PK)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, target)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        _assert_redirected_to_login(response, url)
    if expected == 404:
        assert "Không tìm thấy" in response.content.decode()


# ---------------------------------------------------------------- rating (tochuc/ratings)

RATING_SUBJECT_CELLS = [
    pytest.param(url_name, method, role, target, id=f"{url_name}-{method}-{role}-{target}")
    for url_name, declared in RATING_SUBJECT_URLS.items()
    for method in declared.allowed
    for role in ROLES
    for target in MEMBER_TARGETS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role", "target"), RATING_SUBJECT_CELLS)
def test_rating_subject_url(world, client, url_name, method, role, target):
    cast, users = world
    node = MEMBER_TARGETS[target]
    subject = cast.rating_subjects[node] if node else None
    url = url_for(url_name, pk=subject.pk if subject else MISSING_PK)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, target)
    assert response.status_code == expected
    if role == "anonymous":
        _assert_redirected_to_login(response, url)
    elif expected == 302:  # the decision is not open yet: back to the session's list
        assert response["Location"] == (
            f"{reverse('ratings:subjects', args=[subject.organization.code])}"
            f"?ky={subject.session_id}"
        )
    if expected == 404:
        assert "Không tìm thấy" in response.content.decode()
    if expected == 403:
        assert "Không có quyền" in response.content.decode()


# Rated subjects, by the cell the member is in (as for members).
#                           comm desc sib  miss
HAND_WRITTEN_RATING_SUBJECTS = {
    "ratings:step": {
        "admin":                  "200  200  200  404",
        "province_officer":       "200  200  200  404",
        "commune_officer":        "200  200  404  404",
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  200  404  404",
        "sibling_officer":        "404  404  200  404",
        "other_province_officer": "404  404  404  404",
        "stranger":               "404  404  404  404",
        "anonymous":              "302  302  302  302",
    },
    "ratings:decide": {
        "commune_officer":        "302  302  404  404",
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  403  404  404",
    },
}  # fmt: skip
#                           own  desc sib  anc  othr miss
HAND_WRITTEN_RATINGS = {
    "ratings:open": {
        "commune_officer":        "200  200  404  404  404  404",
        "commune_viewer":         "403  403  404  404  404  404",
        "cell_secretary":         "404  403  404  404  404  404",
    },
    "ratings:subjects": {
        "cell_secretary":         "404  200  404  404  404  404",
        "sibling_officer":        "404  404  200  404  404  404",
    },
    "ratings:results_docx": {
        "commune_viewer":         "200  200  404  404  404  404",
        "cell_secretary":         "404  403  404  404  404  404",
    },
}  # fmt: skip


def test_the_hand_written_rating_rows_agree_with_the_rules():
    for table, targets in ((HAND_WRITTEN_RATING_SUBJECTS, MEMBER_TARGETS),
                           (HAND_WRITTEN_RATINGS, TARGETS)):  # fmt: skip
        for url_name, rows in table.items():
            for role, row in rows.items():
                statuses = [int(status) for status in row.split()]
                for method in endpoint(url_name).allowed:
                    computed = [expected_status(url_name, method, role, t) for t in targets]
                    assert computed == statuses, (url_name, method, role)
    assert len(RATING_SUBJECT_CELLS) == sum(
        len(e.allowed) for e in RATING_SUBJECT_URLS.values()
    ) * len(ROLES) * len(MEMBER_TARGETS)


# ---------------------------------------------------------------- mixed grants, every download

# Users holding several grants with different roles. A permission is checked where the data
# is, never "somewhere in the scope": a viewer of the sibling commune who is also the
# secretary of the school's cell exports the sibling commune and never the cell (a
# secretary may not export), and an export over the whole scope holds only the part where
# the export right holds (issue 17).
MIXED_USERS = {
    "viewer_there_secretary_here": [(Role.VIEWER, "sibling_commune"),
                                    (Role.CELL_SECRETARY, "cell")],
    "secretary_under_own_viewer": [(Role.CELL_SECRETARY, "cell"), (Role.VIEWER, "commune")],
    "officer_there_secretary_here": [(Role.OFFICER, "other_province"),
                                     (Role.CELL_SECRETARY, "cell")],
}  # fmt: skip


def mixed_visible(user: str) -> set[str]:
    return set().union(*(SUBTREE[where] for _role, where in MIXED_USERS[user]))


def mixed_permissions_at(user: str, node: str | None) -> frozenset[str]:
    """What the user may do at `node` (None: anywhere), from the grants written above."""
    held = set()
    for role, where in MIXED_USERS[user]:
        if node is None or node in SUBTREE[where]:
            held |= ROLE_PERMISSIONS[role]
    return frozenset(held)


def is_download(url_name: str) -> bool:
    return endpoint(url_name).permission == EXPORT or any(
        word in url_name for word in ("export", "xlsx", "docx", "pdf", "download", "template")
    )


DOWNLOADS = sorted(name for table in TABLES for name in table if is_download(name))


def mixed_expected_status(url_name: str, user: str, target: str) -> int:
    permission = declared_permission(url_name)
    allowed = endpoint(url_name).allowed["GET"]
    if url_name in SCOPED_URLS:
        return allowed if permission in mixed_permissions_at(user, None) else 404
    if url_name in TRANSFER_URLS:
        sides = TRANSFER_TARGETS[target]
        seen = [n for n in sides or () if n and n in mixed_visible(user)]
        if not seen:
            return 404
        return allowed if any(permission in mixed_permissions_at(user, n) for n in seen) else 403
    by_member = any(
        url_name in t
        for t in (
            MEMBER_URLS,
            CANDIDATE_URLS,
            RATING_SUBJECT_URLS,
            CADRE_URLS,
            PLANNED_POSITION_URLS,
        )
    )
    node = MEMBER_TARGETS[target] if by_member else TARGETS[target]
    if node is None or node not in mixed_visible(user):
        return 404
    if permission not in mixed_permissions_at(user, node):
        return 404 if permission in CONCEALED else 403
    return allowed


def _targets_of(url_name: str) -> dict:
    if url_name in SCOPED_URLS:
        return {"scope": None}
    if url_name in TRANSFER_URLS:
        return TRANSFER_TARGETS
    if any(
        url_name in t
        for t in (
            MEMBER_URLS,
            CANDIDATE_URLS,
            RATING_SUBJECT_URLS,
            CADRE_URLS,
            PLANNED_POSITION_URLS,
        )
    ):
        return MEMBER_TARGETS
    return TARGETS


MIXED_CELLS = [
    pytest.param(url_name, user, target, id=f"{url_name}-{user}-{target}")
    for url_name in DOWNLOADS
    for user in MIXED_USERS
    for target in _targets_of(url_name)
]

# Rows written by hand for the mixed users (own = the commune, desc = the school's cell …).
#                                   own  desc sib  anc  othr miss
HAND_WRITTEN_MIXED = {
    "reports:download": {
        "viewer_there_secretary_here":  "404  403  200  404  404  404",
        "secretary_under_own_viewer":   "200  200  404  404  404  404",
        "officer_there_secretary_here": "404  403  404  404  200  404",
    },
    "admissions:export": {
        "viewer_there_secretary_here":  "404  403  200  404  404  404",
    },
}  # fmt: skip
HAND_WRITTEN_MIXED_EXPORTS = {
    # user: (organization codes in the organization export, cells of the members exported)
    "viewer_there_secretary_here": ({"sibling_commune", "sibling_cell"}, {"sibling_cell"}),
    "secretary_under_own_viewer": (SUBTREE["commune"], {"cell", "village_cell"}),
    "officer_there_secretary_here": (SUBTREE["other_province"], set()),
}


def test_the_hand_written_mixed_rows_agree_with_the_rules():
    for url_name, rows in HAND_WRITTEN_MIXED.items():
        for user, row in rows.items():
            computed = [mixed_expected_status(url_name, user, t) for t in TARGETS]
            assert computed == [int(s) for s in row.split()], (url_name, user)
    for user, (codes, cells) in HAND_WRITTEN_MIXED_EXPORTS.items():
        exporting = {n for n in CAST_NODES if EXPORT in mixed_permissions_at(user, n)}
        assert codes == exporting and cells == exporting & set(cast_member_cells()), user
    assert {"members:export", "organizations:export", "reports:download"} <= set(DOWNLOADS)
    assert len(DOWNLOADS) >= 15


def cast_member_cells():
    return ("cell", "village_cell", "sibling_cell")


def _mixed_user(cast, name):
    from tochuc.accounts.services import grant_create
    from tochuc.testing import FOUNDED

    (role, where), *others = MIXED_USERS[name]
    user = cast.user(name, role, getattr(cast, where))
    for role, where in others:
        grant_create(user=user, role=role, organization=getattr(cast, where), valid_from=FOUNDED)
    return user


def _mixed_url(cast, url_name, target):
    if url_name in SCOPED_URLS:
        return url_for(url_name)
    if url_name in TRANSFER_URLS:
        transfer = make_transfer(cast, target)
        return url_for(url_name, pk=transfer.pk if transfer else MISSING_PK)
    if url_name in MEMBER_URLS:
        node = MEMBER_TARGETS[target]
        return url_for(url_name, pk=cast.members[node].pk if node else MISSING_PK)
    if url_name in CANDIDATE_URLS:
        node = MEMBER_TARGETS[target]
        return url_for(url_name, pk=cast.candidates[node].pk if node else MISSING_PK)
    if url_name in RATING_SUBJECT_URLS:
        node = MEMBER_TARGETS[target]
        return url_for(url_name, pk=cast.rating_subjects[node].pk if node else MISSING_PK)
    if url_name in CADRE_URLS or url_name in PLANNED_POSITION_URLS:
        node = MEMBER_TARGETS[target]
        objects = cast.cadres if url_name in CADRE_URLS else cast.planned_positions
        return url_for(url_name, pk=objects[node].pk if node else MISSING_PK)
    node = TARGETS[target]
    return url_for(url_name, getattr(cast, node).code if node else MISSING_CODE)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "user", "target"), MIXED_CELLS)
def test_a_download_checks_the_permission_where_the_data_is(world, client, url_name, user, target):
    cast, _users = world
    client.force_login(_mixed_user(cast, user))
    response = client.get(_mixed_url(cast, url_name, target))
    assert response.status_code == mixed_expected_status(url_name, user, target)


@pytest.mark.django_db
@pytest.mark.parametrize("user", MIXED_USERS)
def test_an_export_over_the_scope_holds_only_where_the_user_may_export(world, client, user):
    cast, _users = world
    client.force_login(_mixed_user(cast, user))
    codes, cells = HAND_WRITTEN_MIXED_EXPORTS[user]

    response = client.get(reverse("organizations:export"), {"trang_thai": "tat_ca"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert exported == {getattr(cast, n).code for n in codes}

    response = client.get(reverse("members:export"), {"trang_thai": "tat_ca"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    assert names == {cast.members[n].full_name for n in cells}

    # Naming the secretary's cell does not reach it unless a viewer grant covers it.
    response = client.get(reverse("members:export"), {"to_chuc": cast.cell.code})
    assert response.status_code == (200 if "cell" in codes else 404)
    if response.status_code == 200:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
        assert names == {cast.members["cell"].full_name}


# ---------------------------------------------------------------- dues (tochuc/dues)

#                         own  desc sib  anc  othr miss
HAND_WRITTEN_DUES = {
    "dues:collect": {
        "admin":                  "200  200  200  200  200  404",
        "commune_officer":        "200  200  404  404  404  404",
        "commune_viewer":         "403  403  404  404  404  404",
        "cell_secretary":         "404  200  404  404  404  404",
        "sibling_officer":        "404  404  200  404  404  404",
        "stranger":               "404  404  404  404  404  404",
        "anonymous":              "302  302  302  302  302  302",
    },
    "dues:roll_export": {
        "commune_viewer":         "200  200  404  404  404  404",
        "cell_secretary":         "404  403  404  404  404  404",
    },
}  # fmt: skip
#                           comm desc sib  miss
HAND_WRITTEN_DUES_MEMBERS = {
    "dues:member_basis": {
        "commune_officer":        "200  200  404  404",
        "commune_viewer":         "403  403  404  404",
        "cell_secretary":         "404  200  404  404",
        "other_province_officer": "404  404  404  404",
    },
}  # fmt: skip


def test_the_hand_written_dues_rows_agree_with_the_rules():
    for table, targets in ((HAND_WRITTEN_DUES, TARGETS),
                           (HAND_WRITTEN_DUES_MEMBERS, MEMBER_TARGETS)):  # fmt: skip
        for url_name, rows in table.items():
            for role, row in rows.items():
                statuses = [int(status) for status in row.split()]
                for method in endpoint(url_name).allowed:
                    computed = [expected_status(url_name, method, role, t) for t in targets]
                    assert computed == statuses, (url_name, method, role)
    computed = [expected_status("dues:index", "GET", role, None) for role in ROLES]
    assert computed == [302, 302, 302, 302, 302, 302, 302, 404, 302, 404]


# ---------------------------------------------------------------- the JSON API (tochuc/api)

API_PATHS = {
    "/api/v1/organizations/": "get",
    "/api/v1/organizations/T01.X01/": "get",
    "/api/v1/members/": "get",
    "/api/v1/members/1/": "get",
    "/api/v1/reports/": "get",
    "/api/v1/reports/membership/?organization=T01": "get",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_401_to_a_session_without_a_token(world, client, role):
    _as(client, world[1], role)
    for url, method in API_PATHS.items():
        assert getattr(client, method)(url).status_code == 401, url
    writes = {
        "/api/v1/members/": "POST",
        "/api/v1/members/1/": "PATCH",
        "/api/v1/members/1/events/": "POST",
        "/api/v1/members/1/transfers/": "POST",
        "/api/v1/transfers/1/receive/": "POST",
    }
    for url, method in writes.items():
        assert client.generic(method, url, "{}").status_code == 401, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_api_schema_and_docs_are_public_and_the_token_page_needs_a_login(world, client, role):
    _as(client, world[1], role)
    assert client.get(reverse("api-v1:openapi-json")).status_code == 200
    assert client.get(reverse("api-v1:openapi-view")).status_code == 200
    url = reverse("api:tokens")
    if role == "anonymous":
        _assert_redirected_to_login(client.get(url), url)
    else:
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------- cadre work (tochuc/cadres)

CADRE_CELLS = [
    pytest.param(url_name, method, role, target, id=f"{url_name}-{method}-{role}-{target}")
    for table in (CADRE_URLS, PLANNED_POSITION_URLS)
    for url_name, declared in table.items()
    for method in declared.allowed
    for role in ROLES
    for target in MEMBER_TARGETS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method", "role", "target"), CADRE_CELLS)
def test_cadre_url(world, client, url_name, method, role, target):
    cast, users = world
    node = MEMBER_TARGETS[target]
    objects = cast.cadres if url_name in CADRE_URLS else cast.planned_positions
    url = url_for(url_name, pk=objects[node].pk if node else MISSING_PK)
    response = _request(_as(client, users, role), method, url)
    expected = expected_status(url_name, method, role, target)
    assert response.status_code == expected
    if role == "anonymous":
        _assert_redirected_to_login(response, url)
    if expected == 404:
        assert "Không tìm thấy" in response.content.decode()


# Cadre pages: nobody but the administrator holds cadre rights among the cast's roles, so
# everyone else is told 404, in scope or not, never 403.
#                           comm desc sib  miss
HAND_WRITTEN_CADRES = {
    "cadres:detail": {
        "admin":                  "200  200  200  404",
        "province_officer":       "404  404  404  404",
        "commune_officer":        "404  404  404  404",
        "commune_viewer":         "404  404  404  404",
        "cell_secretary":         "404  404  404  404",
        "anonymous":              "302  302  302  302",
    },
    "cadres:planning_add": {
        "admin":                  "200  200  200  404",
        "commune_officer":        "404  404  404  404",
    },
}  # fmt: skip
#                           own  desc sib  anc  othr miss
HAND_WRITTEN_CADRE_PAGES = {
    "cadres:list": {
        "admin":                  "200  200  200  200  200  404",
        "province_officer":       "404  404  404  404  404  404",
        "commune_officer":        "404  404  404  404  404  404",
        "commune_viewer":         "404  404  404  404  404  404",
        "anonymous":              "302  302  302  302  302  302",
    },
    "cadres:staffing": {
        "commune_officer":        "404  404  404  404  404  404",
        "stranger":               "404  404  404  404  404  404",
    },
}  # fmt: skip


def test_the_hand_written_cadre_rows_agree_with_the_rules():
    for table, targets in ((HAND_WRITTEN_CADRES, MEMBER_TARGETS),
                           (HAND_WRITTEN_CADRE_PAGES, TARGETS)):  # fmt: skip
        for url_name, rows in table.items():
            for role, row in rows.items():
                statuses = [int(status) for status in row.split()]
                for method in endpoint(url_name).allowed:
                    computed = [expected_status(url_name, method, role, t) for t in targets]
                    assert computed == statuses, (url_name, method, role)
    row = [expected_status("cadres:index", "GET", role, None) for role in ROLES]
    assert row == [302, 404, 404, 404, 404, 404, 404, 404, 302, 404]
