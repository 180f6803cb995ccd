"""Numbers the Vietnamese way: 2.053 (thousands with a dot), 2,5% (decimal comma)."""

from decimal import ROUND_HALF_UP, Decimal


def vn_int(value: int | None) -> str:
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def ratio_percent(part: int, whole: int | None, *, digits: int = 1) -> Decimal | None:
    """part / whole × 100, rounded half up to `digits` decimals; None when whole is 0 or None."""
    if not whole:
        return None
    quantum = Decimal(1).scaleb(-digits)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_HALF_UP)


def vn_percent(value: Decimal | float | None) -> str:
    """102 → "102%", 2.5 → "2,5%", 40.0 → "40%"; empty when there is no value."""
    if value is None:
        return ""
    text = format(Decimal(str(value)).normalize(), "f")
    whole, _dot, fraction = text.partition(".")
    return f"{vn_int(int(whole))}{',' + fraction if fraction else ''}%"


def vn_number(value) -> str:
    """An int as 2.053, a Decimal/float as 2,5."""
    if value is None:
        return ""
    if isinstance(value, int):
        return vn_int(value)
    text = format(Decimal(str(value)).normalize(), "f")
    whole, _dot, fraction = text.partition(".")
    return f"{vn_int(int(whole))}{',' + fraction if fraction else ''}"
