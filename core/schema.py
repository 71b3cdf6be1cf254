"""The three layer kinds and the emission-figure table: their columns, types and vocabularies.

geodata/README.md documents the same schema for people; tests keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.pollutants import EPRTR_POLLUTANTS

PARK_STATUSES = ("etablert", "under utvikling", "planlagt")
LOCATION_PRECISIONS = ("site", "quay", "locality", "municipality")
MEMBER_ROLES = ("member", "board", "partner", "project participant", "other")
# The CO₂ scopes (never added together), then every other pollutant as its own scope (core/pollutants.py):
# greenhouse gases first, the order the Utslipp page lists them in.
CO2_SCOPES = ("fossil", "total", "co2e", "co2")
# The EU ETS's verified emissions (t CO₂-eq., biomass CO₂ counted as zero): a register and a scope of its own,
# never added to E-PRTR's CO₂ scopes or to the municipal statistics.
ETS_SCOPE = "ets"
CLIMATE_SCOPES = (ETS_SCOPE, *CO2_SCOPES)
FIGURE_SCOPES = CLIMATE_SCOPES + tuple(p.code for p in EPRTR_POLLUTANTS if p.code not in CO2_SCOPES)
FIGURE_BASES = ("stated", "planned")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "str", "int", "float", "list"
    required: bool = False
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LayerSchema:
    kind: str
    fields: tuple[Field, ...]
    geometry_types: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields] + ["geometry"]


_SOURCE_FIELDS = (
    Field("source_url", "str", required=True),
    Field("source_year", "int"),
    Field("location_precision", "str", required=True, choices=LOCATION_PRECISIONS),
)

PARKS = LayerSchema(
    "parks",
    (
        Field("id", "str", required=True),
        Field("name", "str", required=True),
        Field("municipality", "str", required=True),
        Field("kommunenummer", "str", required=True),
        Field("status", "str", choices=PARK_STATUSES),
        Field("focus", "str"),
        Field("themes", "list"),
        Field("companies", "str"),
        Field("area", "float"),
        Field("area_unit", "str"),
        *_SOURCE_FIELDS,
    ),
    ("Point", "Polygon", "MultiPolygon"),
)

SOURCES = LayerSchema(
    "sources",
    (
        Field("id", "str", required=True),
        Field("facility", "str", required=True),
        Field("operator", "str"),
        Field("orgnr", "str"),
        Field("inspire_id", "str"),  # the EEA register's FacilityInspireId, where the facility is in E-PRTR
        Field("eutl_id", "str"),  # the EU ETS installation id(s), " ; "-separated, where the facility is in the ETS
        Field("municipality", "str", required=True),
        Field("kommunenummer", "str", required=True),
        Field("sector", "str"),
        Field("note", "str"),
        *_SOURCE_FIELDS,
    ),
    ("Point",),
)

MEMBERS = LayerSchema(
    "members",
    (
        Field("id", "str", required=True),
        Field("company", "str", required=True),
        Field("cluster", "str", required=True),
        Field("role", "str", required=True, choices=MEMBER_ROLES),
        Field("relation_as_stated", "str"),
        Field("orgnr", "str"),
        Field("sector", "str"),  # core.sectors.MEMBER_SECTORS, only where a source supports it
        Field("sector_basis", "str"),  # what supports `sector`
        Field("municipality", "str", required=True),
        Field("kommunenummer", "str", required=True),
        *_SOURCE_FIELDS,
    ),
    ("Point",),
)

LAYERS = {s.kind: s for s in (PARKS, SOURCES, MEMBERS)}

# The layer kinds, each list in one place.
MAP_KINDS = tuple(LAYERS)  # drawn and filtered with the bundled portfolio
OWN_KINDS = ("boundaries", "other")  # drawn as they are, with their uploader's style
UPLOAD_KINDS = (*MAP_KINDS, *OWN_KINDS)  # what an uploaded file can become
# imports, the flow and measure editors, the map service overlays (ui/overlays.py)
TABLE_KINDS = ("figures", "municipal_statistics", "flows", "measures", "overlays")

# Emission figures: a long table, one row per figure, joined to sources on facility_id.
FIGURE_COLUMNS = (
    "facility_id",
    "year",  # the year the figure refers to; empty when the source does not say
    "amount_t",  # tonnes
    "scope",  # one of FIGURE_SCOPES
    "basis",  # stated (reported or quoted as actual) or planned (applied for, expected)
    "quote",  # the figure exactly as the source prints it
    "note",
    "source_url",
)
FIGURE_REQUIRED = ("facility_id", "amount_t", "scope", "basis", "source_url")
# Optional columns, kept where the source has them (the EEA register: loaders/official/eea.py).
FIGURE_OPTIONAL = (
    "pollutant",  # the pollutant as the source names it ("Carbon dioxide (CO2) excluding biomass")
    "inspire_id",  # the EEA FacilityInspireId the figure belongs to
    "publication_date",  # the register release's PublicationDate, as it prints it
    "licence",  # the credit and licence line of the source
    "eutl_id",  # the EU Transaction Log's installation id (InstallationOrAircraftOperatorID) the figure belongs to
    "permit_id",  # the installation's permit id in the EU ETS
    "free_allocation_t",  # the allowances given free for that year, as the ETS register states (never computed)
    "compliance_code",  # the ETS register's compliance code for that year (A, A*, B, C …), as printed
)
# Register ids: a figure with one of these is a register's figure of a large point source (its path is like for like).
REGISTER_ID_COLUMNS = ("inspire_id", "eutl_id")
