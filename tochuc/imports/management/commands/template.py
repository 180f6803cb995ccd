"""`tochuc template NAME [-o FILE]`: write the documented XLSX template of an importer."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tochuc.imports import registry


class Command(BaseCommand):
    help = "Ghi tệp Excel mẫu (có trang hướng dẫn) để nhập dữ liệu: tochuc template organizations"

    def add_arguments(self, parser):
        parser.add_argument(
            "name", help=f"Loại dữ liệu nhập: {', '.join(sorted(registry.IMPORTERS))}"
        )
        parser.add_argument(
            "-o", "--output", help="Tệp ghi ra (mặc định: mau-nhap-NAME.xlsx; “-”: stdout)"
        )

    def handle(self, *args, name, output=None, **options):
        try:
            importer = registry.get(name)
        except registry.UnknownImporter as error:
            raise CommandError(str(error)) from error
        content = importer.template()
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        path = Path(output or importer.template_filename())
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error.strerror}.") from error
        self.stdout.write(f"Đã ghi mẫu nhập {importer.title}: {path}")
