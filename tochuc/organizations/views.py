from django.http import HttpResponse

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_ORGANIZATIONS, VIEW


@scoped_view(VIEW)
def search(request):
    return HttpResponse("")


@organization_view(VIEW)
def detail(request, organization):
    return HttpResponse(organization.name)


@organization_view(VIEW)
def tree(request, organization):
    return HttpResponse("")


@organization_view(VIEW)
def tree_children(request, organization):
    return HttpResponse("")


@organization_view(CHANGE_ORGANIZATIONS)
def found(request, organization):
    return HttpResponse("")


rename = move = merge = split = dissolve = found
