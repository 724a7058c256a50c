"""What the display board says aloud: the call in Indonesian words, for the
browser's speech synthesis (``lang="id-ID"``), whatever the page language."""

import re

_UNITS = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
]


def number_words(n: int) -> str:
    """Indonesian words for ``0 <= n < 1_000_000``: 11 ``sebelas``, 100
    ``seratus``, 1000 ``seribu``, 1234 ``seribu dua ratus tiga puluh empat``."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"{n} is out of range.")
    if n < 10:
        return _UNITS[n]
    if n < 20:
        if n == 10:
            return "sepuluh"
        if n == 11:
            return "sebelas"
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
        return head + (f" {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    head = "seribu" if thousands == 1 else f"{number_words(thousands)} ribu"
    return head + (f" {number_words(rest)}" if rest else "")


def spoken_call(ticket_number: str, counter_label: str, counter_number: int) -> str:
    """``"Nomor antrean A dua belas, silakan ke Loket tiga."`` for ``A012`` called
    to counter 3 (letters spelt, leading zeros dropped)."""
    match = re.match(r"^([A-Z]*)(\d+)$", ticket_number)
    if match:
        letters, digits = match.groups()
        number = " ".join([*letters, number_words(int(digits))])
    else:
        number = ticket_number
    label = re.sub(r"\d+", lambda m: number_words(int(m.group())), counter_label)
    if not label.strip():
        label = f"loket {number_words(counter_number)}"
    return f"Nomor antrean {number}, silakan ke {label}."
