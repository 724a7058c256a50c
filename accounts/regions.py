"""Indonesian province codes, the first two digits of every NIK.

Source: Keputusan Menteri Dalam Negeri No. 300.2.2-2138 Tahun 2025 tentang
Pemberian dan Pemutakhiran Kode, Data Wilayah Administrasi Pemerintahan, dan Pulau
(the same decree the catalogue's districts cite; dataset via
https://github.com/cahyadsn/wilayah). 38 provinces, including the four Papuan
provinces created in 2022 (codes 93-96). These are Kemendagri (Dukcapil) codes,
not BPS statistical codes, which differ for Papua.

No well-kept Python package carries the complete regional code list (PyPI has only
unmaintained or single-release ones), so the portal ships the provinces and accepts
any plausible regency code (01-99) within a known province. Kota Tangerang
(``3671``) is checked down to the kecamatan against the catalogue's districts
(``agencies.District.nik_prefix``).
"""

PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

#: Kota Tangerang's first four NIK digits (province 36 Banten, city 71).
KOTA_TANGERANG = "3671"
