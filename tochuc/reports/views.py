"""The reports page and the downloads.

The page (scoped: any organization in the caller's scope) shows the picker and, once a
report is chosen, the report as HTML with its charts and links to every file format. A
download is a view on one organization (URL kwarg `code`) needing EXPORT; every download
is audited. Out of scope reads as missing (404).

The whole country (code NATIONAL, reports declared `national`) is a system administrator's
alone: on the page the code is unknown to anyone else (404), and its download is a view over
the whole system needing ADMINISTER (an administrator holds every permission, EXPORT too).

With a reports replica (tochuc/core/routers.py) the page says when the replica lags or could
not be reached (the report then read on the primary).
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view, refuse, scoped_view
from tochuc.accounts.permissions import ADMINISTER, EXPORT, VIEW
from tochuc.core import audit, pages
from tochuc.core.routers import reading_reports
from tochuc.organizations.selectors import ancestors_on

from . import registry, renderers
from .forms import HTML, NATIONAL, ReportForm
from .heading import NATIONAL_NAME


def charts_of(data) -> dict:
    return {f"chart-{t.key}": t.chart_data() for t in data.tables if t.chart_data()}


def _query(form_data: dict, *, fmt: str | None = None) -> str:
    params = {"bao_cao": form_data["bao_cao"], **form_data["period"].as_query()}
    if fmt:
        params["dinh_dang"] = fmt
    return urlencode(params)


@scoped_view(VIEW)
def index(request):
    """Pick a report; see it on the page; download it in a file format."""
    homes = request.scope.home_organizations()
    initial = {"to_chuc": homes[0].code} if len(homes) == 1 else {}
    bound = request.GET
    if set(request.GET) <= {"to_chuc"}:  # from an organization's page: its code, nothing run
        initial.update(request.GET.dict())
        bound = None
    national = request.scope.is_admin  # may choose the whole country
    held = request.scope.permissions_for(None)
    if bound and bound.get("bao_cao"):
        # A report the caller may see nowhere is answered as one that does not exist.
        report = registry.get(bound["bao_cao"])
        if report is not None and report.permission not in held:
            raise refuse(report.permission)
    form = ReportForm(bound or None, initial=initial, national=national, permissions=held)
    context = {
        "form": form,
        "reports": registry.definitions_for(held),
        "national_code": NATIONAL if national else "",
        "national_name": NATIONAL_NAME,
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if national and data["to_chuc"] == NATIONAL:
            organization = None
            download = reverse("reports:download_national")
        else:
            organization = request.scope.get_organization(code=data["to_chuc"].strip())
            download = reverse("reports:download", kwargs={"code": organization.code})
        registry.visible(data["bao_cao"], scope=request.scope, organization=organization)
        if data["dinh_dang"] != HTML:
            return redirect(f"{download}?{_query(data, fmt=data['dinh_dang'])}")
        try:
            # The replica's choice (and its notice) is the one build() reads under.
            with reading_reports() as replica:
                dataset = registry.build(data["bao_cao"], organization, data["period"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            can_export = EXPORT in request.scope.permissions_for(organization)
            drilldown = registry.get(data["bao_cao"]).drilldown
            if drilldown and any(c.key == "balance" and not c.ok for c in dataset.checks):
                unbalanced = drilldown(
                    scope=request.scope, organization=organization, period=data["period"]
                )
                if unbalanced and unbalanced["rows"]:
                    # Names and birth dates of members: a read of personal data.
                    audit.record(
                        "tochuc.report.unbalanced_viewed",
                        by=request.user,
                        obj=organization,
                        report=data["bao_cao"],
                        period=data["period"].as_dict(),
                        members=[row["member"].pk for row in unbalanced["rows"]],
                    )
                context["unbalanced"] = unbalanced
            context.update(
                organization=organization,
                national=organization is None,
                data=dataset,
                replica_notice=replica.notice(),
                charts=charts_of(dataset),
                ancestors=ancestors_on(
                    scope=request.scope, organization=organization, on=data["period"].end
                )
                if organization
                else [],
                downloads=[
                    (f, f"{download}?{_query(data, fmt=f.key)}") for f in renderers.FORMATS.values()
                ]
                if can_export
                else [],
            )
    return render(request, "reports/index.html", context)


@organization_view(EXPORT)
def download(request, organization):
    """The report as a file (?bao_cao=…&nam=…&dinh_dang=xlsx|docx|pdf|json|text); audited."""
    return _download(request, organization)


@scoped_view(ADMINISTER)
def download_national(request):
    """The report for the whole country as a file (reports declared `national`); audited."""
    return _download(request, None)


def _download(request, organization):
    """`organization` None: the whole country."""
    code = organization.code if organization else NATIONAL
    name = request.GET.get("bao_cao") or "membership"
    if registry.get(name) is not None:  # before anything else is said about the request
        registry.visible(name, scope=request.scope, organization=organization)
    form = ReportForm(
        {"bao_cao": "membership", **request.GET.dict(), "to_chuc": code},
        national=organization is None,
    )
    fmt = request.GET.get("dinh_dang") or "xlsx"
    if not form.is_valid() or fmt not in renderers.FORMATS:
        form.is_valid()
        if fmt not in renderers.FORMATS:
            form.add_error("dinh_dang", _("Định dạng không hợp lệ."))
        return render(request, "reports/index.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        dataset = registry.build(data["bao_cao"], organization, data["period"])
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "reports/index.html", {"form": form}, status=400)
    content = renderers.render(dataset, fmt)
    audit.record(
        "tochuc.report.exported",
        by=request.user,
        obj=organization,  # None: the whole country, named in the data
        **({} if organization else {"organization": NATIONAL}),
        report=dataset.report,
        period=dataset.period.as_dict(),
        format=fmt,
    )
    return pages.download(
        content, renderers.filename(dataset, fmt), renderers.FORMATS[fmt].content_type
    )
