"""The importers by name, as the apps register them from their `ready()`.

Kept apart from `registry` (which imports the spreadsheet reader) so that registering
costs nothing at start-up: an importer is named by its dotted path and imported on first
use. Adding an importer touches only its own app:

    # <app>/apps.py
    def ready(self):
        from tochuc.imports import catalog

        catalog.register("ratings", "tochuc.ratings.importing.RatingImporter")
"""

IMPORTERS: dict[str, str] = {}  # name → dotted path of the Importer subclass, in app order


def register(name: str, path: str) -> None:
    """Make the importer at `path` available as `tochuc import NAME` and on the web."""
    if IMPORTERS.get(name, path) != path:
        raise ValueError(f"importer {name!r} registered twice: {IMPORTERS[name]} and {path}")
    IMPORTERS[name] = path
