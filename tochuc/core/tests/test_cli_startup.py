"""`tochuc help` starts without the heavy libraries: openpyxl (and numpy behind it), calamine,
python-docx, WeasyPrint and pypdf load when a file is read or written, not at start-up."""

import json
import os
import subprocess
import sys

HEAVY = ("openpyxl", "numpy", "python_calamine", "docx", "weasyprint", "pypdf")

PROBE = """
import json, sys
from tochuc.cli import main
sys.argv = ["tochuc", "help"]
main()
print(json.dumps(sorted(name for name in %r if name in sys.modules)))
"""


def test_tochuc_help_loads_none_of_the_heavy_libraries():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tochuc.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,)],
        capture_output=True, text=True, env=environment, timeout=120, check=True,
    )  # fmt: skip
    assert "migrate" in result.stdout
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_a_lazy_module_works_as_soon_as_it_is_used():
    from tochuc.lib import xlsx

    content = xlsx.write_workbook([xlsx.SheetData("Tờ", ["Số"], [[1]], (10,))])
    assert content[:2] == b"PK"


def test_make_install_compiles_the_bytecode_every_command_starts_from():
    from django.conf import settings

    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "uv sync --frozen --inexact --quiet --compile-bytecode" in makefile
    assert "compileall -q -j 0 tochuc" in makefile
