"""The NIK structural check, masking and the subject identity value."""

import datetime as dt

from django.core.exceptions import ValidationError

import pytest

from accounts.identity import SubjectIdentity, subject_identity_validate
from accounts.nik import nik_mask, nik_parse
from accounts.regions import PROVINCES

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("nik", "birth_date", "sex"),
    [
        ("3671051203850001", dt.date(1985, 3, 12), "M"),  # Cipondoh, man
        ("3671055203850002", dt.date(1985, 3, 12), "F"),  # same day, woman: 12+40
        ("3671 0571 1201 0003", dt.date(2001, 12, 31), "F"),  # separators allowed
        ("3273010101000001", dt.date(2000, 1, 1), "M"),  # Kota Bandung: not Tangerang
        ("9601014102250009", dt.date(2025, 2, 1), "F"),  # Papua Barat Daya (2022)
        ("3671052902240001", dt.date(2024, 2, 29), "M"),  # leap day
        ("3671010101300001", dt.date(1930, 1, 1), "M"),  # "30" read as 1930, not 2030
    ],
)
def test_valid_niks_give_birth_date_and_sex(db, nik, birth_date, sex):
    info = nik_parse(nik, today=TODAY)
    assert info.birth_date == birth_date
    assert info.sex == sex
    assert len(info.nik) == 16


@pytest.mark.parametrize(
    ("nik", "code", "words"),
    [
        ("367105120385001", "length", "16"),  # 15 digits
        ("36710512038500011", "length", "16"),  # 17 digits
        ("3671O51203850001", "digits", "angka"),  # letter O
        ("0071051203850001", "province", "00"),  # no province 00
        ("2071051203850001", "province", "20"),  # 20 is not a province
        ("3600051203850001", "regency", "00"),
        ("3671003203850001", "district", "00"),
        ("3671053203850001", "birth_date", "320385"),  # day 32
        ("3671057203850001", "birth_date", "720385"),  # woman, day 32
        ("3671051213850001", "birth_date", "121385"),  # month 13
        ("3671053002850001", "birth_date", "300285"),  # 30 February
        ("3671052902250001", "birth_date", "290225"),  # 29 Feb 2025/1925
        ("3671051203850000", "serial", "0000"),
    ],
)
def test_invalid_niks_are_refused_with_a_readable_reason(db, nik, code, words):
    """The message (Indonesian by default) names the faulty digits."""
    with pytest.raises(ValidationError) as caught:
        nik_parse(nik, today=TODAY)
    assert caught.value.code == code
    assert words in caught.value.messages[0]


def test_kota_tangerang_kecamatan_must_exist_once_districts_are_loaded(cipondoh):
    """With the catalogue's districts, 3671 + unknown kecamatan is refused; other
    regions keep any plausible kecamatan code."""
    assert nik_parse("3671051203850001", today=TODAY).district_code == "367105"
    with pytest.raises(ValidationError) as caught:
        nik_parse("3671991203850001", today=TODAY)
    assert caught.value.code == "district"
    assert nik_parse("3603991203850001", today=TODAY).province_name == "Banten"


def test_the_province_list_is_the_38_of_the_2025_decree():
    assert len(PROVINCES) == 38
    assert PROVINCES["36"] == "Banten"
    assert {"93", "94", "95", "96"} <= set(PROVINCES)


def test_mask_keeps_region_and_serial_only():
    assert nik_mask("3671051203850001") == "3671********0001"
    assert nik_mask("") == ""
    assert nik_mask("123") == "***"


def test_message_is_indonesian_by_default(db):
    with pytest.raises(ValidationError) as caught:
        nik_parse("367105", today=TODAY)
    assert "16 digit" in caught.value.messages[0]
    assert "A NIK" not in caught.value.messages[0]


class TestSubjectIdentity:
    def test_newborn_without_nik(self):
        subject = subject_identity_validate(
            {
                "full_name": "Bayi Ny. Siti",
                "relationship": "child",
                "birth_date": "2026-11-20",
                "birth_place": "Tangerang",
            },
            today=TODAY,
        )
        assert subject.nik == ""
        assert SubjectIdentity.from_json(subject.to_json()) == subject

    def test_deceased_parent_with_nik(self, db):
        subject = subject_identity_validate(
            {
                "full_name": "Almarhum Slamet",
                "relationship": "parent",
                "nik": "3671051203500001",
                "birth_date": "1950-03-12",
                "death_date": "2026-11-01",
            },
            today=TODAY,
        )
        assert subject.death_date == dt.date(2026, 11, 1)
        assert subject.nik_masked == "3671********0001"

    def test_inconsistent_values_are_reported_per_field(self, db):
        with pytest.raises(ValidationError) as caught:
            subject_identity_validate(
                {
                    "full_name": "",
                    "relationship": "cousin",
                    "nik": "3671051203500001",
                    "birth_date": "1951-03-12",
                    "death_date": "1940-01-01",
                },
                today=TODAY,
            )
        errors = caught.value.message_dict
        assert set(errors) == {"full_name", "relationship", "nik", "death_date"}
        assert "12-03-1950" in errors["nik"][0]
