"""Importers for norskeutslipp.no exports, EEA E-PRTR F1_4 and Miljødirektoratet's municipal statistics.

Every number in the fixtures is made up (tests/fixtures/README.md).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box

from core.schema import FIGURE_COLUMNS, FIGURE_SCOPES
from i18n import error_text
from loaders.errors import FileFormatError, LayerError, SchemaError
from loaders.files.layers import read_figures
from loaders.files.numbers import CellError, parse_number, parse_year, tonnes_factor
from loaders.files.tables import MissingColumnError
from loaders.official.eea import Selection, read_eea_f1_4
from loaders.official.importing import FACILITY_COLUMNS, MUNICIPAL_COLUMNS, summary_lines
from loaders.official.kommunestatistikk import read_kommunestatistikk
from loaders.official.matching import Municipalities, match_facilities, name_key, split_kommune
from loaders.official.norskeutslipp import read_norskeutslipp
from loaders.official.registry import run_import

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NORSKEUTSLIPP_XLSX = FIXTURES / "norskeutslipp_testfixture.xlsx"
NORSKEUTSLIPP_CSV = FIXTURES / "norskeutslipp_testfixture.csv"
EEA_CSV = FIXTURES / "eea_f1_4_testfixture.csv"
KOMMUNE_CSV = FIXTURES / "kommunestatistikk_testfixture.csv"


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def known() -> pd.DataFrame:
    """Known facilities as the sources layer gives them, with the optional anlegg_id column."""
    return pd.DataFrame(
        {
            "id": ["src-elkem-thamshavn", "src-heimdal-varmesentral", "src-norske-skog-skogn", "src-norfrakalk"],
            "facility": ["Elkem Thamshavn", "Heimdal varmesentral", "Norske Skog Skogn", "NorFraKalk"],
            "orgnr": [None, "912 345 678", None, None],
            "anlegg_id": ["9001", None, None, None],
        }
    )


# --- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("313 182,2", 313182.2),
        ("313\u00a0182,2", 313182.2),  # no-break space, as Excel prints thousands in Norwegian
        ("313\u202f182,2", 313182.2),  # narrow no-break space
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1.234", 1234.0),  # a dot before three digits separates thousands in a Norwegian file
        ("12.5", 12.5),
        ("1,234.5", 1234.5),
        ("0,5", 0.5),
        ("−5,5", -5.5),  # typographic minus
        ("1,5E+03", 1500.0),
        (" 450 ", 450.0),
        (42, 42.0),
        (120000.5, 120000.5),
        ("-", None),
        ("–", None),
        ("..", None),
        ("", None),
        ("  ", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "12,3,4", "1.234,5,6", "12 t", "1,234.5.6", "inf"])
def test_parse_number_garbage_names_row_and_column(raw):
    with pytest.raises(CellError) as caught:
        parse_number(raw, 7, "Årlig utslipp til luft", "utslipp.csv")
    message = str(caught.value)
    assert "'utslipp.csv', row 7, column 'Årlig utslipp til luft'" in message
    assert repr(raw) in message
    assert isinstance(caught.value, SchemaError) and isinstance(caught.value, LayerError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022", 2022),
        (2022, 2022),
        (2022.0, 2022),
        ("2022.0", 2022),
        ("2022-01-01", 2022),
        ("2022-01-01 00:00:00", 2022),
        (dt.datetime(2021, 1, 1), 2021),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_parse_year(raw, expected):
    assert parse_year(raw) == expected


@pytest.mark.parametrize("raw", ["tjuetjueto", "22", "1850", 2022.5])
def test_parse_year_garbage(raw):
    with pytest.raises(CellError, match=r"row 3, column 'År'"):
        parse_year(raw, 3, "År")


def test_tonnes_factor():
    assert tonnes_factor("tonn") == 1.0
    assert tonnes_factor(" Tonn ") == 1.0
    assert tonnes_factor("kg") == 0.001
    with pytest.raises(CellError, match=r"row 4, column 'Enhet': expected a unit of mass.*'liter'"):
        tonnes_factor("liter", 4, "Enhet")


# --- norskeutslipp.no --------------------------------------------------------------------------------

EXPECTED_NORSKEUTSLIPP = [
    # facility_id, year, amount_t
    ("src-elkem-thamshavn", 2022, 123456.7),
    ("src-elkem-thamshavn", 2021, 120000.5),
    ("src-heimdal-varmesentral", 2022, 65432.1),
    ("src-norske-skog-skogn", 2022, 1234.5),
    ("src-fiktiv-testfabrikk-gronora", 2022, 2345.6),
    ("src-norfrakalk", 2022, 0.45),  # 450 kg
]


@pytest.mark.parametrize("path", [NORSKEUTSLIPP_XLSX, NORSKEUTSLIPP_CSV], ids=["xlsx", "csv"])
def test_norskeutslipp_figures(path, known):
    result = read_norskeutslipp(path, known)
    figures = result.figures
    assert list(figures.columns) == list(FIGURE_COLUMNS)
    assert list(zip(figures["facility_id"], figures["year"], figures["amount_t"], strict=True)) == (
        EXPECTED_NORSKEUTSLIPP
    )
    assert set(figures["scope"]) == {"co2e"}
    assert set(figures["basis"]) == {"stated"}
    assert set(figures["source_url"]) == {f"norskeutslipp.no export: {path.name}"}
    assert figures["quote"].iloc[0] == "123\u00a0456,7 tonn"  # as printed, no-break space and all
    assert figures["quote"].iloc[3] == "1.234,5 tonn"
    assert figures["quote"].iloc[5] == "450 kg"
    assert "AnleggId 9001" in figures["note"].iloc[0]
    assert "grunnlagsverdi for luft: B" in figures["note"].iloc[0]
    assert "antatt klimagasser i CO2-ekvivalenter" in figures["note"].iloc[0]
    assert str(figures["year"].dtype) == "Int64" and figures["amount_t"].dtype == float


def test_norskeutslipp_quote_of_a_number_cell_and_a_text_cell():
    assert read_norskeutslipp(NORSKEUTSLIPP_XLSX).figures["quote"].iloc[1] == "120000.5 tonn"  # number cell
    assert read_norskeutslipp(NORSKEUTSLIPP_CSV).figures["quote"].iloc[1] == "120000,5 tonn"  # text


@pytest.mark.parametrize("path", [NORSKEUTSLIPP_XLSX, NORSKEUTSLIPP_CSV], ids=["xlsx", "csv"])
def test_norskeutslipp_summary_and_matches(path, known):
    result = read_norskeutslipp(path, known)
    s = result.summary
    assert (s.rows_read, s.rows_kept, s.matched, s.unmatched) == (9, 6, 4, 1)  # the empty row is not a row
    assert s.skipped == {
        "outside Trøndelag": 1,  # Yara Porsgrunn, Telemark
        "no release to air given": 1,  # Ranheim: "-" to air, a value to water
        "no year (a sum or footnote row)": 1,  # the "Sum" row
    }
    assert s.matched_by == {"anlegg_id": 1, "orgnr": 1, "name": 2}
    assert s.notes == ["rows that also give a release to water: 1 (not imported: air only)"]
    facilities = result.facilities.set_index("name")
    assert list(result.facilities.columns) == [*FACILITY_COLUMNS, "geometry"]
    assert facilities.loc["Elkem Thamshavn", "matched_by"] == "anlegg_id"
    assert facilities.loc["Heimdal varmesentral", "matched_by"] == "orgnr"
    assert facilities.loc["Norske Skog Skogn AS", "matched_by"] == "name"  # "AS" is a legal form
    assert facilities.loc["NorFraKalk", "matched_by"] == "name"  # no Fylke: kept as Verdal is in Trøndelag
    assert facilities.loc["Elkem Thamshavn", "orgnr"] == "910000001"
    assert facilities.loc["Elkem Thamshavn", "kommunenummer"] == "5059"
    assert facilities.loc["Elkem Thamshavn", "figures"] == 2
    assert facilities.loc["Elkem Thamshavn", "sector"] == "24.450"
    assert result.facilities.geometry.isna().all()  # the export has no coordinates
    assert result.facilities.crs == "EPSG:4326"
    unmatched = result.unmatched
    assert list(unmatched["name"]) == ["Fiktiv Testfabrikk Grønøra"]  # cp1252 in the .csv, read right
    assert unmatched["facility_id"].iloc[0] == "src-fiktiv-testfabrikk-gronora"  # proposed id
    assert unmatched["matched_by"].iloc[0] is None
    assert unmatched["anlegg_id"].iloc[0] == "9004"
    assert len(result.matches) == 4
    assert list(result.figures_for(unmatched["facility_id"])["amount_t"]) == [2345.6]


def test_norskeutslipp_options():
    every_county = read_norskeutslipp(NORSKEUTSLIPP_CSV, counties=None)
    assert every_county.summary.rows_kept == 7
    assert "outside Trøndelag" not in every_county.summary.skipped
    co2 = read_norskeutslipp(NORSKEUTSLIPP_CSV, scope="co2")
    assert set(co2.figures["scope"]) == {"co2"}
    assert "antatt" not in co2.figures["note"].iloc[0]
    with pytest.raises(ValueError, match="scope"):
        read_norskeutslipp(NORSKEUTSLIPP_CSV, scope="nox")


def test_norskeutslipp_without_known_facilities_proposes_ids():
    result = read_norskeutslipp(NORSKEUTSLIPP_XLSX)
    assert result.summary.matched == 0 and result.summary.unmatched == 5
    assert result.facilities["facility_id"].is_unique
    assert all(i.startswith("src-") for i in result.facilities["facility_id"])


def test_norskeutslipp_figures_fit_the_figure_table(tmp_path, known):
    """What an import gives can be saved and read back as the figure table."""
    figures = read_norskeutslipp(NORSKEUTSLIPP_XLSX, known).figures
    figures.to_csv(tmp_path / "emission_figures.csv", index=False)
    again = read_figures(tmp_path / "emission_figures.csv")
    pd.testing.assert_frame_equal(again, figures, check_dtype=False)
    assert set(again["scope"]) <= set(FIGURE_SCOPES)


def test_norskeutslipp_garbage_number_names_row_and_column(tmp_path):
    text = NORSKEUTSLIPP_CSV.read_bytes().decode("cp1252").replace("65 432,1", "ca. 65 000")
    path = tmp_path / "broken.csv"
    path.write_text(text, encoding="cp1252")
    with pytest.raises(CellError) as caught:
        read_norskeutslipp(path)
    assert str(caught.value) == (
        "'broken.csv', row 8, column 'Årlig utslipp til luft': "
        'expected a number such as "313 182,2" (or "-" for none), got \'ca. 65 000\''
    )


def test_norskeutslipp_unknown_unit(tmp_path):
    text = NORSKEUTSLIPP_CSV.read_bytes().decode("cp1252").replace(";kg;", ";liter;")
    path = tmp_path / "unit.csv"
    path.write_text(text, encoding="cp1252")
    with pytest.raises(CellError, match=r"row 12, column 'Enhet'.*'liter'"):
        read_norskeutslipp(path)


def test_norskeutslipp_header_spelling_and_comma_separator(tmp_path):
    """Column names match regardless of case and spacing; "," works as separator too."""
    frame = pd.DataFrame(
        {
            "ANLEGGSNAVN": ["Elkem Thamshavn"],
            "fylke": ["Trøndelag"],
            " Kommune ": ["Orkland"],
            "År": [2022],
            "Årlig  utslipp til luft": ["1,5"],
            "Enhet": ["tonn"],
            "anleggid": [9001],
            "Org.nr.": [""],
        }
    )
    path = tmp_path / "lower.csv"
    frame.to_csv(path, index=False)
    result = read_norskeutslipp(path)
    assert list(result.figures["amount_t"]) == [1.5]
    assert result.facilities["anlegg_id"].iloc[0] == "9001"


# --- EEA F1_4 -------------------------------------------------------------------------------------------


def test_eea_figures(known):
    result = read_eea_f1_4(EEA_CSV, known)
    figures = result.figures
    assert list(figures.columns) == [*FIGURE_COLUMNS, "pollutant", "inspire_id", "publication_date", "licence"]
    rows = list(zip(figures["facility_id"], figures["year"], figures["amount_t"], figures["scope"], strict=True))
    assert rows == [
        ("src-elkem-thamshavn", 2021, 215000.0, "total"),
        ("src-elkem-thamshavn", 2021, 210000.0005, "fossil"),  # "excluding biomass"
        ("src-elkem-thamshavn", 2021, 450.0, "nox"),  # every pollutant, each its own scope
        ("src-heimdal-varmesentral", 2021, 240000.0, "total"),
        ("src-norske-skog-skogn", 2021, 178000.0005, "total"),  # "178000000,5": a decimal comma
        ("src-confidential-no-test-000004-facility", 2021, 150000.0, "total"),
    ]
    assert set(figures["basis"]) == {"stated"}
    assert figures["quote"].iloc[4] == "178000000,5 kg"
    assert figures["pollutant"].iloc[2] == "Nitrogen oxides (NOX)"
    assert figures["inspire_id"].iloc[0] == "NO.TEST/000001.FACILITY"
    assert set(figures["licence"]) == {"European Environment Agency, E-PRTR (CC BY 4.0)"}
    assert set(figures["source_url"]) == {"EEA E-PRTR F1_4: eea_f1_4_testfixture.csv"}
    assert "omregnet fra kg til tonn" in figures["note"].iloc[0]
    assert "konfidensialitet: Article 4(2)(d)" in figures["note"].iloc[4]  # kept, with its reason


def test_eea_summary_and_facilities(known):
    result = read_eea_f1_4(EEA_CSV, known)
    s = result.summary
    assert (s.rows_read, s.rows_kept, s.matched, s.unmatched) == (13, 6, 3, 1)  # NOx is kept too
    assert s.skipped == {
        "outside Norway": 2,
        "outside Trøndelag": 1,  # Porsgrunn
        "no coordinates (cannot tell whether it is in Trøndelag)": 1,  # address confidential
        "pollutant withheld as confidential": 1,
        "emissions withheld as confidential": 1,
        "no emissions value": 1,
    }
    assert s.notes == ["kept rows with a confidentiality reason: 1 (the reason is in the figure note)"]
    facilities = result.facilities.set_index("inspire_id")
    assert result.facilities.crs == "EPSG:4326"
    thamshavn = facilities.loc["NO.TEST/000001.FACILITY"]
    assert (thamshavn.geometry.x, thamshavn.geometry.y) == (9.8783, 63.3208)
    assert thamshavn["city"] == "Orkanger" and thamshavn["kommunenummer"] is None
    heimdal = facilities.loc["NO.TEST/000002.FACILITY"]
    assert (heimdal["municipality"], heimdal["kommunenummer"]) == ("Trondheim", "5001")
    secret = facilities.loc["NO.TEST/000004.FACILITY"]
    assert secret["name"] == "CONFIDENTIAL (NO.TEST/000004.FACILITY)"
    assert secret["note"].startswith("name confidential: Article 4(2)(d)")
    assert secret["matched_by"] is None
    assert secret["sector"] == "Installations for the production of cement clinker or lime"


def test_eea_whole_country_and_no_area():
    result = read_eea_f1_4(EEA_CSV, selection=Selection(country=None, area=None))
    assert result.summary.rows_kept == 10  # + NOx, Porsgrunn, the kalkverk without coordinates, Sweden, Germany
    without_position = result.facilities.set_index("inspire_id").loc["NO.TEST/000005.FACILITY"]
    assert without_position.geometry is None
    assert without_position["note"].startswith("address confidential")


def test_eea_area_polygon():
    trondheim = box(10.2, 63.3, 10.6, 63.5)
    result = read_eea_f1_4(EEA_CSV, selection=Selection(area=trondheim))
    assert list(result.facilities["name"]) == ["Heimdal varmesentral"]


def test_eea_unit_in_tonnes_and_plausibility_note():
    result = read_eea_f1_4(EEA_CSV, unit="t")
    assert result.figures["amount_t"].iloc[0] == 215000000.0
    assert any("look large for t" in error_text(note, "en") for note in result.summary.notes)
    assert not any(note.code.startswith("note_co2") for note in read_eea_f1_4(EEA_CSV).summary.notes)


def test_eea_header_case_and_semicolon(tmp_path):
    """Some F1_4 versions spell FacilityInspireId; a re-saved file may use ";"."""
    frame = pd.read_csv(EEA_CSV, dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"FacilityInspireID": "FacilityInspireId", "City": "city"})
    path = tmp_path / "semicolon.csv"
    frame.to_csv(path, sep=";", index=False)
    result = read_eea_f1_4(path)
    assert result.summary.rows_kept == 6
    assert result.facilities["inspire_id"].iloc[0] == "NO.TEST/000001.FACILITY"


def test_eea_garbage_names_the_row_across_chunks(tmp_path):
    path = tmp_path / "broken_f1_4.csv"
    path.write_text(EEA_CSV.read_text(encoding="utf-8").replace(",240000000,", ",mye,"), encoding="utf-8")
    with pytest.raises(CellError, match=r"'broken_f1_4.csv', row 5, column 'emissions'.*'mye'"):
        read_eea_f1_4(path, chunk_rows=2)  # row 5 is in the second chunk


def test_eea_windows_1252_found_after_an_ascii_head(tmp_path):
    """The first 64 KiB say nothing about the encoding; a later "ø" in Windows-1252 restarts the read."""
    lines = EEA_CSV.read_text(encoding="utf-8").splitlines()
    filler = [lines[-1].replace("DE.TEST/000001", f"DE.TEST/{i:06d}") for i in range(2, 700)]  # ~100 KiB ASCII
    path = tmp_path / "windows.csv"
    path.write_bytes("\r\n".join([lines[0], *filler, *lines[1:]]).encode("cp1252"))
    result = read_eea_f1_4(path)
    assert result.summary.rows_read == 13 + len(filler)
    assert result.summary.rows_kept == 6
    assert result.summary.notes[0] == "the file is not UTF-8; read as Windows-1252"
    assert "Luleå" in set(read_eea_f1_4(path, selection=Selection(country=None, area=None)).facilities["city"])


def test_eea_progress_is_reported():
    calls = []
    read_eea_f1_4(EEA_CSV, chunk_rows=4, progress=lambda fraction, stage: calls.append((fraction, stage)))
    reading = [f for f, stage in calls if stage == "reading"]
    assert len(reading) == 4  # 13 rows in chunks of 4
    assert reading == sorted(reading) and 0 < reading[0] <= 0.95
    assert calls[-1] == (1.0, "done")


@pytest.fixture(scope="module")
def generated_f1_4(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("eea") / "generated_f1_4.csv"
    kept = _make_fixtures().write_generated_f1_4(path, 200_000)
    return path, kept


def test_eea_generated_large_file_streams(generated_f1_4):
    path, expected_kept = generated_f1_4
    calls = []
    result = read_eea_f1_4(path, chunk_rows=10_000, progress=lambda f, stage: calls.append(stage))
    s = result.summary
    assert (s.rows_read, s.rows_kept, s.unmatched) == (200_000, expected_kept, 50)
    assert s.skipped == {"outside Norway": 200_000 - expected_kept}
    assert calls.count("reading") == 20  # one report per chunk: it was read in 20 pieces
    assert sorted(set(result.figures["year"])) == [2007, 2008, 2009, 2010]


def test_eea_generated_large_file_memory_stays_bounded(generated_f1_4):
    """Peak resident memory of a fresh process reading the 200 000-row file in chunks stays below the file's size.

    A whole-file pd.read_csv needs about 3.5 times the file's size (benchmarks/bench_eea_import.py).
    """
    path, _ = generated_f1_4
    code = (
        "import resource\n"
        "from loaders.official.eea import read_eea_f1_4\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"read_eea_f1_4({str(path)!r}, chunk_rows=10_000)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    grown = int(done.stdout.strip())
    assert grown < path.stat().st_size, f"grew {grown / 1e6:.1f} MB on a {path.stat().st_size / 1e6:.1f} MB file"


# --- municipal statistics ---------------------------------------------------------------------------


def test_kommunestatistikk_table():
    result = read_kommunestatistikk(KOMMUNE_CSV)
    table = result.table
    assert list(table.columns) == list(MUNICIPAL_COLUMNS)
    assert table[["kommunenummer", "year", "sector", "source", "amount_t"]].values.tolist() == [
        ["5001", 2022, "Industri, olje og gass", "Industri", 12345.6],
        ["5001", 2022, "Veitrafikk", "Personbiler", 98765.4],
        ["5059", 2022, "Industri, olje og gass", "Industri", 234567.8],  # "Orkland": a bare name
        ["5025", 2021, "Jordbruk", "Husdyr - fordøyelse", 4321.0],  # "Røros": half of "Rosse - Røros"
        ["5041", 2021, "Jordbruk", "Gjødselhåndtering", 1000.0],  # year as a date
    ]
    assert list(table["municipality"])[:3] == ["Trondheim - Tråante", "Trondheim - Tråante", "Orkland"]
    assert set(table["scope"]) == {"co2e"}
    assert list(table["quote"])[:2] == ["12 345,6", "98\u00a0765,4"]
    s = result.summary
    assert (s.rows_read, s.rows_kept, s.matched, s.unmatched) == (10, 5, 4, 0)
    assert s.skipped == {"not a Trøndelag municipality": 3, "no value": 2}


def test_kommunestatistikk_everywhere_keeps_numbers_as_four_characters():
    result = read_kommunestatistikk(KOMMUNE_CSV, trondelag_only=False)
    table = result.table.set_index("municipality")
    assert table.loc["Oslo", "kommunenummer"] == "0301"  # "301 Oslo": zero-padded
    assert table.loc["Porsgrunn", "kommunenummer"] == "3806"
    assert pd.isna(table.loc["Ukjentby", "kommunenummer"])
    assert (result.summary.rows_kept, result.summary.matched, result.summary.unmatched) == (8, 6, 1)


def test_split_kommune_and_lookup():
    assert split_kommune("5001 Trondheim") == ("5001", "Trondheim")
    assert split_kommune("5001 - Trondheim") == ("5001", "Trondheim")
    assert split_kommune("5001") == ("5001", None)
    assert split_kommune(5001) == ("5001", None)
    assert split_kommune("301 Oslo") == ("0301", "Oslo")
    assert split_kommune("Trondheim") == (None, "Trondheim")
    assert split_kommune("  ") == (None, None)
    lookup = Municipalities.bundled()
    assert lookup.number("Tråante") == "5001"
    assert lookup.number("snasa") == "5041"
    assert lookup.number("Oslo") is None
    assert lookup.number("0301 Oslo") is None


# --- matching -------------------------------------------------------------------------------------


def test_match_order_anlegg_id_then_orgnr_then_name():
    known = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "facility": ["Anlegg A", "Anlegg B", "Felles navn"],
            "orgnr": ["111111111", "222 222 222", None],
            "anlegg_id": ["1", None, None],
        }
    )
    rows = pd.DataFrame(
        {
            # Row 0 fits a by AnleggId, b by Org.nr. and c by name: AnleggId wins.
            "name": ["Felles navn", "Felles navn", "Felles navn AS", "Ukjent"],
            "anlegg_id": ["1", None, None, "77"],
            "orgnr": ["222222222", "NO 222 222 222 MVA", None, "333333333"],
        },
        index=[10, 11, 12, 13],
    )
    result = match_facilities(rows, known)
    assert list(result.index) == [10, 11, 12, 13]
    assert result[["facility_id", "matched_by"]].values.tolist() == [
        ["a", "anlegg_id"],
        ["b", "orgnr"],  # Org.nr. with spaces, country prefix and MVA
        ["c", "name"],  # "AS" dropped
        [None, None],
    ]


def test_match_never_takes_a_facility_with_another_anlegg_id():
    known = pd.DataFrame({"id": ["a"], "facility": ["Elkem Thamshavn"], "orgnr": ["111111111"], "anlegg_id": ["1"]})
    rows = pd.DataFrame({"name": ["Elkem Thamshavn"], "anlegg_id": ["2"], "orgnr": ["111111111"]})
    assert match_facilities(rows, known)["matched_by"].tolist() == [None]


def test_match_ambiguous_orgnr_falls_back_to_name():
    known = pd.DataFrame(
        {"id": ["a", "b"], "facility": ["Verk Nord", "Verk Sør"], "orgnr": ["111111111", "111111111"]}
    )  # no anlegg_id column at all
    rows = pd.DataFrame({"name": ["Verk Sor", "Verk Vest"], "orgnr": ["111111111", "111111111"]})
    result = match_facilities(rows, known)
    assert result["facility_id"].tolist() == ["b", None]
    assert result["matched_by"].tolist() == ["name", None]
    assert result["match_note"].tolist() == ["Org.nr. 111111111 fits 2 known facilities"] * 2


def test_match_one_known_facility_is_not_given_to_two_rows():
    known = pd.DataFrame({"id": ["a"], "facility": ["Verk"], "orgnr": ["111111111"]})
    rows = pd.DataFrame({"name": ["Verk 1", "Verk 2"], "orgnr": ["111111111", "111111111"]})
    result = match_facilities(rows, known)
    assert result["facility_id"].tolist() == [None, None]
    assert "place it by hand" in result["match_note"].iloc[0]


def test_match_without_known_facilities():
    rows = pd.DataFrame({"name": ["Verk"]})
    assert match_facilities(rows, None)["matched_by"].tolist() == [None]
    empty = pd.DataFrame(columns=["id", "facility"])
    assert match_facilities(rows, empty)["facility_id"].tolist() == [None]


def test_name_key():
    assert name_key("Wacker Chemicals Norway AS, Holla Metall") == "wacker chemicals norway holla metall"
    assert name_key("  Grønøra  Industripark A/S ") == name_key("Gronora industripark")
    assert name_key("Ranheim Paper & Board") == "ranheim paper board"
    assert name_key("") is None and name_key(None) is None


# --- wrong files -------------------------------------------------------------------------------------


def test_missing_column_is_named(tmp_path):
    text = NORSKEUTSLIPP_CSV.read_bytes().decode("cp1252").replace(";AnleggId;", ";Anlegg;")
    path = tmp_path / "no_id.csv"
    path.write_text(text, encoding="cp1252")
    with pytest.raises(MissingColumnError) as caught:
        read_norskeutslipp(path)
    assert str(caught.value).startswith("'no_id.csv': the column 'AnleggId' is missing in the header (row 5);")
    assert caught.value.field == "AnleggId"


def test_missing_column_eea(tmp_path):
    frame = pd.read_csv(EEA_CSV, dtype=str).drop(columns=["emissions"])
    path = tmp_path / "no_emissions.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(MissingColumnError, match=r"the column 'emissions' is missing"):
        read_eea_f1_4(path)


def test_missing_column_kommunestatistikk(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("Kommune;År;Sektor;Utslippskilde\n5001 Trondheim;2022;Veitrafikk;Personbiler\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"the column 'Utslipp' is missing"):
        read_kommunestatistikk(path)


def test_not_a_spreadsheet(tmp_path):
    fake = tmp_path / "utslipp.xlsx"
    fake.write_text("Anleggsnavn;År\nElkem;2022\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"'utslipp.xlsx': this is not an Excel workbook"):
        read_norskeutslipp(fake)
    image = tmp_path / "kart.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(FileFormatError, match=r"'kart.csv': this is a binary file, not a CSV text file"):
        read_eea_f1_4(image)
    workbook_as_csv = tmp_path / "eksport.csv"
    workbook_as_csv.write_bytes(NORSKEUTSLIPP_XLSX.read_bytes())
    with pytest.raises(FileFormatError, match=r"Excel workbook, not a CSV"):
        read_norskeutslipp(workbook_as_csv)
    with pytest.raises(FileFormatError, match=r"old Excel .xls"):
        (tmp_path / "gammel.xls").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
        read_norskeutslipp(tmp_path / "gammel.xls")


@pytest.mark.parametrize("reader", [read_norskeutslipp, read_eea_f1_4, read_kommunestatistikk])
@pytest.mark.parametrize("content", [b"", b"\r\n\r\n  \n"], ids=["zero-bytes", "blank-lines"])
def test_empty_file(tmp_path, reader, content):
    path = tmp_path / "tom.csv"
    path.write_bytes(content)
    with pytest.raises(FileFormatError, match=r"'tom.csv': the file is empty"):
        reader(path)


def test_empty_workbook(tmp_path):
    path = tmp_path / "tom.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(FileFormatError, match=r"found no header row with the columns of a norskeutslipp.no export"):
        read_norskeutslipp(path)


def test_wrong_format_has_no_header(tmp_path):
    with pytest.raises(FileFormatError, match=r"no header row with the columns of an EEA E-PRTR F1_4 file"):
        read_eea_f1_4(KOMMUNE_CSV)
    with pytest.raises(FileFormatError, match=r"Miljødirektoratet's municipal statistics \(Kommune, År"):
        read_kommunestatistikk(EEA_CSV)
    with pytest.raises(FileFormatError, match=r"no such file"):
        read_norskeutslipp(tmp_path / "finnes-ikke.csv")


# --- summary and dispatch ----------------------------------------------------------------------------


def test_summary_lines(known):
    result = read_norskeutslipp(NORSKEUTSLIPP_XLSX, known)
    assert (
        summary_lines(result, lambda m: error_text(m, "en"))
        == summary_lines(result)
        == [
            "norskeutslipp.no export: norskeutslipp_testfixture.xlsx",
            "Rows read: 9",
            "Rows kept: 6",
            "Facilities: 5 (4 matched to known facilities: AnleggId 1, Org.nr. 1, name 2; 1 unmatched (to be placed))",
            "Unmatched: Fiktiv Testfabrikk Grønøra",
            "Rows skipped: 3",
            "  - no release to air given: 1",
            "  - no year (a sum or footnote row): 1",
            "  - outside Trøndelag: 1",
            "Notes:",
            "  - rows that also give a release to water: 1 (not imported: air only)",
        ]
    )
    norwegian = summary_lines(result, lambda m: error_text(m, "nb"))
    assert norwegian[0] == "Eksport fra norskeutslipp.no: norskeutslipp_testfixture.xlsx"
    assert norwegian[1] == "Rader lest: 9"
    assert "  - utenfor Trøndelag: 1" in norwegian
    assert norwegian[-1] == "  - rader som også har utslipp til vann: 1 (ikke importert: bare luft)"
    municipal = summary_lines(read_kommunestatistikk(KOMMUNE_CSV))
    assert "Municipalities: 4 (4 with a kommunenummer, 0 without a kommunenummer)" in municipal


def test_summary_lines_shortens_a_long_unmatched_list(generated_f1_4):
    lines = summary_lines(read_eea_f1_4(generated_f1_4[0]), list_limit=3)
    assert "Unmatched: Generert anlegg 0, Generert anlegg 1, Generert anlegg 2 and 47 more" in lines
    assert "Rows read: 200,000" in lines


def test_run_import_dispatches(known):
    assert run_import(NORSKEUTSLIPP_CSV, "norskeutslipp", known).summary.matched == 4
    assert run_import(EEA_CSV, "eea-f1_4", known).format == "eea-f1_4"
    assert run_import(KOMMUNE_CSV, "kommunestatistikk").summary.rows_kept == 5
    with pytest.raises(ValueError, match="eea-f1_4"):
        run_import(EEA_CSV, "e-prtr")


def test_committed_fixtures_match_the_script(tmp_path):
    _make_fixtures().main(tmp_path)
    for name in ("norskeutslipp_testfixture.csv", "eea_f1_4_testfixture.csv", "kommunestatistikk_testfixture.csv"):
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    fresh = openpyxl.load_workbook(tmp_path / "norskeutslipp_testfixture.xlsx").active
    committed = openpyxl.load_workbook(NORSKEUTSLIPP_XLSX).active
    assert list(fresh.values) == list(committed.values)
