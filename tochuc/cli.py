"""The `tochuc` command: manage.py under the product's name (tochuc migrate, tochuc demo …)."""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tochuc", *sys.argv[1:]])
    return 0
