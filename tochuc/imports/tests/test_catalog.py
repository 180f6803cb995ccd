"""Importers are plug-ins: each app registers its own from its `ready()`."""

import pytest

from tochuc.imports import catalog, registry


def test_every_app_registers_its_importers_in_app_order():
    assert list(catalog.IMPORTERS) == [
        "organizations", "org-events", "members", "events", "event-corrections", "targets",
        "dues", "documents",
        "committees", "congresses",
        "meetings", "badges", "commendations",
        "staffing", "work-history",
        "appointments", "training", "planning",
    ]  # fmt: skip
    assert [importer.name for importer in registry.all_importers()] == list(catalog.IMPORTERS)


def test_a_name_cannot_be_given_to_two_importers():
    catalog.register("organizations", catalog.IMPORTERS["organizations"])  # again: no change
    with pytest.raises(ValueError, match="registered twice"):
        catalog.register("organizations", "tochuc.ratings.importing.RatingImporter")
    assert catalog.IMPORTERS["organizations"].endswith("OrganizationImporter")


def test_an_unknown_name_is_refused_with_the_list_of_names():
    names = "các loại có: (.*, )?event-corrections, events"
    with pytest.raises(registry.UnknownImporter, match=names):
        registry.get("ratings")
