"""User-facing text in Norwegian bokmål (default) and English, and number formatting for both."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from loaders.messages import ENGLISH
from loaders.messages import render as render_message

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"

_TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Industrikart Trøndelag", "Industrikart Trøndelag"),
    "app_subtitle": (
        "Industriparker, punktutslipp og klyngemedlemmer i Trøndelag",
        "Industrial parks, point emission sources and cluster members in Trøndelag",
    ),
    "language": ("Språk / Language", "Språk / Language"),
    "nav_map": ("Kart", "Map"),
    "nav_emissions": ("Utslipp", "Emissions"),
    "nav_portfolio": ("Portefølje", "Portfolio"),
    "nav_data": ("Data og kilder", "Data and sources"),
    "nav_upload": ("Last opp", "Upload"),
    "nav_layers": ("Kartlag", "Layers"),
    "nav_import": ("Importer utslipp", "Import emissions"),
    "filters": ("Filtre", "Filters"),
    "layers": ("Kartlag", "Layers"),
    "layer_parks": ("Industriparker og symbioseområder", "Industrial parks and symbiosis sites"),
    "layer_sources": ("Punktutslipp", "Point emission sources"),
    "layer_members": ("Klyngemedlemmer", "Cluster members"),
    "basemap": ("Bakgrunnskart", "Basemap"),
    "basemap_kartverket_topo": ("Kartverket topo", "Kartverket topographic"),
    "basemap_kartverket_grey": ("Kartverket gråtone", "Kartverket greyscale"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_none": ("Ingen bakgrunn", "No background"),
    "municipality": ("Kommune", "Municipality"),
    "all_municipalities": ("Alle kommuner", "All municipalities"),
    "all": ("Alle", "All"),
    "status": ("Status", "Status"),
    "theme": ("Tema", "Theme"),
    "cluster": ("Klynge", "Cluster"),
    "sector": ("Sektor", "Sector"),
    "only_with_figure": ("Bare kilder med utslippstall", "Only sources with a figure"),
    "search": ("Søk etter navn", "Search by name"),
    "search_help": ("Kommune, park, anlegg eller bedrift", "Municipality, park, facility or company"),
    "search_none": ("Ingen treff for «{q}».", "No match for “{q}”."),
    "search_pick": ("Treff", "Matches"),
    "kpi_parks": ("Parker og områder", "Parks and sites"),
    "kpi_sources": ("Utslippskilder", "Emission sources"),
    "kpi_members": ("Klyngemedlemskap", "Cluster memberships"),
    "kpi_total": ("Sum siste utslippstall", "Sum of latest figures"),
    "kpi_total_help": (
        "Summen av hver kildes siste oppgitte tall (planlagte tall er ikke med). Omfang: {scopes}.",
        "The sum of each source's latest stated figure (planned figures excluded). Scope: {scopes}.",
    ),
    "years": ("år {years}", "years {years}"),
    "year_unknown": ("år ikke oppgitt", "year not stated"),
    "no_figure": ("ingen tall", "no figure"),
    "tonnes": ("t", "t"),
    "source": ("Kilde", "Source"),
    "source_year": ("Kildeår", "Source year"),
    "record": ("Valgt objekt", "Selected feature"),
    "record_hint": (
        "Klikk på et punkt i kartet for å se hele oppføringen her.",
        "Click a feature on the map to see its full record here.",
    ),
    "figures": ("Utslippstall", "Emission figures"),
    "legend": ("Tegnforklaring", "Legend"),
    "legend_circle": ("Sirkelareal ∝ tonn (siste tall)", "Circle area ∝ tonnes (latest figure)"),
    "legend_hollow": ("Hul sirkel: ingen tall", "Hollow circle: no figure"),
    "legend_circle_in": ("Sirkelareal ∝ tonn ({scope})", "Circle area ∝ tonnes ({scope})"),
    "legend_hollow_in": ("Hul sirkel: ingen tall i {scope}", "Hollow circle: no figure in {scope}"),
    "legend_uploaded": ("Opplastede kartlag", "Uploaded layers"),
    # Big uploaded layers drawn from vector tiles (issue 11, ui/uploaded_layers.py, ui/record.py)
    "tiles_building": (
        "Lager kartfliser for et stort kartlag ({count} objekter). Det skjer én gang per versjon …",
        "Building map tiles for a big layer ({count} features). This happens once per version …",
    ),
    "tiles_failed": (
        "Kartfliser kunne ikke lages ({error}); kartlaget tegnes uten dem og kan bli tregt.",
        "Map tiles could not be built ({error}); the layer is drawn without them and may be slow.",
    ),
    "record_feature": ("Objekt {number} i {title}", "Feature {number} in {title}"),
    "record_gone": (
        "Objektet finnes ikke lenger i kartlaget (det kan være erstattet).",
        "The feature is no longer in the layer (it may have been replaced).",
    ),
    "legend_dashed": ("Stiplet kant: plassert ved kommunesenteret", "Dashed outline: placed at the municipal centre"),
    "status_etablert": ("etablert", "established"),
    "status_under utvikling": ("under utvikling", "under development"),
    "status_planlagt": ("planlagt", "planned"),
    "status_None": ("status ikke oppgitt", "status not stated"),
    "precision_site": ("anlegget", "the site"),
    "precision_quay": ("kaia ved anlegget", "the quay at the site"),
    "precision_locality": ("stedet (omtrentlig)", "the locality (approximate)"),
    "precision_municipality": ("kommunesenteret (omtrentlig)", "the municipal centre (approximate)"),
    "placed_at": ("Plassert ved", "Placed at"),
    "scope_fossil": ("fossilt CO₂", "fossil CO₂"),
    "scope_total": ("CO₂ totalt (fossilt og biogent)", "total CO₂ (fossil and biogenic)"),
    "scope_co2e": ("CO₂-ekvivalenter", "CO₂ equivalents"),
    "scope_co2": ("CO₂ (fossilt/biogent ikke oppgitt)", "CO₂ (fossil/biogenic not stated)"),
    "scope_ets": ("kvotepliktige utslipp (EU ETS), t CO₂-ekv.", "verified emissions (EU ETS), t CO₂-eq."),
    "scope_short_ets": ("EU ETS, CO₂-ekv.", "EU ETS, CO₂-eq."),
    "basis_stated": ("oppgitt", "stated"),
    "basis_planned": ("søkt/planlagt, ikke målt", "applied for/planned, not measured"),
    "role_member": ("medlem", "member"),
    "role_board": ("styre", "board"),
    "role_partner": ("partner", "partner"),
    "role_project participant": ("prosjektdeltaker", "project participant"),
    "role_other": ("annen tilknytning", "other relation"),
    "memberships_here": ("{n} medlemskap her", "{n} memberships here"),
    "field_name": ("Navn", "Name"),
    "field_facility": ("Anlegg", "Facility"),
    "field_operator": ("Operatør", "Operator"),
    "field_company": ("Bedrift", "Company"),
    "field_role": ("Rolle", "Role"),
    "field_relation_as_stated": ("Tilknytning slik kilden sier", "Relation as stated"),
    "field_focus": ("Fokus", "Focus"),
    "field_themes": ("Tema", "Themes"),
    "field_companies": ("Bedrifter", "Companies"),
    "field_area": ("Areal", "Area"),
    "field_note": ("Merknad", "Note"),
    "field_latest": ("Siste tall", "Latest figure"),
    "field_year": ("År", "Year"),
    "field_amount_t": ("Tonn", "Tonnes"),
    "field_scope": ("Omfang", "Scope"),
    "field_basis": ("Grunnlag", "Basis"),
    "field_quote": ("Slik kilden skriver", "As the source prints it"),
    "field_source_url": ("Kilde", "Source"),
    "field_location_precision": ("Plassering", "Location"),
    "field_value": ("Verdi", "Value"),
    "field_field": ("Felt", "Field"),
    "data_error": ("Dataene kunne ikke leses: {error}", "The data could not be read: {error}"),
    "store_unavailable": (
        "Lagrede kartlag kunne ikke leses ({error}); kartet viser bare de medfølgende dataene.",
        "Stored layers could not be read ({error}); the map shows the bundled data only.",
    ),
    "sources_page_title": ("Data og kilder", "Data and sources"),
    "sources_page_intro": (
        "Alle oppføringer i kartet med kilde og år. Tall er gjengitt slik kilden skriver dem; "
        "der ingen kilde gir et tall står det «ingen tall».",
        "Every record on the map with its source and year. Figures are given as the source prints them; "
        "where no source gives a figure it says “no figure”.",
    ),
    "download_csv": ("Last ned CSV", "Download CSV"),
    "editor_password": ("Redaktørpassord", "Editor password"),
    "editor_wrong_password": ("Feil passord.", "Wrong password."),
    "editor_too_many": (
        "For mange feil passord. Prøv igjen om {when}.",
        "Too many wrong passwords. Try again in {when}.",
    ),
    "editor_wait": ("Vent {when} før du prøver igjen.", "Wait {when} before trying again."),
    "editor_minutes_1": ("1 minutt", "1 minute"),
    "editor_minutes_n": ("{n} minutter", "{n} minutes"),
    "editor_seconds_1": ("1 sekund", "1 second"),
    "editor_seconds_n": ("{n} sekunder", "{n} seconds"),
    "editor_sign_out": ("Logg ut som redaktør", "Sign out as editor"),
    "viewer_only": (
        "Du kan se og laste ned. Å laste opp, erstatte, gjenopprette og slette krever redaktørpassordet "
        "(i sidepanelet).",
        "You can view and download. Uploading, replacing, restoring and deleting need the editor password (sidebar).",
    ),
    "upload_page_title": ("Last opp kartlag", "Upload a layer"),
    "upload_page_intro": (
        "GeoJSON, GeoPackage, zippet Shapefile, KML eller CSV/XLSX med koordinater. Filen leses og kontrolleres "
        "før noe lagres; ingenting som allerede er lagret, endres før du trykker «Lagre».",
        "GeoJSON, GeoPackage, zipped Shapefile, KML or CSV/XLSX with coordinates. The file is read and checked "
        "before anything is stored; nothing already stored changes until you press “Save”.",
    ),
    "upload_file": ("Velg fil", "Choose a file"),
    "upload_error": ("Filen kunne ikke brukes: {error}", "The file cannot be used: {error}"),
    "upload_layer_unreadable": ("Laget «{layer}» kan ikke leses: {error}", "Layer “{layer}” cannot be read: {error}"),
    "upload_choose_layer": ("Filen har flere lag – velg ett", "The file holds several layers – choose one"),
    "upload_crs_question": (
        "Filen sier ikke hvilket koordinatsystem den bruker. Velg det som passer (det mest sannsynlige står først).",
        "The file does not say which coordinate system it uses. Choose the one that fits (most plausible first).",
    ),
    "upload_crs": ("Koordinatsystem", "Coordinate system"),
    "upload_step_kind": ("1. Type og felt", "1. Kind and fields"),
    "upload_step_preview": ("2. Forhåndsvisning og kontroll", "2. Preview and checks"),
    "upload_step_save": ("3. Lagre", "3. Save"),
    "upload_kind": ("Hva slags lag er dette?", "What kind of layer is this?"),
    "upload_mapping_help": (
        "Velg hvilken kolonne som gir hvert felt (forslag er fylt inn), og en standardverdi der filen mangler "
        "feltet. * = påkrevd.",
        "Choose which column gives each field (suggestions are filled in), and a default where the file lacks "
        "the field. * = required.",
    ),
    "upload_default": ("Standardverdi", "Default value"),
    "style_colour": ("Farge", "Colour"),
    "style_fill": ("Fyll flater", "Fill areas"),
    "style_label": ("Etikettfelt (verktøytips)", "Label field (tooltip)"),
    "style_popup": ("Felt i sprettoppvindu", "Popup fields"),
    "report_features": ("Objekter", "Features"),
    "report_repaired": ("Reparerte geometrier", "Repaired geometries"),
    "report_dropped": ("Tomme geometrier fjernet", "Empty geometries dropped"),
    "report_duplicates": ("Duplikater (beholdt)", "Duplicates (kept)"),
    "report_types": ("Geometrityper", "Geometry types"),
    "report_crs_found": ("Koordinatsystem i filen", "CRS in the file"),
    "report_no_crs": ("ikke oppgitt", "not declared"),
    "report_read_as": ("Lest som", "Read as"),
    "report_bbox": ("Utstrekning (lon/lat)", "Extent (lon/lat)"),
    "upload_target": ("Lagre som", "Save as"),
    "upload_new_layer": ("nytt lag", "a new layer"),
    "upload_new_version": ("ny versjon av «{title}»", "a new version of “{title}”"),
    "upload_uploader": ("Lastet opp av", "Uploaded by"),
    "upload_licence": ("Kilde og lisens", "Source and licence"),
    "upload_save": ("Lagre", "Save"),
    "upload_saved": (
        "Lagret «{title}», versjon {version}, {n} objekter. Det vises nå på kartene (se «Kartlag»).",
        "Saved “{title}”, version {version}, {n} features. It now shows on the maps (see “Layers”).",
    ),
    "stage_checking": ("Kontrollerer filen …", "Checking the file …"),
    "stage_reading": ("Leser …", "Reading …"),
    "stage_validating": ("Validerer geometrier …", "Validating geometries …"),
    "stage_saving": ("Lagrer …", "Saving …"),
    "stage_done": ("Ferdig", "Done"),
    "import_page_title": ("Importer utslippsdata", "Import emission data"),
    "import_page_intro": (
        "Offisielle eksporter: norskeutslipp.no (Miljødirektoratet, .xlsx/.csv), EEA E-PRTR «F1_4» (.csv), EU ETS "
        "verifiserte utslipp per installasjon (EU Transaction Log-tabellen eller Kommisjonens årlige arbeidsbok, "
        ".csv/.xlsx; installasjonene kobles på EUTL-id) og Miljødirektoratets kommunestatistikk (.csv). Se "
        "oppsummeringen før du lagrer; anlegg som ikke finnes fra før, plasserer du på kartet eller med koordinater. "
        "Det samme kan kjøres fra kommandolinjen: "
        "python -m loaders ingest FIL --format norskeutslipp|eea-f1_4|eutl|kommunestatistikk.",
        "Official exports: norskeutslipp.no (Miljødirektoratet, .xlsx/.csv), EEA E-PRTR “F1_4” (.csv), the EU ETS's "
        "verified emissions per installation (the EU Transaction Log table or the Commission's yearly workbook, "
        ".csv/.xlsx; installations are matched by their EUTL id) and Miljødirektoratet's municipal statistics (.csv). "
        "Review the summary before saving; facilities not known yet are placed on the map or by coordinates. The "
        "same runs from the command line: "
        "python -m loaders ingest FILE --format norskeutslipp|eea-f1_4|eutl|kommunestatistikk.",
    ),
    "import_format": ("Format", "Format"),
    "import_format_norskeutslipp": ("norskeutslipp.no-eksport", "norskeutslipp.no export"),
    "import_format_eea-f1_4": ("EEA E-PRTR F1_4 (utslipp til luft)", "EEA E-PRTR F1_4 (releases to air)"),
    "import_format_eutl": (
        "EU ETS verifiserte utslipp (EU Transaction Log)",
        "EU ETS verified emissions (EU Transaction Log)",
    ),
    "import_format_kommunestatistikk": ("Kommunestatistikk (Miljødirektoratet)", "Municipal statistics"),
    "import_place_title": ("Plasser nye anlegg", "Place new facilities"),
    "import_place_help": (
        "{n} anlegg finnes ikke fra før og har ingen posisjon i filen ({placed} plassert). Klikk i kartet eller "
        "skriv koordinater (breddegrad, lengdegrad eller UTM øst, nord). Uplasserte anlegg lagres med tallene, "
        "men vises ikke i kartet.",
        "{n} facilities are not known yet and have no position in the file ({placed} placed). Click the map or "
        "type coordinates (latitude, longitude or UTM east, north). Unplaced facilities keep their figures but "
        "do not show on the map.",
    ),
    "import_facility": ("Anlegg", "Facility"),
    "import_coordinates": ("Koordinater", "Coordinates"),
    "import_utm_zone": ("UTM-sone (for øst/nord)", "UTM zone (for east/north)"),
    "import_place_typed": ("Plasser med koordinatene", "Place at the coordinates"),
    "import_place_clicked": ("Plasser ved klikket ({lat}, {lon})", "Place at the click ({lat}, {lon})"),
    "import_saved": ("Lagret «{title}» ({kind}, {n} rader).", "Saved “{title}” ({kind}, {n} rows)."),
    "layers_page_title": ("Kartlag", "Layers"),
    "layers_page_intro": (
        "Opplastede kartlag. Lag av kjent type (parker, utslippskilder, klyngemedlemmer) vises sammen med de "
        "medfølgende dataene på alle kart; andre lag tegnes med sin egen stil. "
        "Slettede lag kan gjenopprettes i 30 dager.",
        "Uploaded layers. Layers of a known kind (parks, emission sources, cluster members) join the bundled data "
        "on every map; other layers are drawn with their own style. Deleted layers can be restored for 30 days.",
    ),
    "no_layers": ("Ingen lag er lastet opp ennå.", "No layers have been uploaded yet."),
    "layer_title": ("Tittel", "Title"),
    "layer_kind": ("Type", "Kind"),
    "layer_features": ("Objekter", "Features"),
    "layer_version": ("Versjon", "Version"),
    "layer_visible": ("Vises på kartene", "Shown on the maps"),
    "layer_uploaded": ("Lastet opp", "Uploaded"),
    "layer_uploader": ("Av", "By"),
    "layer_file": ("Fil", "File"),
    "layer_crs": ("Opprinnelig koordinatsystem", "Original CRS"),
    "layer_description": ("Beskrivelse", "Description"),
    "layer_versions": ("Versjoner", "Versions"),
    "current": ("gjeldende", "current"),
    "restore_version": ("Gjenopprett versjon {version}", "Restore version {version}"),
    "save_changes": ("Lagre endringer", "Save changes"),
    "delete_confirm": ("Ja, slett dette laget", "Yes, delete this layer"),
    "delete": ("Slett", "Delete"),
    "bin": ("Slettet (kan gjenopprettes i 30 dager)", "Deleted (restorable for 30 days)"),
    "in_bin_since": ("Slettet {when}", "Deleted {when}"),
    "restore_layer": ("Gjenopprett laget", "Restore the layer"),
    "store_error": ("Kartlaglageret svarte: {error}", "The layer store said: {error}"),
    "download_geojson": ("Last ned GeoJSON", "Download GeoJSON"),
    "download_gpkg": ("Last ned GeoPackage", "Download GeoPackage"),
    "kind_parks": ("parker og områder", "parks and sites"),
    "kind_sources": ("utslippskilder", "emission sources"),
    "kind_members": ("klyngemedlemmer", "cluster members"),
    "kind_boundaries": ("grenser", "boundaries"),
    "kind_other": ("annet", "other"),
    "export": ("Eksporter", "Export"),
    "export_what": ("Hva vil du lagre?", "What do you want to save?"),
    "export_png-1920": ("Kart som PNG, 1920 × 1080", "Map as PNG, 1920 × 1080"),
    "export_png-a4": ("Kart som PNG, A4 liggende 300 dpi", "Map as PNG, A4 landscape 300 dpi"),
    "export_pdf": ("Kart som PDF (A4 liggende)", "Map as PDF (A4 landscape)"),
    "export_html": ("Kart som frittstående HTML (virker uten nett)", "Map as standalone HTML (works offline)"),
    "export_geojson": ("Data som GeoJSON (zip)", "Data as GeoJSON (zip)"),
    "export_gpkg": ("Data som GeoPackage", "Data as GeoPackage"),
    "export_csv": ("Data som CSV (zip)", "Data as CSV (zip)"),
    "export_xlsx": ("Data som Excel (XLSX)", "Data as Excel (XLSX)"),
    # Slide export (issue 13 §5) and the portfolio's export.
    "export_pptx": ("Lysbilde (PowerPoint)", "Slide (PowerPoint)"),
    "slide_figures": ("Nøkkeltall", "Key figures"),
    "slide_value": ("Verdi", "Value"),
    "legend_hide": ("Skjul tegnforklaringen", "Hide the legend"),
    "legend_show": ("Vis tegnforklaringen", "Show the legend"),
    # Upload: field labels in planner words and the suggested kind (issue 13 §3).
    "field_id": ("Id", "Id"),
    "field_municipality": ("Kommune", "Municipality"),
    "field_kommunenummer": ("Kommunenummer", "Municipality number"),
    "field_fylkesnummer": ("Fylkesnummer", "County number"),
    "field_status": ("Status", "Status"),
    "field_source_year": ("Kildeår", "Source year"),
    "field_orgnr": ("Organisasjonsnummer", "Organisation number"),
    "field_sector": ("Sektor", "Sector"),
    "field_cluster": ("Klynge", "Cluster"),
    "field_area_unit": ("Arealenhet", "Area unit"),
    "field_inspire_id": ("INSPIRE-id", "INSPIRE id"),
    "upload_kind_suggested": (
        "Foreslått ut fra feltene: {kind}. Endre hvis det er feil.",
        "Suggested from the fields: {kind}. Change it if it is wrong.",
    ),
    "pf_export_title": ("Eksport", "Export"),
    "pf_export_pptx": ("Lysbilder (PowerPoint), ett per område", "Slides (PowerPoint), one per site"),
    "export_make": ("Lag filen", "Make the file"),
    "export_rendering": ("Lager filen …", "Making the file …"),
    "export_download": ("Last ned {name}", "Download {name}"),
    "export_failed": ("Eksporten mislyktes: {error}", "The export failed: {error}"),
    "present": ("Presentasjon", "Presentation"),
    "present_mode": ("Presentasjonsmodus", "Presentation mode"),
    "present_title": ("Tittel", "Title"),
    "present_subtitle": ("Undertittel", "Subtitle"),
    "present_edit": ("Rediger", "Edit"),
    "present_exit": ("Avslutt presentasjon", "Leave presentation"),
    "present_default_title": ("Industrikart Trøndelag", "Industrikart Trøndelag"),
    "share": ("Del visningen", "Share this view"),
    "share_link": ("Kopier lenke", "Copy link"),
    "share_help": (
        "Lenken gjenoppretter side, filtre, kartlag, bakgrunn, utsnitt, valgt objekt og språk.",
        "The link restores page, filters, layers, basemap, view, selected feature and language.",
    ),
    "url_ignored": (
        "Ignorerte ukjente eller ugyldige lenkeparametre: {names}",
        "Ignored unknown or malformed link parameters: {names}",
    ),
    "sources_line": (
        "Kilder: Kartverket (CC BY 4.0), OpenStreetMap contributors; data: se «Data og kilder» "
        "({count} oppføringer med kilde og år).",
        "Sources: Kartverket (CC BY 4.0), OpenStreetMap contributors; data: see “Data and sources” "
        "({count} records with source and year).",
    ),
    # Exports (exports/): map images, standalone HTML and data files.
    "export_date": ("Dato: {date}", "Date: {date}"),
    "export_basemap_credit": ("Bakgrunnskart: {credit}", "Basemap: {credit}"),
    "export_boundaries_credit": ("Grenser: {credit}", "Boundaries: {credit}"),
    "export_no_tiles_boundaries": (
        "Bakgrunnskart ikke tilgjengelig: kommunegrenser vist i stedet",
        "Basemap unavailable: municipal boundaries shown instead",
    ),
    "export_no_tiles_graticule": (
        "Bakgrunnskart ikke tilgjengelig: gradnett vist i stedet",
        "Basemap unavailable: graticule shown instead",
    ),
    "export_data_credit": (
        "Data: Industrikart Trøndelag, offentlige kilder oppgitt for hver oppføring (se «Data og kilder»)",
        "Data: Industrikart Trøndelag, public sources given for each record (see “Data and sources”)",
    ),
    "export_north": ("N", "N"),
    "export_scale_at": ("{length} ved {lat}° N", "{length} at {lat}° N"),
    "export_degrees_north": ("{deg}° N", "{deg}° N"),
    "export_degrees_east": ("{deg}° Ø", "{deg}° E"),
    "export_degrees_south": ("{deg}° S", "{deg}° S"),
    "export_degrees_west": ("{deg}° V", "{deg}° W"),
    "export_legend_example": ("for eksempel {amount}", "for example {amount}"),
    "export_progress_background": ("Henter bakgrunnskart …", "Fetching the basemap …"),
    "export_progress_layers": ("Tegner kartlagene …", "Drawing the layers …"),
    "export_progress_saving": ("Lagrer filen …", "Saving the file …"),
    "export_progress_done": ("Ferdig", "Done"),
    "export_sheet_parks": ("Parker", "Parks"),
    "export_sheet_sources": ("Utslippskilder", "Emission sources"),
    "export_sheet_members": ("Klyngemedlemmer", "Cluster members"),
    "export_sheet_licence": ("Kilder og lisens", "Sources and licence"),
    "export_licence_intro": (
        "Kilde og år for hver oppføring i eksporten, lisensene for dataene og bakgrunnskartene.",
        "The source and year of every record in this export, the data licences and the basemap credits.",
    ),
    "export_exported": ("Eksportert {date}", "Exported {date}"),
    "export_heading_licences": ("Lisenser for dataene", "Data licences"),
    "export_heading_basemaps": ("Bakgrunnskart", "Basemaps"),
    "export_heading_records": ("Kilde og år for hver oppføring", "Source and year of every record"),
    "export_geometry_too_long": (
        "(geometrien er for lang for en Excel-celle: bruk GeoPackage- eller GeoJSON-eksporten)",
        "(the geometry is too long for an Excel cell: use the GeoPackage or GeoJSON export)",
    ),
    "export_licence_missing": (
        "Datamappen har ingen README.md med kilder og lisenser.",
        "The data folder has no README.md with sources and licences.",
    ),
    # --- Emissions page (pages/1_Utslipp.py, maps/emissions.py, ui/emissions_*.py) ---
    "download_xlsx": ("Last ned XLSX", "Download XLSX"),
    "kind_figures": ("importerte utslippstall", "imported emission figures"),
    "kind_municipal_statistics": ("kommunestatistikk (utslipp)", "municipal statistics (emissions)"),
    "em_page_title": ("Utslipp år for år", "Emissions year by year"),
    "em_intro": (
        "Punktutslipp per år, kommunenes utslipp og fylkets vei mot 2030. Bare oppgitte tall brukes (aldri søkte "
        "eller planlagte), og omfanget står alltid ved tallene: kvotepliktige utslipp (EU ETS), fossilt CO₂, CO₂ "
        "totalt og CO₂-ekvivalenter legges aldri sammen. Siden åpner på det nyeste året med tall.",
        "Point emissions by year, the municipalities' emissions and the county's path to 2030. Only stated figures "
        "are used (never applied-for or planned ones), and the scope is always given: verified emissions (EU ETS), "
        "fossil CO₂, total CO₂ and CO₂ equivalents are never added together. The page opens on the newest year "
        "with figures.",
    ),
    "em_store_error": (
        "Importerte data kunne ikke leses ({error}). Siden viser bare de medfølgende dataene.",
        "Imported data could not be read ({error}). The page shows the bundled data only.",
    ),
    "em_imported": ("Importerte data: {titles}", "Imported data: {titles}"),
    "em_scope": ("Omfang", "Scope"),
    "em_scope_help": (
        "Tallene vises for ett omfang om gangen; tall med ulikt omfang legges aldri sammen.",
        "Figures are shown for one scope at a time; figures of different scopes are never added together.",
    ),
    "em_year": ("År", "Year"),
    "em_only_year": ("Ett år med tall: {year}", "One year with figures: {year}"),
    "em_no_dated": (
        "Ingen daterte tall i omfanget «{scope}». De medfølgende tallene oppgir for det meste ikke år. "
        "Importer data fra norskeutslipp.no eller EEA (E-PRTR) for å få tall år for år.",
        "No dated figures in the scope “{scope}”. The bundled figures mostly give no year. "
        "Import norskeutslipp.no or EEA (E-PRTR) data to get figures year by year.",
    ),
    "em_undated_title": ("Tall uten år ({n})", "Figures without a year ({n})"),
    "em_undated_caption": (
        "Kilden oppgir ikke hvilket år disse tallene gjelder, så de plasseres ikke på noe år.",
        "The source does not say which year these figures refer to, so they are put on no year.",
    ),
    "em_duplicates": (
        "{n} tall er satt til side fordi et senere importert tall gjelder samme anlegg, år og omfang.",
        "{n} figures were set aside because a later import gives the same facility, year and scope.",
    ),
    "em_map_title": ("Punktutslipp {year} – {scope}", "Point emissions {year} – {scope}"),
    "em_map_caption": (
        "Sirkelareal ∝ tonn i {year}; hul sirkel: ingen tall det året. Klikk på et anlegg for tidsserien.",
        "Circle area ∝ tonnes in {year}; hollow circle: no figure that year. Click a facility for its series.",
    ),
    "em_unplaced": (
        "{n} anlegg med tall for {year} har ingen posisjon ennå og står bare i tabellene: {names}.",
        "{n} facilities with a figure for {year} have no position yet and appear in the tables only: {names}.",
    ),
    "em_no_figure_year": ("ingen tall for {year} ({scope})", "no figure for {year} ({scope})"),
    "em_figure": ("Utslipp", "Emissions"),
    "em_legend_year_scope": ("{year}, {scope}", "{year}, {scope}"),
    "em_legend_circle": ("Sirkelareal ∝ tonn", "Circle area ∝ tonnes"),
    "em_legend_hollow": ("Hul sirkel: ingen tall for {year}", "Hollow circle: no figure for {year}"),
    "em_series_title": ("Tidsserie: {facility}", "Time series: {facility}"),
    "em_series_hint": (
        "Klikk på et anlegg i kartet for å se tidsserien her.",
        "Click a facility on the map to see its time series here.",
    ),
    "em_series_none": (
        "{facility} har ingen daterte tall i omfanget «{scope}».",
        "{facility} has no dated figures in the scope “{scope}”.",
    ),
    "em_top_title": ("De {n} største {year}", "The {n} largest in {year}"),
    "em_shares_title": ("Andel av fylkets utslipp {year}", "Share of the county's emissions {year}"),
    "em_total_municipal": (
        "Fylkets total {year}: {total} ({scope}) fra kommunestatistikken ({covered} av {expected} kommuner).",
        "County total {year}: {total} ({scope}) from the municipal statistics ({covered} of {expected} "
        "municipalities).",
    ),
    "em_total_facilities": (
        "Fylkets total {year} er her summen av anleggene: {total} ({scope}).",
        "The county total for {year} is here the sum of the facilities: {total} ({scope}).",
    ),
    "em_reason_no_municipal": (
        "Kommunestatistikken har ikke {year} i dette omfanget.",
        "The municipal statistics do not have {year} in this scope.",
    ),
    "em_reason_municipal_incomplete": (
        "Kommunestatistikken for {year} dekker bare {covered} av {expected} kommuner.",
        "The municipal statistics for {year} cover only {covered} of {expected} municipalities.",
    ),
    "em_total_basis": ("Total fra", "Total from"),
    "em_basis_municipal": ("kommunestatistikken", "the municipal statistics"),
    "em_basis_facilities": ("summen av anleggene", "the sum of the facilities"),
    "em_col_share": ("Andel (%)", "Share (%)"),
    "em_col_total": ("Fylkets total, tonn", "County total, tonnes"),
    "em_col_placed": ("I kartet", "On the map"),
    "em_col_kommunenummer": ("Kommunenummer", "Municipality number"),
    "em_col_rows": ("Rader/anlegg", "Rows/facilities"),
    "em_col_covered": ("Kommuner med tall", "Municipalities with figures"),
    "em_col_complete": ("Alle kommuner", "All municipalities"),
    "em_col_at_year": ("Tonn {year}", "Tonnes {year}"),
    "em_col_change": ("Endring (%)", "Change (%)"),
    "em_col_gap": ("Gjenstår til {cut} % kutt, tonn", "Left to a {cut} % cut, tonnes"),
    "em_yes": ("ja", "yes"),
    "em_no": ("nei", "no"),
    "em_municipal_title": ("Utslipp per kommune {year} – {scope}", "Emissions by municipality {year} – {scope}"),
    "em_municipal_source": ("Kommunetall fra", "Municipal figures from"),
    "em_source_statistics": ("kommunestatistikken (Miljødirektoratet)", "the municipal statistics (Miljødirektoratet)"),
    "em_source_facilities": ("summen av anleggene i kommunen", "the sum of the facilities in the municipality"),
    "em_all_sectors": ("Alle sektorer", "All sectors"),
    "em_municipal_layer": ("Utslipp per kommune", "Emissions by municipality"),
    "em_choropleth_title": ("Tonn {scope}, {year}", "Tonnes {scope}, {year}"),
    "em_no_municipal_year": (
        "Kommunestatistikken har ingen tall for {year} i omfanget «{scope}». Importer Miljødirektoratets "
        "kommunefordelte utslipp, eller vis summen av anleggene.",
        "The municipal statistics have no figures for {year} in the scope “{scope}”. Import Miljødirektoratet's "
        "emissions by municipality, or show the sum of the facilities.",
    ),
    "em_no_facilities_year": (
        "Ingen anlegg har tall for {year} i omfanget «{scope}».",
        "No facility has a figure for {year} in the scope “{scope}”.",
    ),
    "em_boundaries_missing": (
        "Kommunegrensene mangler, så kommunekartet kan ikke tegnes (tabellen under viser tallene). Slik får du "
        "dem: last opp Kartverkets «Administrative enheter – kommuner» (GeoJSON, GeoPackage eller GML, også som "
        "zip) på opplastingssiden som et lag av typen «boundaries», eller kjør én gang med nettilgang "
        "`python -m loaders boundaries --download`, som henter grensene fra Geonorge og lagrer dem på disk.",
        "The municipality boundaries are missing, so the municipality map cannot be drawn (the table below has "
        "the figures). To get them: upload Kartverket's “Administrative enheter – kommuner” (GeoJSON, "
        "GeoPackage or GML, also zipped) on the upload page as a layer of kind “boundaries”, or run once while "
        "online `python -m loaders boundaries --download`, which fetches them from Geonorge and keeps them on disk.",
    ),
    "em_boundaries_error": ("Kommunegrensene kunne ikke leses: {error}", "The boundaries could not be read: {error}"),
    "em_boundaries_source": (
        "Kommunegrenser: {label}. Inneholder data fra © Kartverket (CC BY 4.0).",
        "Municipality boundaries: {label}. Contains data from © Kartverket (CC BY 4.0).",
    ),
    "em_numbers_mapped": (
        "Eldre kommunenummer er ført over til dagens: {mapped}.",
        "Older municipality numbers were moved to today's: {mapped}.",
    ),
    "em_numbers_partial": (
        "Dagens kommune for {codes} fikk også deler av en delt kommune; summer før 2020 er derfor ufullstendige.",
        "Today's municipality for {codes} also took in part of a split one; sums before 2020 are incomplete.",
    ),
    "em_numbers_county_only": (
        "{codes} (Snillfjord, delt i 2020) teller for fylket, men ikke for noen kommune.",
        "{codes} (Snillfjord, split in 2020) counts for the county but for no municipality.",
    ),
    "em_numbers_unknown": (
        "Kommunenummer som ikke er Trøndelags (eller er ukjente), ikke tatt med: {codes}.",
        "Municipality numbers that are not Trøndelag's (or unknown), left out: {codes}.",
    ),
    "em_path_title": ("Trøndelags vei mot {year}", "Trøndelag's path to {year}"),
    "em_path_no_data": (
        "Ingen kommunestatistikk i omfanget «{scope}». Fylkets utslipp år for år kommer fra Miljødirektoratets "
        "kommunefordelte utslipp (CO₂-ekvivalenter): importer dem for å se veien mot 2030.",
        "No municipal statistics in the scope “{scope}”. The county's emissions year by year come from "
        "Miljødirektoratet's emissions by municipality (CO₂ equivalents): import them to see the path to 2030.",
    ),
    "em_no_baseline_no_baseline_year": (
        "Dataene har ikke {year}, så nivået i {year} og målbåndet for 2030 tegnes ikke. Fylket oppgir bare "
        "endringer fra {year} (f.eks. «økt med 10,5 %» 2009–2022, trondelagitall.no), ikke selve tallet, og "
        "appen regner det ikke ut baklengs. Importer kommunestatistikk som har {year}.",
        "The data has no {year}, so the {year} level and the 2030 target band are not drawn. The county publishes "
        "only changes since {year} (e.g. “up 10.5 %” 2009–2022, trondelagitall.no), not the figure itself, and "
        "the app does not back-calculate it. Import municipal statistics that include {year}.",
    ),
    "em_no_baseline_baseline_incomplete": (
        "Dataene for {year} dekker ikke alle kommunene, så nivået i {year} og målbåndet tegnes ikke.",
        "The data for {year} does not cover every municipality, so the {year} level and the target band are not drawn.",
    ),
    "em_no_baseline_no_data": ("Ingen data.", "No data."),
    "em_no_gap": (
        "Det siste hele året er {year} selv, så det er ikke noe gap å regne ut.",
        "The latest complete year is {year} itself, so there is no gap to compute.",
    ),
    "em_incomplete_years": (
        "År som ikke dekker alle {expected} kommuner (hule punkter, ikke brukt til nivå eller gap): {years}.",
        "Years that do not cover all {expected} municipalities (hollow points, not used for level or gap): {years}.",
    ),
    "em_complete": ("alle kommuner", "all municipalities"),
    "em_incomplete": ("ikke alle kommuner", "not all municipalities"),
    "em_target_band": (
        "Målet: {low}–{high} % under nivået i {base} innen {year} (grønt felt i figuren).",
        "The target: {low}–{high} % below the {base} level by {year} (green band in the chart).",
    ),
    "em_baseline": ("Nivå {year}", "Level {year}"),
    "em_latest": ("Siste hele år ({year})", "Latest complete year ({year})"),
    "em_change": ("{pct} % siden {year}", "{pct} % since {year}"),
    "em_gap": ("Gjenstår til {cut} % kutt", "Left to a {cut} % cut"),
    "em_gap_pct": ("{pct} % av nivået i {year}", "{pct} % of the {year} level"),
    "em_gap_done": ("nådd", "reached"),
    "em_chart_baseline": ("Nivå {year}", "Level {year}"),
    "em_axis_tonnes": ("Tonn, {scope}", "Tonnes, {scope}"),
    "em_sector_title": ("Per sektor", "By sector"),
    "em_sector_caption": (
        "Gapet per sektor viser hva samme prosentkutt ville bety for sektoren; målet er satt for fylket som helhet.",
        "The gap by sector shows what the same percentage cut would mean for the sector; the target is set for "
        "the county as a whole.",
    ),
    # --- Portfolio page (pages/2_Portefolje.py, maps/portfolio.py, ui/portfolio*.py) ---
    "pf_page_title": ("Portefølje", "Portfolio"),
    "pf_page_intro": (
        "Hva ligger rundt hvert område: utslippskilder, klyngemedlemmer, nærmeste store utslippskilde og "
        "registrerte ressursstrømmer. Avstander er målt i meter (EPSG:25833) fra punktet området er plassert på.",
        "What lies around each site: emission sources, cluster members, the nearest large emitter and recorded "
        "resource flows. Distances are in metres (EPSG:25833) from the point the site is placed at.",
    ),
    "pf_sites": ("Områder å sammenligne", "Sites to compare"),
    "pf_sites_help": ("Opptil {n} områder side om side.", "Up to {n} sites side by side."),
    "pf_sites_placeholder": ("Velg områder", "Choose sites"),
    "pf_radius_km": ("Radius (km)", "Radius (km)"),
    "pf_radius": ("Radius", "Radius"),
    "pf_flow_filters": ("Ressursstrømmer", "Resource flows"),
    "pf_resource": ("Ressurs", "Resource"),
    "pf_flow_status": ("Status for strømmen", "Flow status"),
    "pf_layer_buffers": ("Nabolag (radius)", "Neighbourhoods (radius)"),
    "pf_layer_flows": ("Registrerte strømmer", "Recorded flows"),
    # --- measures (tiltak): analysis/measures.py, ui/measures.py, maps/measures.py, exports/charts.py ---------
    "layer_measures": ("Tiltak", "Measures"),
    "pf_layer_measures": ("Tiltak", "Measures"),
    "ms_filters": ("Tiltak på kartet", "Measures on the map"),
    "ms_kind": ("Type tiltak", "Kind of measure"),
    "ms_kind_karbonfangst": ("karbonfangst", "carbon capture"),
    "ms_kind_brenselsbytte": ("brensels- og råstoffbytte", "fuel or feedstock switch"),
    "ms_kind_biogass": ("biogass", "biogas"),
    "ms_kind_elektrifisering": ("elektrifisering", "electrification"),
    "ms_kind_ressursflyt": ("ressursflyt (symbiose)", "resource flow (symbiosis)"),
    "ms_kind_energigjenvinning": ("energigjenvinning", "energy recovery"),
    "ms_kind_annet": ("annet", "other"),
    "ms_status_idé": ("idé", "idea"),
    "ms_status_utredes": ("utredes", "being studied"),
    "ms_status_vedtatt": ("vedtatt", "decided"),
    "ms_status_under bygging": ("under bygging", "under construction"),
    "ms_status_i drift": ("i drift", "in operation"),
    "ms_status_avsluttet": ("avsluttet", "ended"),
    "ms_group": ("Gruppe", "Group"),
    "ms_group_running": ("i drift", "in operation"),
    "ms_group_decided": ("vedtatt eller under bygging", "decided or under construction"),
    "ms_group_planned": ("utredes", "being studied"),
    "ms_group_idea": ("idéer", "ideas"),
    "ms_group_potential": ("potensial (ikke en plan)", "potential (not a plan)"),
    "ms_place": ("Område", "Site"),
    "ms_plant": ("Anlegg", "Plant"),
    "ms_cut": ("Forventet kutt", "Expected cut"),
    "ms_per_year": ("per år", "per year"),
    "ms_potential": ("potensial, ikke en plan", "potential, not a plan"),
    "ms_potential_box": (
        "Kuttet er et potensial (kilden sier mulig, ikke planlagt)",
        "The cut is a potential (the source says possible, not planned)",
    ),
    "ms_start": ("Startår", "Start year"),
    "ms_start_unknown": ("ikke oppgitt", "not stated"),
    "ms_quote": ("Sitat fra kilden", "The source's words"),
    "ms_counted_in": ("Regnet med i tiltak", "Counted in measure"),
    "ms_col_title": ("Tiltak", "Measure"),
    "ms_col_cut_t": ("Kutt, tonn per år", "Cut, tonnes per year"),
    "ms_col_scope": ("Omfang", "Scope"),
    "ms_col_measures": ("Tiltak", "Measures"),
    "ms_col_no_figure": ("Uten tall", "Without a figure"),
    "ms_col_emitters": ("Utslippskilder (siste tall)", "Emitters (newest figure)"),
    "ms_col_sums": ("Sum kutt per gruppe (med kilde)", "Sum of cuts per group (sourced)"),
    "ms_col_line": ("Linje i filen", "Line in the file"),
    "ms_col_feature": ("Objekt", "Feature"),
    "ms_no_emitters": ("ingen utslippskilde innenfor", "no emission source inside"),
    "ms_legend_no_figure": ("uten tall i kilden", "no figure in the source"),
    "ms_legend_potential": ("potensial, ikke en plan", "potential, not a plan"),
    "ms_path_title": (
        "Veien mot 2030 med porteføljens tiltak – {scope}",
        "The path to 2030 with the portfolio's measures – {scope}",
    ),
    "ms_path_caption": (
        "De {n} store punktkildene i registeret med tall både i {baseline} og {year} (likt sammenlignet), mot sitt "
        "eget nivå i {baseline}; tiltakene som kiler fra startåret fram til {target}.",
        "The register's {n} large point sources with a figure in both {baseline} and {year} (like for like), against "
        "their own {baseline} level; the measures as wedges from their start year to {target}.",
    ),
    "ms_chart_actual": ("Faktiske utslipp", "Actual emissions"),
    "ms_chart_measures": ("Tiltak", "Measures"),
    "ms_chart_held": ("Nivå som i {year} (ingen endring antatt)", "Level as in {year} (no change assumed)"),
    "ms_chart_band": ("Mål {year}: 50–55 % under basisåret", "Target {year}: 50–55 % below the base year"),
    "ms_before_measures": ("Uten tiltak", "Without measures"),
    "ms_after_group": ("Etter tiltak: + {group}", "After measures: + {group}"),
    "ms_gap_high": ("Gjenstår til 50 % kutt", "Left to a 50 % cut"),
    "ms_gap_low": ("Gjenstår til 55 % kutt", "Left to a 55 % cut"),
    "ms_below_band": ("nådd ({t_} t under)", "reached ({t_} t below)"),
    "ms_over": (
        "Tiltakene på {plant} gir til sammen {cut}, mer enn anleggets {newest} i {year}. Tallet er vist som kildene "
        "oppgir det, ikke kuttet ned.",
        "The measures on {plant} add up to {cut}, more than the plant's {newest} in {year}. It is shown as the "
        "sources give it, not capped.",
    ),
    "ms_no_start_counted": (
        "{n} tiltak uten oppgitt startår er regnet med fra {target} (kildene oppgir ikke når de virker).",
        "{n} measures without a stated start year are counted from {target} (the sources do not say when they act).",
    ),
    "ms_no_start_counted_one": (
        "Ett tiltak uten oppgitt startår er regnet med fra {target} (kilden oppgir ikke når det virker).",
        "One measure without a stated start year is counted from {target} (the source does not say when it acts).",
    ),
    "ms_chart_table_title": (
        "Tiltakene, med kilde: i diagrammet eller ved siden av",
        "The measures, with their source: in the chart or beside it",
    ),
    "ms_col_in_chart": ("I diagrammet", "In the chart"),
    "ms_in_chart": ("ja: {group}, fra {year}", "yes: {group}, from {year}"),
    "ms_in_chart_no_start": (
        "ja: {group}, fra {year} (startår ikke oppgitt)",
        "yes: {group}, from {year} (start year not stated)",
    ),
    "ms_not_in_chart": ("nei: {why}", "no: {why}"),
    "ms_reason_no_figure": ("kilden oppgir ingen tonn (ingen tall)", "the source gives no tonnes (no figure)"),
    "ms_reason_counted_in": (
        "regnet med i et annet tiltak (samme prosjekt)",
        "counted in another measure (the same project)",
    ),
    "ms_reason_counted_in_missing": (
        "regnet med i et tiltak som ikke vises (trukket tilbake?): ikke lagt til",
        "counted in a measure that is not shown (retired?): not added",
    ),
    "ms_reason_ended": ("avsluttet", "ended"),
    "ms_reason_not_a_plant": (
        "gjelder ikke et anlegg i registeret (f.eks. landbruk, transport)",
        "not a plant in the register (e.g. farming, transport)",
    ),
    "ms_reason_other_scope": ("et annet omfang enn diagrammets", "another scope than the chart's"),
    "ms_reason_not_in_set": (
        "anlegget er ikke blant de likt sammenlignede",
        "the plant is not among those compared like for like",
    ),
    "ms_reason_in_figures": (
        "startet senest i siste år med tall: allerede med i tallene",
        "started by the newest year: already in the figures",
    ),
    "ms_reason_running_no_start": (
        "i drift uten oppgitt startår: kan allerede være med i tallene",
        "in operation, no start year stated: may already be in the figures",
    ),
    "ms_reason_after_target": ("starter etter 2030", "starts after 2030"),
    "ms_never_added": (
        "Planlagte kutt legges aldri inn i de faktiske tallene, nøkkeltallene eller «siste tall». Tall i ulike "
        "omfang legges aldri sammen.",
        "Planned cuts never enter the actual figures, the key figures or the 'latest' columns. Figures in different "
        "scopes are never added.",
    ),
    "ms_other_scopes": (
        "Omfanget er det med nyeste tall, med standard basisår. Velg et annet omfang eller basisår på siden Utslipp.",
        "The scope is the one with the newest figures, with its default base year. Choose another scope or base year "
        "on the Emissions page.",
    ),
    "ms_slide": ("Lysbilde", "Slide"),
    "ms_table_csv": ("Tiltakene (CSV)", "The measures (CSV)"),
    "ms_table_xlsx": ("Tiltakene med kilder (XLSX)", "The measures with sources (XLSX)"),
    "ms_sources_line": (
        "Kilder: EU Transaction Log (European Commission), CC BY 4.0; EEA E-PRTR (CC BY 4.0); tiltakene: {hosts}.",
        "Sources: EU Transaction Log (European Commission), CC BY 4.0; EEA E-PRTR (CC BY 4.0); the measures: {hosts}.",
    ),
    "ms_gap_both": ("Gjenstår til 50 % / 55 % kutt", "Left to a 50 % / 55 % cut"),
    "ms_sheet_measures": ("Tiltak", "Measures"),
    "ms_sheet_gap": ("Gap etter tiltak", "Gap after measures"),
    "ms_sheet_sources": ("Kilder", "Sources"),
    "ms_sheet_summary": ("Tiltak per område", "Measures per site"),
    "ms_site_title": ("Tiltak", "Measures"),
    "ms_site_none": ("Ingen registrerte tiltak her.", "No measures recorded here."),
    "ms_summary_title": ("Porteføljen: tiltak per område", "The portfolio: measures per site"),
    "ms_summary_caption": (
        "Utslippskilder innenfor {km} km og anleggene tiltakene gjelder, med siste oppgitte tall. Summene er bare "
        "kildebelagte tall, per gruppe og omfang; tiltak regnet med i et annet tiltak telles én gang.",
        "Emission sources within {km} km and the plants the measures are on, with their latest stated figure. Sums "
        "hold sourced figures only, per group and scope; a measure counted in another is counted once.",
    ),
    "ms_editor_title": ("Legg til eller endre tiltak (redaktører)", "Add or change measures (editors)"),
    "ms_editor_intro": (
        "Et tiltak hører til et område og/eller et anlegg, har en kilde (lenke og sitat) og et kutt i tonn per år "
        "når kilden oppgir det. Endringer lagres som nye versjoner; et tiltak som trekkes tilbake havner i "
        "papirkurven.",
        "A measure belongs to a site and/or a plant, has a source (link and quote) and a cut in tonnes per year "
        "where the source gives one. Changes are saved as new versions; a retired measure goes to the bin.",
    ),
    "ms_form_pick": ("Velg tiltak å endre, eller et nytt", "Choose a measure to change, or a new one"),
    "ms_form_new": ("Nytt tiltak", "New measure"),
    "ms_form_none": ("ingen", "none"),
    "ms_form_required": (
        "* må fylles ut. ¹ Et område, et anlegg eller begge. Omfang må velges når kuttet er fylt ut.",
        "* required. ¹ A site, a plant or both. A scope is required when the cut is filled in.",
    ),
    "ms_form_missing": ("Fyll ut: {fields}.", "Fill in: {fields}."),
    "ms_place_or_plant": ("Område eller anlegg", "Site or plant"),
    "ms_form_cut_help": ("Tomt når kilden ikke oppgir tonn.", "Empty when the source gives no tonnes."),
    "ms_form_quote_help": ("Kildens egne ord i « ».", "The source's own words in « »."),
    "ms_form_counted_in_help": (
        "Id-en til et tiltak som allerede har med dette kuttet (to kilder om ett prosjekt).",
        "The id of a measure whose cut already holds this one (two sources on one project).",
    ),
    "ms_form_add": ("Legg til tiltak", "Add measure"),
    "ms_form_save": ("Lagre endring", "Save change"),
    "ms_invalid": ("Tiltaket ble ikke lagret: {error}", "The measure was not saved: {error}"),
    "ms_saved": ("Lagret: {title}", "Saved: {title}"),
    "ms_stored_title": ("Lagrede tiltak", "Stored measures"),
    "ms_stored_none": ("Ingen tiltak er lagt til i appen ennå.", "No measures have been added in the app yet."),
    "ms_origin_stored": ("lagt til i appen", "added in the app"),
    "ms_origin_changed": ("endret i appen", "changed in the app"),
    "ms_origin_bundled": ("fra datagrunnlaget", "bundled"),
    "ms_retire": ("Trekk tilbake", "Retire"),
    "ms_retired": ("Trukket tilbake (i papirkurven): {title}", "Retired (in the bin): {title}"),
    "ms_bin_title": ("Papirkurv (slettes for godt etter {days} dager)", "Bin (removed for good after {days} days)"),
    "ms_restore": ("Gjenopprett", "Restore"),
    "ms_restored": ("Gjenopprettet: {title}", "Restored: {title}"),
    "ms_import_help": (
        "Én rad per tiltak, med kolonnene i malen (beskrevet i geodata/README.md). En kjent id endrer tiltaket, en ny "
        "legger det til. Områder og anlegg oppgis med koden sin.",
        "One row per measure, in the template's columns (described in geodata/README.md). A known id changes the "
        "measure, a new one adds it. Sites and plants are given by their code.",
    ),
    "ms_template": ("Mal: tiltakene som vises (CSV)", "Template: the measures shown (CSV)"),
    "ms_codes": ("Koder for områder og anlegg (CSV)", "Codes of sites and plants (CSV)"),
    "ms_upload": ("Importer tiltak (CSV eller GeoJSON)", "Import measures (CSV or GeoJSON)"),
    "ms_import_partial": (
        "Lagret {saved} av {total} tiltak før lageret svarte med feil; resten er ikke lagret: {error}",
        "Saved {saved} of {total} measures before the store failed; the rest were not saved: {error}",
    ),
    "ms_upload_invalid": ("Filen kunne ikke leses: {error}", "The file could not be read: {error}"),
    "ms_import_plan": (
        "Ved lagring: {added} nye, {changed} endret, {unchanged} uendret, {refused} avvist.",
        "On saving: {added} new, {changed} changed, {unchanged} unchanged, {refused} refused.",
    ),
    "ms_why_refused": ("Hvorfor avvist", "Why refused"),
    "ms_import_save": ("Lagre importen", "Save the import"),
    "ms_imported": (
        "Importert: {added} nye, {changed} endret, {refused} avvist.",
        "Imported: {added} new, {changed} changed, {refused} refused.",
    ),
    "ms_store_problem": (
        "Et lagret tiltak ble utelatt ({title}): {error}",
        "A stored measure was left out ({title}): {error}",
    ),
    "pf_no_sites": (
        "Velg minst ett område i sidepanelet for å se nabolag, kart og muligheter.",
        "Choose at least one site in the sidebar to see neighbourhoods, maps and possibilities.",
    ),
    "pf_notice_colocated": (
        "«{name}» deler punkt med {others}: de vises på samme sted, og nabolagene deres er like.",
        "“{name}” shares its point with {others}: they are drawn at one place and their neighbourhoods are the same.",
    ),
    "pf_map_title": ("Nabolagene på kartet", "The neighbourhoods on the map"),
    "pf_map_caption": (
        "Sirklene er nabolagene ({km}). Piler viser registrerte strømmer med minst én ende innenfor, "
        "fra giver til mottaker; en ring betyr at giver og mottaker er plassert i samme punkt.",
        "The circles are the neighbourhoods ({km}). Arrows show recorded flows with at least one end inside, "
        "from giver to receiver; a ring means giver and receiver are placed at the same point.",
    ),
    "pf_attribution": (
        "Bakgrunnskart © Kartverket / © OpenStreetMap contributors. "
        "Alle oppføringer med kilde og år: «Data og kilder».",
        "Basemaps © Kartverket / © OpenStreetMap contributors. Every record with its source and year: “Data and "
        "sources”.",
    ),
    "pf_compare_title": ("Side om side", "Side by side"),
    "pf_measure": ("Mål", "Measure"),
    "pf_row_municipality": ("Kommune", "Municipality"),
    "pf_row_status": ("Status", "Status"),
    "pf_row_themes": ("Tema", "Themes"),
    "pf_row_precision": ("Plassert ved", "Placed at"),
    "pf_row_colocated": ("Deler punkt med", "Shares its point with"),
    "pf_row_radius": ("Radius", "Radius"),
    "pf_row_sources_inside": ("Utslippskilder innenfor", "Emission sources inside"),
    "pf_row_sources_with_figure": ("… med oppgitt tall", "… with a stated figure"),
    "pf_row_emissions": ("Sum siste tall innenfor", "Sum of latest figures inside"),
    "pf_row_emission_years": ("Årstall for tallene", "Years of the figures"),
    "pf_row_scopes": ("Omfang", "Scope"),
    "pf_row_members_inside": ("Klyngemedlemskap innenfor", "Cluster memberships inside"),
    "pf_row_member_companies": ("Bedrifter innenfor", "Companies inside"),
    "pf_row_nearest": ("Nærmeste store utslippskilde", "Nearest large emitter"),
    "pf_row_nearest_any": (
        "Nærmeste utslippskilde (ingen har tall over terskelen)",
        "Nearest emitter (none has a figure above the threshold)",
    ),
    "pf_row_nearest_m": ("Avstand til den", "Its distance"),
    "pf_none": ("ingen", "none"),
    "pf_small_maps": ("Hvert nabolag for seg", "Each neighbourhood on its own"),
    "pf_ranking_title": ("Rangering av alle områder", "Ranking of all sites"),
    "pf_ranking_caption": (
        "Mest utslipp innenfor radius først (ett omfang, ett år), så flest mulige industripartnere, så flest aktører; "
        "like nabolag får samme plass. Bare aktører med kjent plassering telles. Klikk på en kolonne for å sortere.",
        "Most emissions within the radius first (one scope, one year), then most possible industrial partners, then "
        "most actors; equal neighbourhoods share a rank. Only actors with a known place count. Click a column to "
        "sort.",
    ),
    "pf_col_rank": ("Rang", "Rank"),
    "pf_col_site": ("Område", "Site"),
    "pf_col_emissions_t": ("Sum siste tall (t)", "Sum of latest figures (t)"),
    "pf_col_years": ("Årstall", "Years"),
    "pf_col_nearest_km": ("Avstand (km)", "Distance (km)"),
    "pf_col_distance_km": ("Avstand (km)", "Distance (km)"),
    "pf_flows_title": ("Strømmer og muligheter per område", "Flows and possibilities per site"),
    "pf_recorded_title": ("Registrerte strømmer", "Recorded flows"),
    "pf_recorded_caption": (
        "Strømmer som en kilde oppgir (eksisterende, planlagt eller mulig ifølge kilden), med minst én ende "
        "innenfor {km}.",
        "Flows a source states (existing, planned or possible according to the source), with at least one end "
        "within {km}.",
    ),
    "pf_recorded_none": ("Ingen registrerte strømmer innenfor radius.", "No recorded flows within the radius."),
    "pf_candidates_title": ("Mulige koblinger (mulighet)", "Possible links (possibility)"),
    "pf_candidates_caption": (
        "Mulighet, ikke fakta: her møter én bedrifts oppgitte eller antatte utgang en annen bedrifts inngang, "
        "begge med kjent plassering innenfor {km}. Par som allerede har en registrert strøm er utelatt.",
        "A possibility, not a fact: one company's declared or assumed output meets another company's input, both "
        "with a known place within {km}. Pairs that already have a recorded flow are left out.",
    ),
    "pf_col_reason": ("Begrunnelse", "Reason"),
    "pf_col_label": ("Merking", "Label"),
    "pf_label_possibility": ("mulighet", "possibility"),
    "pf_col_layer": ("Lag", "Layer"),
    "pf_summary_title": ("Porteføljen i tall", "The portfolio in numbers"),
    "pf_summary_caption": (
        "Alle {sites} områder, nabolag på {km}. Utslipp: ett omfang og ett år, som nøkkeltallet på Kart, for kilder "
        "med kjent plassering innenfor minst ett nabolag, hver kilde telt én gang; planlagte tall er ikke med.",
        "All {sites} sites, neighbourhoods of {km}. Emissions: one scope and one year, as Kart's key figure, for "
        "sources with a known place inside at least one neighbourhood, each counted once; planned figures are "
        "excluded.",
    ),
    "pf_kpi_sites": ("Områder", "Sites"),
    "pf_kpi_emissions": ("Utslipp i nabolagene", "Emissions in the neighbourhoods"),
    "pf_kpi_sources": ("Kilder i nabolagene", "Sources in the neighbourhoods"),
    "pf_kpi_members": ("Aktører i klynger og prosjekter", "Actors in clusters and projects"),
    "pf_kpi_members_help": (
        "Én per bedrift eller organisasjon, også når den er i flere klynger eller selv er en utslippskilde. "
        "{memberships} tilknytninger i alt, som kilden oppgir dem (medlem, styre, partner, prosjektdeltaker): en "
        "prosjektdeltaker er ikke nødvendigvis medlem; {inside} av dem har kjent plassering innenfor et nabolag.",
        "One per company or organisation, also when it is in several clusters or is itself an emission source. "
        "{memberships} relations in all, as their sources state them (member, board, partner, project "
        "participant): a project participant is not necessarily a member; {inside} of them have a known place "
        "inside a neighbourhood.",
    ),
    "pf_kpi_flows": ("Registrerte strømmer", "Recorded flows"),
    "pf_col_sites": ("Områder", "Sites"),
    "pf_col_flows": ("Strømmer", "Flows"),
    "pf_sources_line": (
        "Kilder: {hosts}. Alle oppføringer med kilde og år: siden «Data og kilder».",
        "Sources: {hosts}. Every record with its source and year: the “Data and sources” page.",
    ),
    "pf_legend_buffer": ("Nabolag (radius)", "Neighbourhood (radius)"),
    "pf_legend_flows": ("Registrerte strømmer, giver → mottaker", "Recorded flows, giver → receiver"),
    "pf_legend_ring": ("Ring: giver og mottaker i samme punkt", "Ring: giver and receiver at one point"),
    "pf_legend_points": ("Punkter innenfor", "Points inside"),
    "pf_recorded_flow": ("Registrert strøm", "Recorded flow"),
    "pf_same_point": ("samme punkt", "same point"),
    "pf_from": ("Fra", "From"),
    "pf_to": ("Til", "To"),
    "pf_layer": ("Lag", "Layer"),
    "pf_bundled": ("medfølgende data", "bundled data"),
    "pf_editor_title": ("Registrer strømmer (redaktør)", "Record flows (editors)"),
    "pf_editor_intro": (
        "Nye strømmer lagres i kartlagslageret og tegnes sammen med de medfølgende. Oppgi kilde (http/https) "
        "og sitat; la år stå tomt når kilden ikke oppgir det. Aktører som ikke finnes i kartlagene kan lastes opp "
        "som CSV/GeoJSON med navn og koordinater.",
        "New flows are saved in the layer store and drawn with the bundled ones. Give a source (http/https) and a "
        "quote; leave the year empty when the source states none. Actors the layers do not hold can be uploaded "
        "as CSV/GeoJSON with a name and coordinates.",
    ),
    "pf_form_from": ("Fra (giver)", "From (giver)"),
    "pf_form_to": ("Til (mottaker)", "To (receiver)"),
    "pf_form_pick": ("Velg aktør", "Choose an actor"),
    "pf_form_url": ("Kilde-URL", "Source URL"),
    "pf_form_year": ("Kildeår (tomt hvis ikke oppgitt)", "Source year (empty if not stated)"),
    "pf_form_quote": ("Sitat eller sammendrag av kilden", "Quote or summary of the source"),
    "pf_form_note": ("Merknad (valgfritt)", "Note (optional)"),
    "pf_form_submit": ("Lagre strømmen", "Save the flow"),
    "pf_form_need_actors": ("Velg både giver og mottaker.", "Choose both giver and receiver."),
    "pf_invalid": ("Strømmen ble ikke lagret: {error}", "The flow was not saved: {error}"),
    "pf_saved": ("Lagret: {title}", "Saved: {title}"),
    "pf_upload": ("Last opp strømmer (CSV eller GeoJSON)", "Upload flows (CSV or GeoJSON)"),
    "pf_upload_ready": ("Strømmer klare til å lagres: {n}.", "Flows ready to be saved: {n}."),
    "pf_upload_save": ("Lagre de opplastede strømmene", "Save the uploaded flows"),
    "pf_upload_invalid": ("Filen kan ikke brukes: {error}", "The file cannot be used: {error}"),
    "pf_upload_too_big": ("Filen er større enn {mb} MB.", "The file is larger than {mb} MB."),
    "pf_store_unreachable": (
        "Kartlagslageret kan ikke nås ({error}). Siden viser bare de medfølgende strømmene, og nye kan ikke lagres nå.",
        "The layer store cannot be reached ({error}). The page shows the bundled flows only, and new ones cannot "
        "be saved now.",
    ),
    "pf_store_problem": ("Lag «{title}» ble utelatt: {error}", "Layer “{title}” was left out: {error}"),
    "kind_flows": ("ressursstrømmer", "resource flows"),  # the store kind, on the Kartlag page
    "kind_measures": ("tiltak", "measures"),  # the store kind, on the Kartlag page
    "pf_kind_parks": ("område", "site"),
    "pf_kind_sources": ("utslippskilde", "emission source"),
    "pf_kind_members": ("klyngemedlem", "cluster member"),
    "resource_overskuddsvarme": ("overskuddsvarme", "surplus heat"),
    "resource_CO2": ("CO₂", "CO₂"),
    "resource_slam": ("slam", "sludge"),
    "resource_biogass": ("biogass", "biogas"),
    "resource_biogjødsel": ("biogjødsel", "biofertiliser"),
    "resource_husdyrgjødsel": ("husdyrgjødsel", "livestock manure"),
    "resource_nitrogenrikt vann": ("nitrogenrikt vann", "nitrogen-rich water"),
    "resource_trefiber": ("trefiber", "wood fibre"),
    "resource_restråstoff": ("restråstoff", "by-products"),
    "resource_restavfall": ("restavfall", "residual waste"),
    "resource_hydrogen": ("hydrogen", "hydrogen"),
    "flow_status_eksisterende": ("eksisterende", "existing"),
    "flow_status_planlagt": ("planlagt", "planned"),
    "flow_status_mulig": ("mulig (ifølge kilden)", "possible (according to the source)"),
    # --- issue 12: the EEA register bundled, every pollutant, one-scope key figure, offline basemap ---
    "scope_ch4": ("metan (CH₄)", "methane (CH₄)"),
    "scope_n2o": ("lystgass (N₂O)", "nitrous oxide (N₂O)"),
    "scope_hfc": ("HFK-er (hydrofluorkarboner)", "HFCs (hydrofluorocarbons)"),
    "scope_pfc": ("PFK-er (perfluorkarboner)", "PFCs (perfluorocarbons)"),
    "scope_sf6": ("svovelheksafluorid (SF₆)", "sulphur hexafluoride (SF₆)"),
    "scope_nox": ("nitrogenoksider (NOₓ)", "nitrogen oxides (NOₓ)"),
    "scope_sox": ("svoveloksider (SOₓ)", "sulphur oxides (SOₓ)"),
    "scope_pm10": ("svevestøv (PM10)", "particulate matter (PM10)"),
    "scope_nh3": ("ammoniakk (NH₃)", "ammonia (NH₃)"),
    "scope_nmvoc": (
        "flyktige organiske forbindelser uten metan (nmVOC)",
        "non-methane volatile organic compounds (NMVOC)",
    ),
    "scope_co": ("karbonmonoksid (CO)", "carbon monoxide (CO)"),
    "scope_toc": ("totalt organisk karbon (TOC)", "total organic carbon (TOC)"),
    "scope_hcfc": ("HKFK-er (hydroklorfluorkarboner)", "HCFCs (hydrochlorofluorocarbons)"),
    "scope_as": ("arsen og forbindelser (som As)", "arsenic and compounds (as As)"),
    "scope_cd": ("kadmium og forbindelser (som Cd)", "cadmium and compounds (as Cd)"),
    "scope_hg": ("kvikksølv og forbindelser (som Hg)", "mercury and compounds (as Hg)"),
    "scope_ni": ("nikkel og forbindelser (som Ni)", "nickel and compounds (as Ni)"),
    "scope_pb": ("bly og forbindelser (som Pb)", "lead and compounds (as Pb)"),
    "scope_zn": ("sink og forbindelser (som Zn)", "zinc and compounds (as Zn)"),
    "scope_cu": ("kobber og forbindelser (som Cu)", "copper and compounds (as Cu)"),
    "scope_cr": ("krom og forbindelser (som Cr)", "chromium and compounds (as Cr)"),
    "scope_dioxins": ("dioksiner og furaner (PCDD + PCDF, som TEQ)", "dioxins and furans (PCDD + PCDF, as TEQ)"),
    "scope_pah": ("polysykliske aromatiske hydrokarboner (PAH)", "polycyclic aromatic hydrocarbons (PAHs)"),
    "scope_bghip": ("benzo(g,h,i)perylen", "benzo(g,h,i)perylene"),
    "scope_fluoranthene": ("fluoranten", "fluoranthene"),
    "scope_naphthalene": ("naftalen", "naphthalene"),
    "scope_phenols": ("fenoler (som total C)", "phenols (as total C)"),
    "scope_chlorides": ("klorider (som total Cl)", "chlorides (as total Cl)"),
    "scope_fluorides": ("fluorider (som total F)", "fluorides (as total F)"),
    "scope_chlorine": ("klor og uorganiske forbindelser (som HCl)", "chlorine and inorganic compounds (as HCl)"),
    "scope_fluorine": ("fluor og uorganiske forbindelser (som HF)", "fluorine and inorganic compounds (as HF)"),
    "em_pollutant": ("Komponent", "Pollutant"),
    "em_pollutant_help": (
        "Klimagassene først. Hver komponent vises for seg; fossilt og totalt CO₂ legges aldri sammen.",
        "Greenhouse gases first. Each pollutant is shown on its own; fossil and total CO₂ are never added.",
    ),
    "em_group_ghg": ("Klimagass", "Greenhouse gas"),
    "em_group_air": ("Annet utslipp til luft", "Other release to air"),
    "eea_credit": (
        "Kilde: European Environment Agency, E-PRTR (CC BY 4.0), utgitt {date}",
        "Source: European Environment Agency, E-PRTR (CC BY 4.0), published {date}",
    ),
    "ets_credit": (
        "Kilde: EU Transaction Log (Europakommisjonen), CC BY 4.0. Verifiserte utslipp i kvotesystemet: CO₂ fra "
        "biomasse regnes som null, bare installasjoner over kvotesystemets terskler er med, og det er ikke fylkets "
        "samlede utslipp.",
        "Source: EU Transaction Log (European Commission), CC BY 4.0. Verified emissions in the ETS: biomass CO₂ "
        "counts as zero, only installations above the ETS thresholds are in it, and it is not the county's total.",
    ),
    "ets_credit_short": (
        "EU Transaction Log (European Commission), CC BY 4.0",
        "EU Transaction Log (European Commission), CC BY 4.0",
    ),
    "em_series_register": ("{scope} ({register})", "{scope} ({register})"),
    "em_series_both": (
        "Begge registrene har tall for anlegget: hver serie har sitt eget omfang og legges aldri sammen.",
        "Both registers have figures for this plant: each series has its own scope and they are never added.",
    ),
    "em_col_free_allocation": ("Gratis tildelte kvoter (t)", "Free allocation (t)"),
    "em_col_compliance": ("Etterlevelseskode", "Compliance code"),
    "em_series_label": ("Serie", "Series"),
    "eea_credit_short": (
        "European Environment Agency, E-PRTR (CC BY 4.0)",
        "European Environment Agency, E-PRTR (CC BY 4.0)",
    ),
    "em_not_reported": (
        "Ingen rad i E-PRTR for {year}: utslippet var ikke rapportert over terskelen (ikke null).",
        "No E-PRTR row for {year}: the release was not reported above the threshold (not zero).",
    ),
    "em_not_reported_short": ("ikke rapportert over terskelen", "not reported above the threshold"),
    "em_not_reported_list": (
        "Ikke rapportert over terskelen i {year} ({scope}): {names}. Det betyr ikke null.",
        "Not reported above the threshold in {year} ({scope}): {names}. That does not mean zero.",
    ),
    "em_point_path_title": (
        "Store punktutslipp i {register}, samme anlegg hvert år – {scope}",
        "Large point sources in {register}, the same plants every year – {scope}",
    ),
    "em_register_ets": ("EU ETS", "the EU ETS"),
    "em_register_eprtr": ("E-PRTR", "E-PRTR"),
    "em_base_year": ("Basisår", "Base year"),
    "em_base_year_help": (
        "Stien summerer bare anlegg som har tall både i basisåret og i året som vises, så den ikke hopper når "
        "anlegg kommer til, legges ned eller faller under terskelen. Kvotesystemet ble utvidet i 2013 (ferrolegeringer "
        "og mineralull kom med); fylkets mål er regnet fra 2009.",
        "The path sums only plants with a figure in both the base year and the year shown, so it does not jump when "
        "plants enter, close or drop under the threshold. The ETS widened in 2013 (ferroalloys and mineral wool "
        "joined); the county's target is counted from 2009.",
    ),
    "em_point_path_set": (
        "{n} anlegg med tall både i {baseline} og {year}: {names}. Summen i {baseline}: {baseline_t}. Båndet er "
        "50–55 % under dette settets nivå i {baseline}; fylkets mål er regnet fra 2009, og dette er ikke fylkets "
        "samlede utslipp (det krever kommunestatistikken, under).",
        "{n} plants with a figure in both {baseline} and {year}: {names}. Their sum in {baseline}: {baseline_t}. The "
        "band is 50–55 % below this set's {baseline} level; the county's target is counted from 2009, and this is not "
        "the county's total (that needs the municipal statistics, below).",
    ),
    "em_point_path_left_out": (
        "Utenfor settet ({n} anlegg uten tall i {baseline} eller {year}): {names}.",
        "Left out ({n} plants without a figure in {baseline} or {year}): {names}.",
    ),
    "em_point_path_gaps": (
        "År der ett av anleggene i settet mangler tall, summeres ikke: {years}.",
        "Years where a plant of the set has no figure are not summed: {years}.",
    ),
    "em_point_path_coverage": (
        "Loddrette streker: år da antallet anlegg med tall i registeret endret seg ({changes}). En sum over "
        "«alle som rapporterte» ville hoppet der uten endring på bakken.",
        "Vertical rules: years when the number of plants with a figure in the register changed ({changes}). A sum "
        "over “whatever reported” would jump there without any change on the ground.",
    ),
    "em_coverage_change": ("{year}: {before} → {after}", "{year}: {before} → {after}"),
    "em_coverage_label": ("{after} anlegg med tall (før {before})", "{after} plants with a figure (before {before})"),
    "em_point_path_none": (
        "Ingen anlegg i registeret har {scope} både i {baseline} og {year}: velg et annet basisår.",
        "No plant in the register has {scope} in both {baseline} and {year}: choose another base year.",
    ),
    "em_point_path_same_year": (
        "Basisåret er året som vises: velg et tidligere basisår for å se endringen.",
        "The base year is the year shown: choose an earlier base year to see the change.",
    ),
    "em_point_path_series": ("Samme anlegg", "Same plants"),
    "em_col_facilities": ("Anlegg med tall", "Facilities with a figure"),
    "em_col_vs_baseline": ("Mot {year} (%)", "Against {year} (%)"),
    "field_licence": ("Lisens og kreditering", "Licence and credit"),
    "kpi_scope_year": ("{scope} {year}", "{scope} {year}"),
    "kpi_total_none": ("Sum utslipp (ett omfang, ett år)", "Emissions sum (one scope, one year)"),
    "kpi_facilities": ("{n} anlegg", "{n} facilities"),
    "kpi_one_scope_help": (
        "Summen av de viste kildenes oppgitte tall for ett omfang og ett år (det siste året med tall). Tall uten år, "
        "planlagte tall og andre omfang er ikke med.",
        "The sum of the shown sources' stated figures for one scope and one year (the latest with figures). "
        "Undated figures, planned figures and other scopes are left out.",
    ),
    "basemap_kommunegrenser": ("Kommunegrenser (uten nett)", "Municipal boundaries (offline)"),
    "offline_boundaries_credit": (
        "Kommunegrenser © Kartverket, CC BY 4.0",
        "Municipal boundaries © Kartverket, CC BY 4.0",
    ),
    "portfolio_nearest_year": ("{name} ({tonnes}, {scope} {year})", "{name} ({tonnes}, {scope} {year})"),
    # --- end of issue 12 ---
    # --- issue 21, finding 6: the upload (placeholders, derived fields, the mapping hint, Kart's layer list) ---
    "choose_placeholder": ("Velg …", "Choose …"),
    "upload_pick_column": ("Velg kolonne …", "Choose a column …"),
    "upload_no_default": ("Ingen standardverdi", "No default"),
    "upload_no_label": ("Ingen etikett", "No label"),
    "upload_derived_note": (
        "Id, Kommune og Kommunenummer trenger ingen kolonne: uten en fylles de ut av seg selv, id-en fra lagets "
        "navn og radnummeret, kommunen fra hvor objektet ligger (kommunegrensene appen har med seg). Velg en "
        "kolonne eller skriv en standardverdi for å overstyre.",
        "Id, Municipality and Municipality number need no column: without one they are filled in for you, the id "
        "from the layer's name and the row number, the municipality from where the feature lies (the municipal "
        "boundaries the app comes with). Choose a column or type a default to override.",
    ),
    "upload_derived_help": (
        "Fylles ut fra kartet når du ikke velger en kolonne.",
        "Filled in from the map when you choose no column.",
    ),
    "upload_map_these": (
        "Velg en kolonne eller skriv en standardverdi for: {fields}. Så kontrolleres laget.",
        "Choose a column or type a default for: {fields}. Then the layer is checked.",
    ),
    "upload_visible_to_all": (
        "Når du lagrer, blir laget synlig for alle som bruker denne installasjonen av Industrikart, på "
        "kartene. Det kan skjules eller slettes under «Kartlag».",
        "Once saved, the layer is visible to everyone who uses this installation of Industrikart, on the "
        "maps. It can be hidden or deleted under “Layers”.",
    ),
    "uploaded_layers": ("Opplastede lag", "Uploaded layers"),
    "uploaded_layer_toggle_help": (
        "Skjuler laget bare på ditt kart; for alle skjules det under «Kartlag».",
        "Hides the layer on your map only; for everyone, hide it under “Layers”.",
    ),
    "zoom_to_layer": ("Zoom til laget", "Zoom to layer"),
    # --- end of issue 21, finding 6 ---
    # --- exports (issue 21, finding 5): uploaded layers, the chosen municipality, one-click downloads ---
    "export_legend_uploaded": ("Opplastede kartlag", "Uploaded layers"),
    "export_legend_simplified": ("{title} (forenklet tegnet)", "{title} (drawn simplified)"),
    "export_legend_municipality": ("Valgt kommune: {names}", "Chosen municipality: {names}"),
    "pf_export_file": ("Industrikart portefølje", "Industrikart portfolio"),
    "export_html_left_out": (
        "{title} (for stort for HTML-fila: vist i PNG, PDF og lysbilde)",
        "{title} (too big for the HTML file: shown in PNG, PDF and slide)",
    ),
    "export_key_figure_credit": ("Nøkkeltall: {credit}", "Key figure: {credit}"),
    "export_wait": (
        "Du har laget {n} filer det siste minuttet: vent litt, så kan du laste ned igjen (høyst {n} per {seconds} s).",
        "You have made {n} files in the last minute: wait a moment, then you can download again (at most {n} per "
        "{seconds} s).",
    ),
    "export_one_click_help": (
        "Filen lages når du klikker (kart tar noen sekunder).",
        "The file is made when you click (maps take a few seconds).",
    ),
    # --- end of exports (issue 21) ---
    # --- issue 21, Portefølje: places, actors, sectors, one scope (helper "portfolio") ---
    "pf_kpi_emissions_scope": ("Utslipp i nabolagene ({scope})", "Emissions in the neighbourhoods ({scope})"),
    "pf_row_emissions_scope": ("Sum innenfor ({scope})", "Sum inside ({scope})"),
    "pf_col_emissions_scope": ("Sum innenfor, t ({scope})", "Sum inside, t ({scope})"),
    "pf_emissions_one_scope_help": (
        "Samme regel som nøkkeltallet på Kart: ett omfang og ett år ({scope}) for hele porteføljen, hver kilde med "
        "kjent plassering telt én gang. Kilder uten tall i dette omfanget og året er ikke med; ingen omfang blandes.",
        "The same rule as Kart's key figure: one scope and one year ({scope}) for the whole portfolio, each source "
        "with a known place counted once. Sources without a figure in that scope and year are left out; no scopes "
        "are mixed.",
    ),
    "pf_place_unknown": ("i kommunen, plassering ukjent", "in the municipality, exact place unknown"),
    "pf_row_actors_inside": ("Aktører innenfor (kjent plassering)", "Actors inside (known place)"),
    "pf_row_industry": ("Mulige industripartnere (avstand)", "Possible industrial partners (distance)"),
    "pf_row_supporting": ("Støttende aktører (avstand)", "Supporting members (distance)"),
    "pf_row_unknown_sector": ("Bransje ukjent (avstand)", "Sector unknown (distance)"),
    "pf_row_unplaced": ("I samme kommune, plassering ukjent", "In the same municipality, place unknown"),
    "pf_actors_title": ("Aktører rundt området", "Actors around the site"),
    "pf_actors_caption": (
        "Én rad per aktør: en utslippskilde og klyngemedlemskapene til samme bedrift er én aktør. Bare aktører med "
        "kjent plassering telles innenfor {km}; de som bare er plassert ved kommunesenteret står for seg, uten "
        "avstand. Bransjen står bare der en kilde gir den (se «Grunnlag»); ellers «bransje ukjent».",
        "One row per actor: an emission source and the same company's cluster memberships are one actor. Only "
        "actors with a known place count within {km}; those placed only at the municipal centre are listed apart, "
        "with no distance. A sector is shown only where a source gives it (see “Basis”); else “sector unknown”.",
    ),
    "pf_actors_none": ("Ingen aktører innenfor radius.", "No actors within the radius."),
    "pf_col_actor": ("Aktør", "Actor"),
    "pf_col_roles": ("Roller", "Roles"),
    "pf_col_group": ("Gruppe", "Group"),
    "pf_col_sector_basis": ("Grunnlag for bransje", "Basis of the sector"),
    "pf_col_where": ("Plassering", "Place"),
    "pf_role_source": ("utslippskilde", "emission source"),
    "pf_role_in": ("{role} i {cluster}", "{role} in {cluster}"),
    "pf_group_industry": ("mulig industripartner", "possible industrial partner"),
    "pf_group_supporting": ("støttende aktør", "supporting member"),
    "pf_group_unknown": ("bransje ukjent", "sector unknown"),
    "pf_sector_industry": ("industri", "industry"),
    "pf_sector_finance": ("finans", "finance"),
    "pf_sector_public": ("offentlig", "public body"),
    "pf_sector_grid": ("nett og energi", "grid and energy networks"),
    "pf_sector_research": ("forskning og utdanning", "research and education"),
    "pf_sector_cluster_org": ("klyngeorganisasjon", "cluster organisation"),
    "pf_basis_emission_source": ("samme bedrift som utslippskilden", "the same company as the emission source"),
    "pf_basis_legal_form_municipality": (
        "rettsform i navnet: kommune",
        "legal form in the registered name: municipality",
    ),
    "pf_basis_legal_form_county": (
        "rettsform i navnet: fylkeskommune",
        "legal form in the registered name: county authority",
    ),
    "pf_basis_legal_form_savings_bank": (
        "«sparebank» i navnet: et ord loven forbeholder sparebanker",
        "“sparebank” in the name: a word Norwegian law reserves for savings banks",
    ),
    "pf_basis_reference_facts": ("faktafilen (reference_facts.md)", "the facts file (reference_facts.md)"),
    "pf_col_tie": ("Lik plassering", "Tie"),
    "pf_tie_same_actors": ("delt plass: samme aktører som {others}", "tied: the same actors as {others}"),
    "pf_tie": ("delt plass", "tied"),
    "pf_not_ranked": (
        "ikke rangert: området er plassert ved kommunesenteret",
        "not ranked: the site is placed at its municipal centre",
    ),
    "pf_site_unplaced": (
        "«{name}» er plassert ved kommunesenteret i {municipality}: ingen avstander måles fra det, og aktørene i "
        "kommunen står under «I samme kommune, plassering ukjent».",
        "“{name}” is placed at the municipal centre of {municipality}: no distances are measured from it, and the "
        "municipality's actors are listed under “In the same municipality, place unknown”.",
    ),
    "pf_candidates_none_companies": (
        "Ingen mulig kobling mellom to bedrifter med kjent plassering innenfor radius.",
        "No possible link between two companies with a known place within the radius.",
    ),
    "pf_point_hint": (
        "Klikk i nabolagskartet for å bruke et punkt som sentrum for et nabolag ved siden av områdene.",
        "Click the neighbourhood map to use a point as the centre of a neighbourhood beside the sites.",
    ),
    "pf_point_clear": ("Fjern valgt punkt", "Remove the chosen point"),
    "pf_point_name": ("Valgt punkt ({lat}, {lon})", "Chosen point ({lat}, {lon})"),
    # --- end of issue 21, Portefølje ---
}


# --- Messages from the loaders (errors and notes): bokmål here, English in loaders/messages.py -------------------
# Keys are the messages' codes (loaders.messages.ENGLISH); `error_text` renders them. Technical reasons from
# libraries ({reason} in the English texts: GDAL, JSON, zip) are left out in bokmål: they are English.
_MESSAGES_NB: dict[str, str] = {
    "unit_bytes": "{n} byte",
    "part_feature": "objekt {feature}",
    "none_feature": "filen",
    "part_got": ", fant {got}",
    "part_file": "«{file}», ",
    "part_row": "rad {row}, ",
    "part_header_row": " i overskriftsraden (rad {header_row})",
    "part_layer": " (laget «{layer}»)",
    "part_member": "«{member}» i arkivet",
    "none_member": "filen",
    "what_the_layer": "laget",
    "what_figure_table": "tabellen med utslippstall",
    "what_flow_table": "tabellen med strømmer",
    "what_stored_flows": "et lagret strømlag",
    "what_measure_table": "tabellen med tiltak",
    "what_stored_measure": "et lagret tiltak",
    "part_name": "«{name}»",
    "none_name": "filen",
    "file_empty": "filen er tom",
    "named_file_empty": "«{name}»: filen er tom",
    "no_such_file": "«{name}»: filen finnes ikke",
    "not_utf8": "filen er ikke UTF-8-tekst (byte {byte})",
    "not_utf8_at": "{member_part} er ikke UTF-8-tekst: byte {byte} (linje {line}) er {char}. Lagre den som UTF-8 og "
    "last den opp igjen",
    "not_json": "filen er ikke gyldig JSON (linje {line}, kolonne {column_number})",
    "json_too_deep": "JSON-en i filen er nøstet for dypt til å kunne leses",
    "not_geojson": "JSON-en er ikke GeoJSON: ventet en FeatureCollection med en liste «features»",
    "not_geojson_object": "JSON-en er ikke GeoJSON: ventet et objekt øverst",
    "no_geojson_collection": "JSON-en har ingen GeoJSON FeatureCollection",
    "neither_utf8_nor_cp1252": "«{name}»: filen er verken UTF-8- eller Windows-1252-tekst",
    "read_as_cp1252": "filen er ikke UTF-8; den ble lest som Windows-1252 (slik Excel i Norge lagrer)",
    "lone_surrogates": "noen tekstverdier hadde ødelagte tegn (enslige UTF-16-surrogater); de ble erstattet med �",
    "not_supported": "«{name}» er ikke et format appen leser; den leser {supported}",
    "shapefile_alone": "en Shapefile er flere filer: zip .shp sammen med .shx, .dbf og .prj og last opp zip-filen",
    "xls_old": "gamle Excel-filer (.xls) leses ikke; lagre arket som .xlsx eller .csv",
    "named_xls_old": "«{name}»: gamle Excel-filer (.xls) leses ikke; lagre den som .xlsx eller .csv",
    "wrong_suffix": "«{name}»: ventet en fil av typen {suffixes}",
    "no_layers": "«{name}» har ingen lag med objekter",
    "no_features": "«{name}» har ingen objekter",
    "layer_no_features": "laget «{layer}» har ingen objekter",
    "layer_all_empty": "alle objektene i laget «{layer}» har tom geometri",
    "no_such_layer": "filen har ikke noe lag som heter «{layer}»; lagene er {layers}",
    "needs_layer_choice": "filen har {count} lag ({layers}); velg ett",
    "not_csv_binary": "«{name}»: dette er en binærfil, ikke en CSV-tekstfil",
    "not_csv_excel": "«{name}»: dette er en Excel-arbeidsbok, ikke en CSV-tekstfil",
    "not_csv_zip": "«{name}»: dette er en zip-fil eller Excel-arbeidsbok, ikke en CSV-tekstfil",
    "not_xlsx": "«{name}»: dette er ikke en Excel-arbeidsbok (.xlsx)",
    "unreadable_as": "filen kunne ikke leses som {format}",
    "no_header": "«{name}»: fant ingen overskriftsrad med kolonnene til {what} ({columns}) i de første {rows} radene",
    "what_norskeutslipp": "en eksport fra norskeutslipp.no",
    "what_eea": "en EEA E-PRTR F1_4-fil",
    "what_eutl": "en tabell over kvotepliktige installasjoner (EU ETS, EU Transaction Log)",
    "what_kommunestatistikk": "Miljødirektoratets kommunestatistikk",
    "missing_column": "«{file}»: kolonnen «{field}» mangler{header_row_part}; {what} har kolonnene {columns}",
    "table_no_geometry": "tabellen «{table}» har ingen geometri og ble utelatt",
    "no_prj": "Shapefilen har ingen .prj-fil: koordinatsystemet er ikke oppgitt",
    "crs_link_only": "filens «crs» lenker bare til en definisjon; koordinatene avgjør koordinatsystemet",
    "not_zip": "{name_part} er ikke en lesbar zip-fil",
    "zip_no_member": "zip-filen har ingen fil av typen {suffixes}",
    "label_zip": "zip-filen",
    "label_kmz": "KMZ-filen",
    "label_xlsx": "XLSX-filen",
    "label_member": "«{member}» i zip-filen",
    "archive_unpacks_over": "{label} pakkes ut til mer enn {limit_bytes}, grensen for et arkiv; den ble ikke pakket ut",
    "archive_damaged": "{label} er skadet: «{member}» kunne ikke pakkes ut",
    "archive_unreadable": "{label} er ikke et lesbart zip-arkiv",
    "archive_too_many": "{label} har {count} filer; høyst {limit} godtas i ett arkiv",
    "archive_encrypted": "{label} er passordbeskyttet («{member}»); last den opp ukryptert",
    "zip_bomb": "{label} ser ut som en zip-bombe: «{member}» pakkes ut fra {packed_bytes} til {size_bytes} (mer enn "
    "{ratio} ganger); den ble ikke pakket ut",
    "archive_total_over": "{label} pakkes ut til {size_bytes}, mer enn de {limit_bytes} som godtas for et arkiv; den "
    "ble ikke pakket ut",
    "archive_absolute": "{label} har en fil med absolutt sti («{member}»); den ble ikke pakket ut",
    "archive_climbs": "{label} har en fil med en sti som går ut av arkivet («{member}»); den ble ikke pakket ut",
    "archive_nul": "{label} har en fil med et NUL-tegn i navnet; den ble ikke pakket ut",
    "archive_link": "{label} har en symbolsk lenke («{member}»); den ble ikke pakket ut",
    "zip_nothing_readable": "zip-filen har ingen fil appen leser (en Shapefiles .shp med .shx og .dbf, eller "
    ".geojson, .gpkg, .kml, .csv, .xlsx); den har {listing}",
    "nothing": "ingenting",
    "not_geojson_top": "JSON-en er ikke GeoJSON: ventet et objekt øverst, fant {found}",
    "json_list": "en liste",
    "json_string": "en tekst",
    "json_value": "en enkeltverdi",
    "not_geojson_found": "JSON-en er ikke GeoJSON: ventet en FeatureCollection (eller et objekt med "
    "FeatureCollection-er), fant {found}",
    "json_type_is": "«type» er {type}",
    "json_no_type": "ingen «type» (nøkler: {keys})",
    "collection_no_features": "JSON-en er ikke GeoJSON: FeatureCollection «{name}» har ingen liste «features»",
    "not_gpkg": "{member_part} er ikke en GeoPackage (den er ikke en SQLite-database)",
    "gpkg_no_geometry": "{member_part} har bare tabeller uten geometri",
    "gpkg_not_standard": "{member_part} inneholder {what} «{name}» som GeoPackage-standarden ikke definerer: en slik "
    "fil kan kjøre kode eller bruke ubegrenset minne når den leses, så den avvises. Lagre laget som en vanlig "
    "GeoPackage (i QGIS: Eksporter → Lagre objekter som)",
    "what_gpkg_view": "et utsnitt (view)",
    "what_gpkg_trigger": "en trigger",
    "what_gpkg_virtual_table": "en virtuell tabell",
    "what_gpkg_generated_column": "en generert kolonne i tabellen",
    "read_limits": "lesingen av filen gikk over det én opplasting får bruke ({seconds} s CPU-tid, {memory_bytes} "
    "minne, {wall_seconds} s i alt) og ble stoppet; ingenting er lagret. Er filen ekte, del den opp eller behold bare "
    "området eller feltene du trenger",
    "layer_unreadable": "laget «{layer}» kunne ikke leses",
    "zip_same_names": "zip-filen har to lag som heter «{layer}»; gi ett av dem nytt navn og zip på nytt",
    "shapefile_incomplete": "«{member}» i zip-filen mangler {missing}; en Shapefile trenger .shp, .shx og .dbf sammen",
    "column_several_crs": "kolonnen «{column}» oppgir mer enn ett koordinatsystem ({values}); et lag kan ha bare ett",
    "expected_coordinate": "en koordinat (et tall som 63,4305)",
    "points_from_columns": "punkter fra kolonnene «{x}» (x) og «{y}» (y)",
    "bad_utf16": "filen begynner som UTF-16-tekst, men er ikke det: byte {byte} er skadet. Lagre den som UTF-8 og last "
    "den opp igjen",
    "not_a_table": "filen kunne ikke leses som en tabell",
    "no_coordinate_columns": "fant ingen koordinatkolonner: ventet lat/lon, øst/nord (UTM), east/north eller x/y; "
    "kolonnene er {columns}",
    "not_a_workbook": "filen kunne ikke leses som en Excel-arbeidsbok",
    "no_coordinate_sheet": "fant ikke noe ark med koordinatkolonner: ventet lat/lon, øst/nord (UTM), east/north eller "
    "x/y i en overskriftsrad",
    "upload_too_large": "filen er {size_bytes}; grensen for en opplasting er {limit_bytes}",
    "too_many_features": "laget har {count} objekter; én opplasting kan ha høyst {limit}: del opp filen eller ta med "
    "færre objekter",
    "too_many_vertices": "laget har {count} koordinatpunkter; én opplasting kan ha høyst {limit}: forenkle "
    "geometriene eller del opp filen",
    "too_many_fields": "laget har {count} felt (egenskaper); et lag kan ha høyst {limit}: ta med færre felt",
    "field_expected": "{feature_part}: feltet «{field}» skal være {expected}{got_part}",
    "cell_expected": "{file_part}{row_part}kolonne «{field}»: ventet {expected}{got_part}",
    "expected_feature_type": "«Feature»",
    "expected_object": "et objekt",
    "expected_geometry": "en geometri",
    "expected_geojson_geometry": "en GeoJSON-geometri",
    "expected_non_empty_geometry": "en geometri som ikke er tom",
    "expected_valid_geometry": "en gyldig geometri",
    "expected_lonlat_degrees": "lengde-/breddegrad i grader (EPSG:4326)",
    "expected_one_of": "en av {choices}",
    "expected_column_of": "en kolonne i {what}",
    "expected_non_empty": "utfylt",
    "expected_present": "med og utfylt",
    "expected_text": "tekst",
    "expected_number": "et tall",
    "expected_whole_number": "et heltall",
    "expected_finite_number": "et endelig tall",
    "expected_text_list": "en liste med tekstverdier",
    "expected_tonnes": "et antall tonn, 0 eller mer",
    "expected_unique": "unik i {what}",
    "expected_digits": "{width} sifre, som «{example}»",
    "expected_colour": "en farge som «#3388ff»",
    "expected_a_column": "en kolonne",
    "expected_mapped_column": "koblet til en kolonne i det opplastede laget",
    "expected_kind_field": "et felt i laget av typen {kind}: {fields}",
    "expected_boundary_code": "koblet til en kolonne (eller fylkesnummer) for et grenselag",
    "expected_in_trondelag": "innenfor en kommune i Trøndelag",
    "part_label": " («{label}»)",
    "outside_trondelag": "{feature_part}{label_part} ligger utenfor Trøndelag, så kommunen kan ikke leses av kartet: "
    "velg kolonnen med kommunenummeret, eller skriv et som standardverdi",
    "expected_bundled_source": "id-en til en medfølgende utslippskilde",
    "expected_new_flow_id": "en id ingen registrert strøm har ennå",
    "expected_flow_line": "en LineString fra aktøren som gir til aktøren som mottar",
    "expected_geojson_line": "en GeoJSON LineString",
    "expected_actor_ref": "id-en til en park, utslippskilde eller et klyngemedlem",
    "expected_urls": "én eller flere http(s)-adresser skilt med «;»",
    "expected_other_actor": "en annen aktør enn {other}",
    "expected_empty_with_ref": "tom når {end}_id viser til et objekt i et lag",
    "expected_actor": "en id, eller {end}_name med {end}_lon/{end}_lat for en aktør i fritekst",
    "expected_free_degrees": "en koordinat i grader (EPSG:4326) for en aktør i fritekst",
    "expected_degrees_number": "et antall grader (EPSG:4326)",
    "expected_degrees_between": "grader mellom -{limit} og {limit} (EPSG:4326)",
    "expected_source_year": "et årstall som 2021, eller tomt når kilden ikke oppgir noe",
    "expected_cut_number": "et antall tonn fra 0 til {limit} (tomt når kilden ikke oppgir noe)",
    "expected_cut_scope": "med når kuttet er med: hvilke tonn det gjelder (ets, fossil, total, co2e eller co2)",
    "expected_flag": "sann eller usann (ja/nei)",
    "expected_year_between": "et årstall fra {first} til {last}, eller tomt når kilden ikke oppgir noe",
    "expected_measure_place": "med: et tiltak hører til et område (site_id) eller et anlegg (facility_id)",
    "expected_other_measure": "id-en til et annet tiltak",
    "expected_site_ref": "id-en til en park eller et symbioseområde",
    "expected_facility_ref": "id-en til en utslippskilde",
    "expected_same_measure_id": "tiltakets egen id (en endring beholder den)",
    "expected_one_measure": "ett tiltak",
    "expected_printable_text": "tekst uten kontrolltegn",
    "expected_counted_in_known": "id-en til et tiltak som vises (i datagrunnlaget, lagret eller i samme fil)",
    "expected_counted_in_counted": "id-en til et tiltak som selv telles (ikke regnet med i et tredje)",
    "expected_id_in_bin": "en id ingen tiltak i papirkurven har: gjenopprett det tiltaket, eller velg en annen id",
    "expected_cell_number": "et tall som «313 182,2» (eller «-» for ingen)",
    "expected_cell_year": "et årstall som «2022»",
    "expected_year_range": "et årstall mellom 1900 og 2100",
    "expected_year_column": "en årskolonne med navn som VerifiedEmissions_2023",
    "expected_mass_unit": "en masseenhet: {units}",
    "kind_parks": "park",
    "kind_sources": "utslippskilde",
    "kind_members": "klyngemedlem",
    "kind_boundaries": "grenser",
    "kind_other": "annet",
    "kind_figures": "utslippstall",
    "crs_not_named": "ingen koordinatsystem ble oppgitt",
    "crs_unknown": "koordinatsystemet {name} er ukjent; oppgi det med en EPSG-kode som EPSG:25833",
    "crs_member_not_object": "filens «crs» er ikke et objekt: {member}",
    "crs_member_no_name": "filens «crs» oppgir ikke noe koordinatsystem: {member}",
    "crs_declared_unknown": "filen oppgir koordinatsystemet «{name}», som er ukjent",
    "crs_candidate": "{crs} ({name}{swapped_part})",
    "part_swapped": ", aksene byttet om",
    "crs_wgs84": "WGS 84, lengde-/breddegrad",
    "lands_inside": "i Norge",
    "lands_outside": "utenfor Norge",
    "axes_lonlat": "lengdegrad først, breddegrad etter",
    "axes_latlon": "breddegrad først, lengdegrad etter",
    "axes_easting_first": "øst først, nord etter",
    "axes_northing_first": "nord først, øst etter",
    "reason_degrees": "grader ({axes}): dataene havner {lands}, ved {box}",
    "reason_metres": "meter ({axes}; x {x}, y {y}): i {name} havner dataene ved {box}, {percent} % av dem på eller "
    "nær fastlands-Norge",
    "reason_lat_first": "breddegrad først: dataene havner i Norge, ved {box}",
    "reason_as_written": "slik filen skriver dem: dataene havner ved {box}",
    "where_box": "lengdegrad {lon_min} til {lon_max}, breddegrad {lat_min} til {lat_max}",
    "where_point": "lengdegrad {lon}, breddegrad {lat}",
    "metres_range": "{low} til {high}",
    "fit_not_numbers": "noen koordinater er ikke tall",
    "fit_not_degrees": "x går fra {xmin} til {xmax} og y fra {ymin} til {ymax}, men grader holder seg innenfor ±180 "
    "(lengdegrad) og ±90 (breddegrad)",
    "fit_out_of_range": "de ligger utenfor området der det kan regnes om til lengde-/breddegrad",
    "fit_far": "de ville havnet ved {box}, langt utenfor der {name} brukes",
    "crs_not_lonlat": "filen oppgir koordinatsystemet «{name}»; denne leseren tar lengde-/breddegrad (EPSG:4326)",
    "crs_undeclared_not_lonlat": "koordinatene er ikke lengde-/breddegrad, og filen sier ikke hvilket system de er i",
    "coords_not_numbers": "noen koordinater er ikke tall (NaN eller uendelige)",
    "coords_not_fit": "koordinatene passer ikke med {crs}: {problem}",
    "coords_outside_lonlat": "lest som {crs} havner koordinatene utenfor lengde-/breddegrad",
    "coords_fit_none": "koordinatene (x {xmin} til {xmax}, y {ymin} til {ymax}) passer ikke med noe koordinatsystem: "
    "ikke grader lengde-/breddegrad, og ikke meter i UTM-sone 32, 33 eller 35 eller Web Mercator i nærheten av Norge",
    "crs_declared_misfit": "filen oppgir {crs}, men koordinatene passer ikke med det ({problem}), og heller ikke med "
    "noe annet koordinatsystem",
    "crs_swapped_choice": "filen oppgir {crs}, men lest slik havner dataene ved {where}, utenfor Norge; med bredde- "
    "og lengdegrad byttet om havner de i Norge. Velg hvordan filen skal leses",
    "crs_misfit_choice": "filen oppgir {crs}, men koordinatene passer ikke med det ({problem}). Velg koordinatsystem; "
    "det mest sannsynlige er {top}",
    "crs_choice_several": "filen sier ikke hvilket koordinatsystem den bruker, og koordinatene passer med flere. "
    "Velg ett; det mest sannsynlige er {top}",
    "crs_choice_one": "filen sier ikke hvilket koordinatsystem den bruker, og koordinatene passer med ett som må "
    "bekreftes. Velg ett; det mest sannsynlige er {top}",
    "outside_norway": "laget ligger utenfor Norge, ved {where}",
    "z_dropped": "høyder (z-koordinater) ble fjernet: kartene er flate",
    "collapsed_dropped": "{count} ugyldige geometrier ble til ingenting da de ble reparert: fjernet",
    "mixed_geometry": "blandede geometrityper: {types}",
    "geometry_count": "{count} {type}",
    "many_features": "laget har {count} objekter, mer enn {limit}: kartene kan bli trege å tegne",
    "codes_padded": "«{column}»: {count} kode(r) hadde mistet innledende nuller og ble fylt ut til {width} sifre "
    "({old} → «{new}»)",
    "nul_removed": "NUL-tegn ble fjernet fra {fields} feltnavn og {values} verdier",
    "coords_two_numbers": "ventet to tall (bredde, lengde eller øst, nord), fant {text}",
    "coords_unknown_zone": "ukjent UTM-sone «{zone}»; ventet en av {zones}",
    "coords_neither": "{text} er verken bredde-/lengdegrad i grader eller UTM øst/nord i meter",
    "coords_outside": "{text} havner ved bredde {lat}, lengde {lon}, utenfor Norge; sjekk rekkefølgen",
    "coords_not_number": "{text} er ikke et tall",
    "no_boundary_polygons": "fant ingen kommunepolygoner med «kommunenummer» i filen",
    "no_boundary_layer": "fant ikke noe lag med kommunepolygoner og «kommunenummer» i filen",
    "boundary_geometry": "kommune {number}: geometrien er ikke gyldig GeoJSON",
    "boundary_code": "«kommunenummer» skal være opptil 4 sifre, som «5059»{got_part}",
    "boundaries_download": "kommunegrensene kunne ikke lastes ned fra {url}",
    "boundaries_unusable": "nedlastingen fra {url} er ikke brukbare kommunegrenser: {error}",
    "boundaries_too_large": "nedlastingen er større enn {limit_bytes}; avvist",
    "import_title_norskeutslipp": "Eksport fra norskeutslipp.no: {file}",
    "import_title_eea": "EEA E-PRTR F1_4: {file}",
    "import_title_eutl": "EU ETS verifiserte utslipp: {file}",
    "eutl_repeated_id": "«{name}»: installasjon {id} står to ganger (rad {first} og {row}); hver installasjon skal "
    "ha én rad",
    "import_title_kommunestatistikk": "Miljødirektoratets kommunestatistikk: {file}",
    "summary_rows_read": "Rader lest: {count}",
    "summary_rows_kept": "Rader beholdt: {count}",
    "summary_municipalities": "Kommuner: {count} ({resolved} med kommunenummer, {unresolved} uten kommunenummer)",
    "summary_facilities": "Anlegg: {count} ({matched} koblet til kjente anlegg{rules_part}; {unmatched} ikke koblet "
    "(må plasseres))",
    "part_rules": ": {rules}",
    "summary_rule": "{rule} {count}",
    "rule_inspire_id": "FacilityInspireId",
    "rule_eutl_id": "EUTL-id",
    "rule_anlegg_id": "AnleggId",
    "rule_orgnr": "org.nr.",
    "rule_name": "navn",
    "summary_unmatched": "Ikke koblet: {names}{more_part}",
    "part_more": " og {more} til",
    "summary_skipped": "Rader hoppet over: {count}",
    "summary_notes": "Merknader:",
    "count": "{count}",
    "skip_duplicate": "dublett av en tidligere rad",
    "skip_no_name": "mangler anleggsnavn",
    "skip_no_year_sum": "mangler år (sum- eller fotnoterad)",
    "skip_outside_trondelag": "utenfor Trøndelag",
    "skip_outside_country": "utenfor {country}",
    "skip_aircraft_operator": "luftfartøyoperatør, ikke en installasjon",
    "skip_ets_excluded": "installasjon utenfor Trøndelag som de medfølgende dataene holder utenfor med begrunnelse "
    "(operatøren eller adressen er her, anlegget er ikke)",
    "skip_ets_outside_trondelag": "installasjon utenfor Trøndelag (etter dens egen adresse)",
    "skip_ets_no_verified": "ingen verifiserte utslipp i noe år",
    "skip_ets_after_last_year": "et tall etter kontoens siste utslippsår, uten etterlevelseskode (en plassholder, "
    "ikke et verifisert tall)",
    "skip_no_air": "mangler utslipp til luft",
    "skip_negative": "negativt tall",
    "skip_no_position": "mangler koordinater (kan ikke avgjøre om i Trøndelag)",
    "skip_not_air": "ikke utslipp til luft",
    "skip_confidential_pollutant": "komponent holdt tilbake som konfidensiell",
    "skip_other_pollutant": "annen komponent enn CO2",
    "skip_unknown_pollutant": "en komponent appen ikke har i listen",
    "skip_withheld": "utslipp holdt tilbake som konfidensielt",
    "skip_no_emissions_value": "mangler utslippstall",
    "skip_no_reporting_year": "mangler rapporteringsår",
    "skip_no_municipality": "mangler kommune",
    "skip_not_listed": "ikke en kommune i Trøndelag",
    "skip_no_year": "mangler år",
    "skip_no_value": "mangler tall",
    "note_water_rows": "rader som også har utslipp til vann: {count} (ikke importert: bare luft)",
    "note_eea_cp1252": "fila er ikke UTF-8; lest som Windows-1252",
    "note_confidential_rows": "beholdte rader med konfidensialitetsgrunn: {count} (grunnen står i tallets merknad)",
    "note_co2_small_kg": "CO2-tallene ser små ut for kg (E-PRTR tar bare med CO2 over 100 000 t = 1e8 kg); sjekk om "
    "fila er i tonn og importer med unit='t'",
    "note_co2_large": "CO2-tallene ser store ut for {unit}; sjekk om fila er i kg",
    "flow_id_repeated": "strøm-id {id} er allerede registrert",
    "flows_suffix": "«{name}»: ventet en .csv-, .geojson- eller .json-fil med strømmer",
    "measures_suffix": "«{name}»: ventet en .csv-, .geojson- eller .json-fil med tiltak",
    "measure_id_repeated": "tiltaks-id {id} er lagret to ganger; det eldste vises",
    "not_csv_table": "filen er ikke en lesbar CSV-tabell",
}
_TEXT.update({f"msg_{code}": (nb, ENGLISH[code]) for code, nb in _MESSAGES_NB.items()})
# Streamlit's own widget texts (ui/widget_texts.py) and how a layer's CRS was settled (ui/upload_form.py).
_TEXT.update(
    {
        "uploader_button": ("Last opp fil", "Upload file"),
        "uploader_limit": ("Høyst {mb} MB per fil • {types}", "{mb} MB per file • {types}"),
        "crs_source_declared": ("oppgitt i filen", "declared in the file"),
        "crs_source_chosen": ("valgt", "chosen"),
        "crs_source_inferred": ("utledet fra koordinatene", "inferred from the coordinates"),
        "crs_source_GeoJSON default (RFC 7946)": ("GeoJSONs standard (RFC 7946)", "GeoJSON default (RFC 7946)"),
    }
)
# Issue 21, search and the Utslipp answer table (findings 7 and 8): what a hit is, theme values, singulars.
_TEXT.update(
    {
        "search_hit": ("{label} · {what}", "{label} · {what}"),
        "search_hit_municipalities": ("kommune", "municipality"),
        "search_hit_parks": ("park eller område", "park or site"),
        "search_hit_sources": ("utslippskilde", "emission source"),
        "search_role_member": ("medlem av {cluster}", "member of {cluster}"),
        "search_role_board": ("medlem av {cluster} (styre)", "member of {cluster} (board)"),
        "search_role_project participant": ("prosjektdeltaker i {cluster}", "project participant in {cluster}"),
        "search_role_partner": ("partner i {cluster}", "partner in {cluster}"),
        "search_role_other": ("tilknyttet {cluster}", "related to {cluster}"),
        "search_role_any": ("{cluster} ({role})", "{cluster} ({role})"),
        "search_filter_municipality": ("Vis bare {name} (kommunefilter)", "Show only {name} (municipality filter)"),
        "em_answer_title": ("Utvikling per anlegg siden {base}: {scope}", "Each facility since {base}: {scope}"),
        "em_answer_title_no_base": ("Nyeste tall per anlegg: {scope}", "Newest figure per facility: {scope}"),
        "em_answer_caption": (
            "Hvert anleggs nyeste tall i omfanget, med året. Endringen er regnet bare der anlegget har tall både i "
            "grunnåret {base} og sitt nyeste år; ellers står det «ingen tall». Grunnåret velges under «Store "
            "punktutslipp» lenger ned.",
            "Each facility's newest figure in the scope, with its year. The change is computed only where the "
            "facility has a figure both in the base year {base} and in its newest year; else it says “no figure”. "
            "The base year is chosen under the point-source path further down.",
        ),
        "em_answer_caption_no_base": (
            "Hvert anleggs nyeste tall i omfanget, med året. Omfanget har ingen registertall å regne endring fra.",
            "Each facility's newest figure in the scope, with its year. The scope has no register figures to "
            "compute a change from.",
        ),
        "em_col_newest_t": ("Nyeste tall (t)", "Newest figure (t)"),
        "em_col_newest_year": ("År", "Year"),
        "em_col_base_t": ("Tall {year} (t)", "Figure {year} (t)"),
        "em_col_change_t": ("Endring (t)", "Change (t)"),
        "em_col_change_pct": ("Endring (%)", "Change (%)"),
        "em_col_trend": ("Utvikling", "Trend"),
        "em_col_trend_help": (
            "Anleggets tall i omfanget, år for år (bare år med tall).",
            "The facility's figures in the scope, year by year (years with a figure only).",
        ),
    }
)
# The singular where `n` is 1 (CLDR's "one" for bokmål and English: the integer 1), for texts whose noun changes.
_TEXT_ONE: dict[str, tuple[str, str]] = {
    "kpi_facilities": ("{n} anlegg", "{n} facility"),
    "memberships_here": ("{n} medlemskap her", "{n} membership here"),
    "editor_minutes_n": ("{n} minutt", "{n} minute"),
    "editor_seconds_n": ("{n} sekund", "{n} second"),
    "upload_saved": (
        "Lagret «{title}», versjon {version}, {n} objekt. Det vises nå på kartene (se «Kartlag»).",
        "Saved “{title}”, version {version}, {n} feature. It now shows on the maps (see “Layers”).",
    ),
    "import_saved": ("Lagret «{title}» ({kind}, {n} rad).", "Saved “{title}” ({kind}, {n} row)."),
    "em_duplicates": (
        "{n} tall er satt til side fordi et senere importert tall gjelder samme anlegg, år og omfang.",
        "{n} figure was set aside because a later import gives the same facility, year and scope.",
    ),
    "em_unplaced": (
        "{n} anlegg med tall for {year} har ingen posisjon ennå og står bare i tabellene: {names}.",
        "{n} facility with a figure for {year} has no position yet and appears in the tables only: {names}.",
    ),
    "em_point_path_left_out": (
        "Utenfor settet ({n} anlegg uten tall i {baseline} eller {year}): {names}.",
        "Left out ({n} plant without a figure in {baseline} or {year}): {names}.",
    ),
    "ms_no_start_counted": (
        "{n} tiltak uten oppgitt startår er regnet med fra {target} (kilden oppgir ikke når det virker).",
        "{n} measure without a stated start year is counted from {target} (the source does not say when it acts).",
    ),
}
# Park themes as the bundled data names them (bokmål), in English; a theme not listed is shown as it is.
_THEMES_EN = {
    "havn": "port",
    "havbruk": "aquaculture",
    "biogass": "biogas",
    "biogjødsel": "biofertiliser",
    "overskuddsvarme": "surplus heat",
    "næringsmiddel": "food processing",
    "trefiber": "wood fibre",
    "CO2": "CO₂",
    "industrisymbiose": "industrial symbiosis",
    "grønn industri": "green industry",
    "bioøkonomi": "bioeconomy",
    "kalk": "lime",
    "hydrogen": "hydrogen",
}


def theme_label(theme: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A park theme in `lang`: the data's own word in bokmål, the English one where there is one."""
    return _THEMES_EN.get(theme, theme) if lang == "en" else theme


