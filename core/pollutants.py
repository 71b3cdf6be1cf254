"""The pollutants the app knows: E-PRTR's labels, the figure scope each becomes, greenhouse gas or not.

A figure's `scope` says what was measured. The four CO₂ scopes (core.schema.CO2_SCOPES) are never added
together; every other pollutant is its own scope, named by the short code below. E-PRTR's two CO₂
pollutants are the app's two CO₂ scopes: "Carbon dioxide (CO2)" is all CO₂ (fossil and biogenic) = "total",
"Carbon dioxide (CO2) excluding biomass" is the fossil part = "fossil".

Names for people are in the catalogues (locales/: `scope_<code>`, bokmål and English).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pollutant:
    code: str  # the figure scope
    label: str  # E-PRTR's label, exactly as table F1_4 spells it
    greenhouse: bool  # a greenhouse gas (listed first, the page's default)


# In the order the Utslipp page lists them: greenhouse gases first, then the rest as E-PRTR groups them.
EPRTR_POLLUTANTS: tuple[Pollutant, ...] = (
    Pollutant("fossil", "Carbon dioxide (CO2) excluding biomass", True),
    Pollutant("total", "Carbon dioxide (CO2)", True),
    Pollutant("ch4", "Methane (CH4)", True),
    Pollutant("n2o", "Nitrous oxide (N2O)", True),
    Pollutant("hfc", "Hydro-fluorocarbons (HFCs)", True),
    Pollutant("pfc", "Perfluorocarbons (PFCs)", True),
    Pollutant("sf6", "Sulphur hexafluoride (SF6)", True),
    Pollutant("nox", "Nitrogen oxides (NOX)", False),
    Pollutant("sox", "Sulphur oxides (SOX)", False),
    Pollutant("pm10", "Particulate matter (PM10)", False),
    Pollutant("nh3", "Ammonia (NH3)", False),
    Pollutant("nmvoc", "Non-methane volatile organic compounds (NMVOC)", False),
    Pollutant("co", "Carbon monoxide (CO)", False),
    Pollutant("toc", "Total organic carbon(as total C or COD/3) (TOC)", False),
    Pollutant("hcfc", "Hydrochlorofluorocarbons (HCFCs)", False),
    Pollutant("as", "Arsenic and compounds (as As)", False),
    Pollutant("cd", "Cadmium and compounds (as Cd)", False),
    Pollutant("hg", "Mercury and compounds (as Hg)", False),
    Pollutant("ni", "Nickel and compounds (as Ni)", False),
    Pollutant("pb", "Lead and compounds (as Pb)", False),
    Pollutant("zn", "Zinc and compounds (as Zn)", False),
    Pollutant("cu", "Copper and compounds (as Cu)", False),
    Pollutant("cr", "Chromium and compounds (as Cr)", False),
    Pollutant("dioxins", "PCDD + PCDF (dioxins + furans) (as Teq)", False),
    Pollutant("pah", "Polycyclic aromatic hydrocarbons (PAHs)", False),
    Pollutant("bghip", "Benzo(g,h,i)perylene", False),
    Pollutant("fluoranthene", "Fluoranthene", False),
    Pollutant("naphthalene", "Naphthalene", False),
    Pollutant("phenols", "Phenols (as total C)", False),
    Pollutant("chlorides", "Chlorides (as total Cl)", False),
    Pollutant("fluorides", "Fluorides (as total F)", False),
    Pollutant("chlorine", "Chlorine and inorganic compounds (as HCl)", False),
    Pollutant("fluorine", "Fluorine and inorganic compounds (as HF)", False),
)
BY_LABEL = {p.label.casefold(): p for p in EPRTR_POLLUTANTS}


def pollutant_for(label: str) -> Pollutant | None:
    """The pollutant E-PRTR calls `label` (case and surrounding space ignored), or None."""
    return BY_LABEL.get(" ".join(label.split()).casefold())
