"""Generated people shared by the application and ticket generators: Indonesian
names, NIKs of the catalogue's layout, reserved ids.

NIK layout (catalogue ``nik``, ``accounts.nik``): ``PP KK CC DDMMYY SSSS`` -
province, regency/city, kecamatan, birth date (women add 40 to the day),
registration serial 0001-9999. Four in five generated residents carry a Kota
Tangerang NIK (``3671`` and a kecamatan prefix from the catalogue's districts);
the others one of the neighbouring regencies (assumption: the catalogue notes
that many applicants come from elsewhere but gives no share).
"""

import datetime as dt

from django.db import connections

from agencies.models import District

# Common Indonesian given names and family/second names (assumption: a plain
# list; many Javanese people have a single name, about one in six here).
FIRST_NAMES = [
    "Ahmad", "Agus", "Andi", "Budi", "Bambang", "Dedi", "Dian", "Dewi", "Eko",
    "Fajar", "Fitri", "Hendra", "Indah", "Irwan", "Joko", "Kartika", "Lestari",
    "Maya", "Muhammad", "Nur", "Nurul", "Putri", "Rina", "Rizky", "Sari", "Siti",
    "Sri", "Taufik", "Tri", "Wahyu", "Wulan", "Yanti", "Yusuf", "Ratna", "Hadi",
    "Rudi", "Ayu", "Dwi", "Aditya", "Bayu", "Citra", "Gilang", "Intan", "Lukman",
]  # fmt: skip
LAST_NAMES = [
    "Saputra", "Wulandari", "Hidayat", "Lestari", "Pratama", "Sari", "Nugroho",
    "Setiawan", "Kurniawan", "Susanti", "Santoso", "Rahmawati", "Wijaya",
    "Hasibuan", "Siregar", "Simanjuntak", "Permana", "Gunawan", "Firmansyah",
    "Maulana", "Ramadhan", "Anggraini", "Handayani", "Suryani", "Purnomo",
]  # fmt: skip
# Neighbouring regencies/cities (Kab. Tangerang, Tangerang Selatan, Jakarta
# Barat/Selatan, Kab. Serang, Bogor, Depok, Bekasi).
OTHER_REGENCIES = ["3603", "3674", "3173", "3174", "3604", "3201", "3276", "3275"]


def full_name(rng) -> str:
    if rng.random() < 1 / 6:
        return rng.choice(FIRST_NAMES)
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


class NikMaker:
    """Unique, structurally valid NIKs (``accounts.nik.nik_parse`` accepts
    them). ``taken`` starts with the NIKs of active accounts already stored."""

    def __init__(self, using: str = "default") -> None:
        from accounts.models import User

        self.prefixes = sorted(
            District.objects.using(using)
            .filter(nik_prefix__startswith="3671")
            .values_list("nik_prefix", flat=True)
        ) or ["367101"]
        self.taken = set(
            User.objects.using(using)
            .filter(is_active=True)
            .exclude(nik="")
            .values_list("nik", flat=True)
        )

    def make(self, rng, *, born: dt.date) -> str:
        while True:
            if rng.random() < 0.8:
                region = rng.choice(self.prefixes)
            else:
                region = f"{rng.choice(OTHER_REGENCIES)}{rng.randrange(1, 31):02d}"
            day = born.day + (40 if rng.random() < 0.5 else 0)
            nik = (
                f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}"
                f"{rng.randrange(1, 10_000):04d}"
            )
            if nik not in self.taken:
                self.taken.add(nik)
                return nik


def birth_date(rng, at: dt.datetime, *, youngest=18, oldest=70) -> dt.date:
    """A birth date making the person ``youngest``-``oldest`` years old at
    ``at`` (uniform)."""
    days = rng.randrange(youngest * 365, oldest * 365)
    return (at - dt.timedelta(days=days)).date()


class IdPool:
    """Ids for rows loaded with ``COPY`` that other rows point at, taken from
    the table's own sequence (PostgreSQL, ``blocks`` at a time) so that live
    inserts later continue after them; on SQLite, after the largest id."""

    def __init__(self, table: str, *, using: str = "default", block=10_000) -> None:
        self.connection = connections[using]
        self.table = table
        self.block = block
        self.free: list[int] = []
        self.next_sqlite: int | None = None

    def take(self) -> int:
        if not self.free:
            self._refill()
        return self.free.pop()

    def _refill(self) -> None:
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s)",
                    [self.table, self.block],
                )
                self.free = sorted((r[0] for r in cursor.fetchall()), reverse=True)
                return
            if self.next_sqlite is None:
                cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{self.table}"')  # noqa: S608
                self.next_sqlite = cursor.fetchone()[0] + 1
            start = self.next_sqlite
            self.next_sqlite += self.block
            self.free = list(range(start + self.block - 1, start - 1, -1))