def search_hit_text(match, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "Elkem Thamshavn · medlem av CCS Midt-Norge": a search hit's name and what it is. `match` is
    analysis.search.Match (read by its fields: layer, label, cluster, role)."""
    if match.layer == "members":
        key = f"search_role_{match.role}"
        what = t(key if key in _TEXT else "search_role_any", lang, cluster=match.cluster, role=match.role)
    else:
        key = f"search_hit_{match.layer}"
        what = t(key, lang) if key in _TEXT else match.layer
    return t("search_hit", lang, label=match.label, what=what)


# Kart's one figure per plant and readable map (issue 21: maps/popups.py, maps/legend.py, ui/record.py).
_TEXT.update(
    {
        "kart_scope_figure": ("{label}: {amount}", "{label}: {amount}"),
        "kart_scope_none": ("ingen tall i {label}", "no figure in {label}"),
        "legend_chosen_area": ("Valgt kommune", "Chosen municipality"),
        "legend_labels": ("Navn fra zoom {zoom}", "Names from zoom {zoom}"),
    }
)


def error_text(message: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """A loader error or note (anything with `code` and `params`) as a sentence in `lang`; other errors as str().

    Duck-typed: i18n knows no loader classes. Codes are keys of loaders/messages.py's ENGLISH table; their
    bokmål is `_MESSAGES_NB`, kept in i18n as `msg_<code>`. Numbers take the language's format.
    """
    code, params = getattr(message, "code", None), getattr(message, "params", None)
    if not isinstance(code, str) or not isinstance(params, dict) or f"msg_{code}" not in _TEXT:
        return str(message)
    index = 1 if lang == "en" else 0

    def template(key: str) -> str | None:
        pair = _TEXT.get(f"msg_{key}")
        return None if pair is None else pair[index]

    return render_message(code, params, template, lambda value, decimals: fmt_number(value, lang, decimals))


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    nb, en = _TEXT_ONE[key] if values.get("n") == 1 and key in _TEXT_ONE else _TEXT[key]
    text = en if lang == "en" else nb
    return text.format(**values) if values else text


def key_figure_label(kpi, lang: str = DEFAULT_LANGUAGE, facilities: bool = False) -> str:
    """ "Fossilt CO₂ 2017" (with " · 4 anlegg" when `facilities`) for the one scope and year a key figure sums;
    the plain label when it sums nothing. `kpi` is analysis.kpi.KeyFigures (read by its fields)."""
    if kpi.scope is None:
        return t("kpi_total_none", lang)
    short = f"scope_short_{kpi.scope}"  # a scope whose full name would not fit a key-figure strip
    scope = t(short if short in _TEXT else f"scope_{kpi.scope}", lang)
    label = t("kpi_scope_year", lang, scope=scope, year=kpi.year)
    return label + " · " + t("kpi_facilities", lang, n=kpi.facilities) if facilities else label


# The register a key figure's scope comes from: its credit line (hand-quoted scopes name their sources per record).
_SCOPE_CREDITS = {"ets": "ets_credit_short", "fossil": "eea_credit_short", "total": "eea_credit_short"}


def key_figure_source(kpi, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The credit of the register the key figure sums ("EU Transaction Log …" for the ETS), or None."""
    key = _SCOPE_CREDITS.get(kpi.scope or "")
    return t(key, lang) if key else None


def fmt_number(value: float | int | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """12 466 and 1,2 in Norwegian; 12,466 and 1.2 in English. None or NaN gives the "no figure" text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("no_figure", lang)
    text = f"{value:,.{decimals}f}"  # 12,466.5
    if lang == "en":
        return text
    # Norwegian: no-break space between thousands, decimal comma.
    return text.replace(",", "\u00a0").replace(".", ",")


def fmt_tonnes(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Whole tonnes; below 10 t three significant digits (a register's 0,000022 t of a PAH is not 0 t)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("no_figure", lang)
    decimals = 0 if value == 0 or abs(value) >= 10 else min(12, 2 - math.floor(math.log10(abs(value))))
    return f"{fmt_number(value, lang, decimals)}\u00a0t"


# A register's number as its file prints it, then a unit of mass and whatever the register adds after it.
_MACHINE_QUOTE = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*((?:kg|mg|g|t|tonn|tonnes)\b.*?)\s*$")


def fmt_quote(quote: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """A source's quote as text; one that starts with a register's machine number and its unit ("213000000.0 kg",
    as the EEA's file prints it; "188766 t CO₂-ekv. (…)") has the number formatted for the language, the unit
    and the rest kept ("213 000 000 kg"). Other quotes are the source's own words and stay as they are;
    None and NaN give ""."""
    if quote is None or (isinstance(quote, float) and math.isnan(quote)):
        return ""
    text = str(quote)
    match = _MACHINE_QUOTE.match(text)
    if not match:
        return text
    value = float(match.group(1))
    fraction = f"{abs(value):.12f}".rstrip("0").split(".")[1]
    return f"{fmt_number(value, lang, len(fraction))}\u00a0{match.group(2)}"


def fmt_year_range(years: list[int], unknown: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """'år 2019–2022', plus how many figures have no year."""
    parts = []
    if years:
        low, high = min(years), max(years)
        parts.append(t("years", lang, years=str(low) if low == high else f"{low}–{high}"))
    if unknown:
        parts.append(f"{unknown}× {t('year_unknown', lang)}" if years else t("year_unknown", lang))
    return "; ".join(parts)


OSLO = ZoneInfo("Europe/Oslo")


def fmt_time(moment: datetime) -> str:
    """2026-12-01 12:05 in Norwegian time (Europe/Oslo, summer time included); a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(OSLO):%Y-%m-%d %H:%M}"


def fmt_date(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """25.11.2026 in Norwegian; 25 November 2026 in English (month names in English only)."""
    if lang == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
