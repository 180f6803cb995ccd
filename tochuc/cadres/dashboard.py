"""The home page's panel "Việc đến hạn — cán bộ": re-appointments whose term ends within the
policy's notice (90 days) and the retirements of the year, for the organization shown, on
the day shown. Only for users holding VIEW_CADRES there (the panel's permission)."""

from datetime import date

from tochuc.accounts.permissions import VIEW_CADRES

PANEL_SIZE = 8


def due_panel(request, organization, on: date) -> dict | None:
    from . import selectors

    reappointments = list(
        selectors.reappointments_due(scope=request.scope, organization=organization, on=on)
    )
    retirements = selectors.retirements_between(
        scope=request.scope, organization=organization, start=date(on.year, 1, 1),
        end=date(on.year, 12, 31),
    )  # fmt: skip
    back = list(selectors.rotations_due_back(scope=request.scope, organization=organization, on=on))
    if not reappointments and not retirements and not back:
        return None
    return {
        "reappointments": [
            {
                "pk": p.cadre_id,
                "name": p.cadre.full_name,
                "title": p.title,
                "place": p.place,
                "term_ends_on": p.term_ends_on,
                "overdue": p.term_ends_on < on,
            }
            for p in reappointments[:PANEL_SIZE]
        ],  # fmt: skip
        "reappointments_total": len(reappointments),
        "retirements": [
            {
                "pk": r.cadre.pk,
                "name": r.cadre.full_name,
                "retires_on": r.retires_on,
                "title": r.positions[0].title if r.positions else "",
                "planned": len(r.planned),
            }
            for r in retirements[:PANEL_SIZE]
        ],  # fmt: skip
        "retirements_total": len(retirements),
        "returns": [
            {
                "pk": r.cadre_id,
                "name": r.cadre.full_name,
                "due_back_on": r.due_back_on,
                "where": str(r),
                "overdue": r.due_back_on < on,
            }
            for r in back[:PANEL_SIZE]
        ],  # fmt: skip
        "year": on.year,
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel(
        "cadres_due", "cadres/_due_panel.html", due_panel, permission=VIEW_CADRES, order=25
    )
