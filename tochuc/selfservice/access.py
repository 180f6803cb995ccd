"""The member's side of the gate: a self-service page needs the MEMBER role's permission,
held by a signed-in user whose account is linked to a member record (MemberAccount,
activated and not locked). Anyone else — staff included — is answered 404, as for anything
out of scope; the page receives the member and reads nothing but what hangs off them."""

from functools import wraps

from django.http import Http404

from tochuc.accounts.permissions import ROLE_PERMISSIONS, SELF_SERVICE, Role

from .selectors import account_of


def self_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        account = account_of(request.user)
        if account is None:
            raise Http404
        request.org_perms = ROLE_PERMISSIONS[Role.MEMBER]
        request.member_account = account
        return view(request, account.member, *args, **kwargs)

    wrapper.permission = SELF_SERVICE
    return wrapper
