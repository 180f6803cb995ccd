"""Topic modules (lib/vntext.py, lib/workdays.py …). The heavy ones load on first use: `xlsx`
(openpyxl, which pulls numpy, and calamine) and `documents` (python-docx, WeasyPrint), so that
the apps' start-up — every `tochuc` command, `tochuc help` included — does not pay for them."""

import importlib.util
import sys
from types import ModuleType

LAZY = ("xlsx", "documents")


def __getattr__(name: str) -> ModuleType:
    """`from tochuc.lib import xlsx` gives a module that is executed at its first attribute."""
    if name not in LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    full_name = f"{__name__}.{name}"
    module = sys.modules.get(full_name)
    if module is None:
        spec = importlib.util.find_spec(full_name)
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[full_name] = module
        spec.loader.exec_module(module)
    return module
