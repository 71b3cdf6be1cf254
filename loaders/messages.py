"""What the loaders tell a person, as a stable code and plain parameters; English templates in one table.

Every error the loaders raise (loaders/errors.py) and every note they return (upload warnings, importer notes,
field-mapping notes, CRS choices, import titles) carries `code` and `params`. `i18n.error_text(message, lang)`
renders them in bokmål or English on the pages; `str()` gives the English sentence for logs and the command
line, from `ENGLISH` below: the one home of each English text (i18n reuses it for "en", and holds the bokmål).

`render` puts a message together from templates, so both languages compose the same way:
- a template is `ENGLISH[code]` (or its bokmål twin), filled with the formatted params;
- `{expected}`, `{what}`, `{kind}`: the value names a sub-template `expected_<value>` (`what_…`, `kind_…`),
  filled with the same params (for `what` and `kind` only where such a template exists);
- `{<name>_part}`: for a param `<name>`, the template `part_<name>` when the value is given, else `none_<name>`
  (or nothing): optional pieces such as "feature 3" / "the file", ", got 'x'", "row 12, ";
- a param that is itself a message (has `code` and `params`) is rendered in the same language;
- numbers go through the language's number format (except years, rows, lines and other ordinals),
  `*_bytes` as sizes (12 KB, 1.5 MB), lists and tuples joined by ", ".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

# Params that are ordinals or identifiers, shown as plain digits in every language.
_PLAIN_NUMBERS = frozenset({"feature", "row", "line", "column_number", "byte", "year", "header_row", "zone", "epsg"})
_GOT_LIMIT = 60
# Params whose value names a sub-template `<param>_<value>` (filled with the same params) where one exists.
_NAMED = ("what", "kind", "expected")

ENGLISH: dict[str, str] = {
    # --- optional pieces and expectations (sub-templates) ---------------------------------------
    "unit_bytes": "{n} bytes",
    "part_feature": "feature {feature}",
    "none_feature": "the file",
    "part_got": ", got {got}",
    "part_file": "'{file}', ",
    "part_row": "row {row}, ",
    "part_header_row": " in the header (row {header_row})",
    "part_layer": " (layer '{layer}')",
    "part_member": "'{member}' in the archive",
    "none_member": "the file",
    "what_the_layer": "the layer",
    "what_figure_table": "the figure table",
    "what_flow_table": "the flow table",
    "what_stored_flows": "a stored flow layer",
    "what_measure_table": "the measure table",
    "what_stored_measure": "a stored measure",
    "part_name": "'{name}'",
    "none_name": "the file",
    # --- files: emptiness, encodings, JSON --------------------------------------------------------
    "file_empty": "the file is empty",
    "named_file_empty": "'{name}': the file is empty",
    "no_such_file": "'{name}': no such file",
    "not_utf8": "the file is not UTF-8 text (byte {byte})",
    "not_utf8_at": "{member_part} is not UTF-8 text: byte {byte} (line {line}) is {char}. Save it as UTF-8 and upload "
    "it again",
    "not_json": "the file is not valid JSON (line {line}, column {column_number}: {reason})",
    "json_too_deep": "the file's JSON is nested too deeply to read",
    "not_geojson": "the JSON is not GeoJSON: expected a FeatureCollection with a 'features' list",
    "not_geojson_object": "the JSON is not GeoJSON: expected an object at the top",
    "no_geojson_collection": "the JSON holds no GeoJSON FeatureCollection",
    "neither_utf8_nor_cp1252": "'{name}': the file is neither UTF-8 nor Windows-1252 text",
    "read_as_cp1252": "the file is not UTF-8; it was read as Windows-1252 (what Excel in Norway writes)",
    "lone_surrogates": "{count} text value(s) held broken characters (lone UTF-16 surrogates); they were replaced "
    "with �",
    # --- formats ----------------------------------------------------------------------------------
    "not_supported": "'{name}' is not a format this app reads; it reads {supported}",
    "shapefile_alone": "a Shapefile is several files: zip the .shp together with its .shx, .dbf and .prj and upload "
    "the zip",
    "xls_old": "old Excel .xls files are not read; save the sheet as .xlsx or .csv",
    "named_xls_old": "'{name}': old Excel .xls files are not read; save it as .xlsx or .csv",
    "wrong_suffix": "'{name}': expected a {suffixes} file",
    "no_layers": "'{name}' holds no layers with features",
    "no_features": "'{name}' holds no features",
    "layer_no_features": "the layer '{layer}' holds no features",
    "layer_all_empty": "every feature of the layer '{layer}' has an empty geometry",
    "no_such_layer": "the file has no layer named '{layer}'; its layers are {layers}",
    "needs_layer_choice": "the file holds {count} layers ({layers}); choose one",
    "not_csv_binary": "'{name}': this is a binary file, not a CSV text file",
    "not_csv_excel": "'{name}': this is an Excel workbook, not a CSV text file",
    "not_csv_zip": "'{name}': this is a zip file or Excel workbook, not a CSV text file",
    "not_xlsx": "'{name}': this is not an Excel workbook (.xlsx) ({reason})",
    "unreadable_as": "the file could not be read as {format}: {reason}",
    "no_header": "'{name}': found no header row with the columns of {what} ({columns}) in the first {rows} rows",
    "what_norskeutslipp": "a norskeutslipp.no export",
    "what_eea": "an EEA E-PRTR F1_4 file",
    "what_eutl": "an EU ETS installations table (EU Transaction Log)",
    "what_kommunestatistikk": "Miljødirektoratet's municipal statistics",
    "missing_column": "'{file}': the column '{field}' is missing{header_row_part}; {what} has the columns {columns}",
    "table_no_geometry": "the table '{table}' has no geometry and was left out",
    "no_prj": "the Shapefile has no .prj file: its coordinate system is not declared",
    "crs_link_only": "the file's 'crs' member only links to a definition; the coordinates decide the CRS",
    # --- archives ---------------------------------------------------------------------------------
    "not_zip": "{name_part} is not a readable zip file",
    "zip_no_member": "the zip file holds no {suffixes} file",
    "label_zip": "the zip file",
    "label_kmz": "the KMZ file",
    "label_xlsx": "the XLSX file",
    "label_member": "'{member}' in the zip",
    "archive_unpacks_over": "{label} unpacks to more than {limit_bytes}, the limit for an archive; it was not unpacked",
    "archive_damaged": "{label} is damaged: '{member}' could not be unpacked ({reason})",
    "archive_unreadable": "{label} is not a readable zip archive ({reason})",
    "archive_too_many": "{label} holds {count} files; at most {limit} are accepted in one archive",
    "archive_encrypted": "{label} is password-protected ('{member}'); upload it unencrypted",
    "zip_bomb": "{label} looks like a zip bomb: '{member}' unpacks from {packed_bytes} to {size_bytes} (more than "
    "{ratio} times); it was not unpacked",
    "archive_total_over": "{label} unpacks to {size_bytes}, more than the {limit_bytes} accepted for an archive; it "
    "was "
    "not unpacked",
    "archive_absolute": "{label} holds a file with an absolute path ('{member}'); it was not unpacked",
    "archive_climbs": "{label} holds a file whose path climbs out of the archive ('{member}'); it was not unpacked",
    "archive_nul": "{label} holds a file with a NUL byte in its name; it was not unpacked",
    "archive_link": "{label} holds a symbolic link ('{member}'); it was not unpacked",
    "zip_nothing_readable": "the zip holds no file this app reads (a Shapefile's .shp with its .shx and .dbf, or "
    ".geojson, .gpkg, .kml, .csv, .xlsx); it holds {listing}",
    "nothing": "nothing",
    "not_geojson_top": "the JSON is not GeoJSON: expected an object at the top, found {found}",
    "json_list": "a list",
    "json_string": "a string",
    "json_value": "a single value",
    "not_geojson_found": "the JSON is not GeoJSON: expected a FeatureCollection (or an object of FeatureCollections), "
    "found {found}",
    "json_type_is": "'type' is {type}",
    "json_no_type": "no 'type' member (keys: {keys})",
    "collection_no_features": "the JSON is not GeoJSON: the FeatureCollection '{name}' has no 'features' list",
    "not_gpkg": "{member_part} is not a GeoPackage (it is not an SQLite database)",
    "gpkg_no_geometry": "{member_part} holds only tables without geometry",
    "gpkg_not_standard": "{member_part} holds {what} '{name}' that the GeoPackage standard does not define: such a "
    "file can run code or take any amount of memory when it is read, so it is refused. Save the layer as a plain "
    "GeoPackage (in QGIS: Export → Save Features As)",
    "what_gpkg_view": "a view",
    "what_gpkg_trigger": "a trigger",
    "what_gpkg_virtual_table": "a virtual table",
    "what_gpkg_generated_column": "a generated column in the table",
    "read_limits": "reading the file went past what one upload may use ({seconds} s of CPU, {memory_bytes} of "
    "memory, {wall_seconds} s in all) and was stopped; nothing is stored. If the file is real, split it or keep "
    "only the area or the fields you need",
    "layer_unreadable": "the layer '{layer}' could not be read: {reason}",
    "zip_same_names": "the zip holds two layers named '{layer}'; rename one and zip again",
    "shapefile_incomplete": "'{member}' in the zip lacks its {missing}; a Shapefile needs its .shp, .shx and .dbf "
    "files together",
    "column_several_crs": "the column '{column}' names more than one coordinate system ({values}); a layer needs one",
    "expected_coordinate": "a coordinate (a number such as 63,4305)",
    "points_from_columns": "points from the columns '{x}' (x) and '{y}' (y)",
    "bad_utf16": "the file starts like UTF-16 text but is not: byte {byte} is damaged ({reason}). Save it as UTF-8 "
    "and upload it again",
    "not_a_table": "the file could not be read as a table: {reason}",
    "no_coordinate_columns": "found no coordinate columns: expected lat/lon, øst/nord (UTM), east/north or x/y; the "
    "columns are {columns}",
    "not_a_workbook": "the file could not be read as an Excel workbook: {reason}",
    "no_coordinate_sheet": "found no sheet with coordinate columns: expected lat/lon, øst/nord (UTM), east/north or "
    "x/y "
    "in a header row",
    # --- size caps --------------------------------------------------------------------------------
    "upload_too_large": "the file is {size_bytes}; the limit for an upload is {limit_bytes}",
    "too_many_features": "the layer has {count} features; one upload may hold at most {limit}: split the file or "
    "leave features out",
    "too_many_vertices": "the layer has {count} vertices (coordinate points); one upload may hold at most {limit}: "
    "simplify the geometries or split the file",
    "too_many_fields": "the layer has {count} fields (properties); a layer may have at most {limit}: leave fields out",
    # --- schema: one feature or row breaks the layer's rules --------------------------------------
    "field_expected": "{feature_part}: field '{field}' must be {expected}{got_part}",
    "cell_expected": "{file_part}{row_part}column '{field}': expected {expected}{got_part}",
    "expected_feature_type": "'Feature'",
    "expected_object": "an object",
    "expected_geometry": "a geometry",
    "expected_geojson_geometry": "a GeoJSON geometry",
    "expected_non_empty_geometry": "a non-empty geometry",
    "expected_valid_geometry": "a valid geometry",
    "expected_lonlat_degrees": "longitude/latitude in degrees (EPSG:4326)",
    "expected_one_of": "one of {choices}",
    "expected_column_of": "a column of {what}",
    "expected_non_empty": "non-empty",
    "expected_present": "present and non-empty",
    "expected_text": "text",
    "expected_number": "a number",
    "expected_whole_number": "a whole number",
    "expected_finite_number": "a finite number",
    "expected_text_list": "a list of text values",
    "expected_tonnes": "a number of tonnes, 0 or more",
    "expected_unique": "unique within {what}",
    "expected_digits": '{width} digits such as "{example}"',
    "expected_colour": 'a colour such as "#3388ff"',
    "expected_a_column": "a column",
    "expected_mapped_column": "mapped to a column of the uploaded layer",
    "expected_kind_field": "a field of the {kind} layer: {fields}",
    "expected_boundary_code": "mapped to a column (or fylkesnummer) for a boundaries layer",
    "expected_in_trondelag": "inside a Trøndelag municipality",
    "part_label": " ('{label}')",
    "outside_trondelag": "{feature_part}{label_part} lies outside Trøndelag, so its municipality cannot be read from "
    "the map: choose the column that holds its municipality number, or type one as the default",
    "expected_bundled_source": "the id of a bundled emission source",
    "expected_new_flow_id": "an id no recorded flow has yet",
    "expected_flow_line": "a LineString from the giving to the receiving actor",
    "expected_geojson_line": "a GeoJSON LineString",
    "expected_actor_ref": "the id of a park, emission source or cluster member",
    "expected_urls": "one or more http(s) addresses separated by ';'",
    "expected_other_actor": "a different actor than {other}",
    "expected_empty_with_ref": "empty when {end}_id refers to a layer feature",
    "expected_actor": "an id, or {end}_name with {end}_lon/{end}_lat for a free-text actor",
    "expected_free_degrees": "a coordinate in degrees (EPSG:4326) for a free-text actor",
    "expected_degrees_number": "a number of degrees (EPSG:4326)",
    "expected_degrees_between": "degrees between -{limit} and {limit} (EPSG:4326)",
    "expected_source_year": "a year such as 2021, or empty when the source states none",
    "expected_cut_number": "a number of tonnes from 0 to {limit} (empty when the source gives none)",
    "expected_cut_scope": "given where the cut is: the scope of the tonnes (ets, fossil, total, co2e or co2)",
    "expected_flag": "true or false (ja/nei)",
    "expected_year_between": "a year from {first} to {last}, or empty when the source states none",
    "expected_measure_place": "given: a measure belongs to a site (site_id) or a facility (facility_id)",
    "expected_other_measure": "the id of another measure",
    "expected_site_ref": "the id of a park or symbiosis site",
    "expected_facility_ref": "the id of an emission source",
    "expected_same_measure_id": "the measure's own id (a change keeps it)",
    "expected_one_measure": "one measure",
    "expected_printable_text": "text without control characters",
    "expected_counted_in_known": "the id of a measure that is shown (bundled, stored, or in the same file)",
    "expected_counted_in_counted": "the id of a measure that is itself counted (not counted in a third one)",
    "expected_id_in_bin": "an id no measure in the bin has: restore that measure, or choose another id",
    "expected_cell_number": 'a number such as "313 182,2" (or "-" for none)',
    "expected_cell_year": 'a year such as "2022"',
    "expected_year_range": "a year between 1900 and 2100",
    "expected_year_column": "a year column named like VerifiedEmissions_2023",
    "expected_mass_unit": "a unit of mass: {units}",
    "kind_parks": "park",
    "kind_sources": "emission source",
    "kind_members": "cluster member",
    "kind_boundaries": "boundaries",
    "kind_other": "other",
    "kind_figures": "figure",
    # --- coordinate reference systems -------------------------------------------------------------
    "crs_not_named": "no coordinate system was named",
    "crs_unknown": "the coordinate system {name} is not known; name it by an EPSG code such as EPSG:25833",
    "crs_member_not_object": "the file's 'crs' member is not an object: {member}",
    "crs_member_no_name": "the file's 'crs' member names no coordinate system: {member}",
    "crs_declared_unknown": "the file declares the coordinate system '{name}', which is not known",
    "crs_candidate": "{crs} ({name}{swapped_part})",
    "part_swapped": ", axes swapped",
    "crs_wgs84": "WGS 84, longitude/latitude",
    "lands_inside": "inside Norway",
    "lands_outside": "outside Norway",
    "axes_lonlat": "longitude first, latitude second",
    "axes_latlon": "latitude first, longitude second",
    "axes_easting_first": "easting first, northing second",
    "axes_northing_first": "northing first, easting second",
    "reason_degrees": "degrees ({axes}): the data lands {lands}, at {box}",
    "reason_metres": "metres ({axes}; x {x}, y {y}): in {name} the data lands at {box}, {percent}% of it on or near "
    "mainland Norway",
    "reason_lat_first": "latitude first: the data lands in Norway, at {box}",
    "reason_as_written": "as the file writes it: the data lands at {box}",
    "where_box": "longitude {lon_min} to {lon_max}, latitude {lat_min} to {lat_max}",
    "where_point": "longitude {lon}, latitude {lat}",
    "metres_range": "{low} to {high}",
    "fit_not_numbers": "some coordinates are not numbers",
    "fit_not_degrees": "x runs {xmin} to {xmax} and y {ymin} to {ymax}, but degrees stay within ±180 (longitude) and "
    "±90 (latitude)",
    "fit_out_of_range": "they are outside the range where it turns into longitude/latitude",
    "fit_far": "they would land at {box}, far outside where {name} is used ({area})",
    "crs_not_lonlat": "the file declares the coordinate system '{name}'; this reader takes longitude/latitude "
    "(EPSG:4326)",
    "crs_undeclared_not_lonlat": "the coordinates are not longitude/latitude and the file does not say which system "
    "they are",
    "coords_not_numbers": "some coordinates are not numbers (NaN or infinite)",
    "coords_not_fit": "the coordinates do not fit {crs}: {problem}",
    "coords_outside_lonlat": "read as {crs} the coordinates fall outside longitude/latitude",
    "coords_fit_none": "the coordinates (x {xmin} to {xmax}, y {ymin} to {ymax}) fit no coordinate system: not degrees "
    "of longitude/latitude, and not metres of UTM zones 32, 33 or 35 or Web Mercator anywhere near Norway",
    "crs_declared_misfit": "the file declares {crs}, but its coordinates do not fit it ({problem}), nor any other "
    "coordinate system",
    "crs_swapped_choice": "the file declares {crs}, but read that way the data lands at {where}, outside Norway; with "
    "latitude and longitude swapped it lands in Norway. Choose how to read it",
    "crs_misfit_choice": "the file declares {crs}, but its coordinates do not fit it ({problem}). Choose the "
    "coordinate "
    "system; the most plausible is {top}",
    "crs_choice_several": "the file does not say which coordinate system it uses, and its coordinates fit several. "
    "Choose one; the most plausible is {top}",
    "crs_choice_one": "the file does not say which coordinate system it uses, and its coordinates fit one that must be "
    "confirmed. Choose one; the most plausible is {top}",
    # --- upload notes -----------------------------------------------------------------------------
    "outside_norway": "the layer lies outside Norway, at {where}",
    "z_dropped": "heights (z coordinates) were dropped: the maps are flat",
    "collapsed_dropped": "{count} invalid geometries collapsed to nothing when repaired: dropped",
    "mixed_geometry": "mixed geometry types: {types}",
    "geometry_count": "{count} {type}",
    "many_features": "the layer has {count} features, more than {limit}: maps may be slow to draw",
    "codes_padded": "'{column}': {count} code(s) had lost their leading zeros and were padded to {width} digits "
    '({old} → "{new}")',
    "nul_removed": "NUL characters were removed from {fields} field names and {values} values",
    # --- typed coordinates ------------------------------------------------------------------------
    "coords_two_numbers": "expected two numbers (lat, lon or east, north), got {text}",
    "coords_unknown_zone": "unknown UTM zone '{zone}'; expected one of {zones}",
    "coords_neither": "{text} is neither latitude/longitude in degrees nor UTM east/north in metres",
    "coords_outside": "{text} lands at lat {lat}, lon {lon}, outside Norway; check the order",
    "coords_not_number": "{text} is not a number",
    # --- boundaries -------------------------------------------------------------------------------
    "no_boundary_polygons": "no municipality polygons with a 'kommunenummer' were found in the file",
    "no_boundary_layer": "no layer with municipality polygons and a 'kommunenummer' was found in the file",
    "boundary_geometry": "municipality {number}: the geometry is not valid GeoJSON ({reason})",
    "boundary_code": "'kommunenummer' must be up to 4 digits such as \"5059\"{got_part}",
    "boundaries_download": "the boundaries could not be downloaded from {url}: {reason}",
    "boundaries_unusable": "the download from {url} is not usable boundaries: {error}",
    "boundaries_too_large": "the download is larger than {limit_bytes}; refused",
    # --- official imports: titles, summary lines, skip reasons, notes -----------------------------
    "import_title_norskeutslipp": "norskeutslipp.no export: {file}",
    "import_title_eea": "EEA E-PRTR F1_4: {file}",
    "import_title_eutl": "EU ETS verified emissions: {file}",
    "eutl_repeated_id": "'{name}': installation {id} appears twice (rows {first} and {row}); each installation has "
    "one row",
    "import_title_kommunestatistikk": "Miljødirektoratet municipal statistics: {file}",
    "summary_rows_read": "Rows read: {count}",
    "summary_rows_kept": "Rows kept: {count}",
    "summary_municipalities": "Municipalities: {count} ({resolved} with a kommunenummer, {unresolved} without a "
    "kommunenummer)",
    "summary_facilities": "Facilities: {count} ({matched} matched to known facilities{rules_part}; {unmatched} "
    "unmatched (to be placed))",
    "part_rules": ": {rules}",
    "summary_rule": "{rule} {count}",
    "rule_inspire_id": "FacilityInspireId",
    "rule_eutl_id": "EUTL id",
    "rule_anlegg_id": "AnleggId",
    "rule_orgnr": "Org.nr.",
    "rule_name": "name",
    "summary_unmatched": "Unmatched: {names}{more_part}",
    "part_more": " and {more} more",
    "summary_skipped": "Rows skipped: {count}",
    "summary_notes": "Notes:",
    "count": "{count}",
    "skip_duplicate": "duplicate of an earlier row (same facility, year and component)",
    "skip_no_name": "no facility name",
    "skip_no_year_sum": "no year (a sum or footnote row)",
    "skip_outside_trondelag": "outside Trøndelag",
    "skip_outside_country": "outside {country}",
    "skip_aircraft_operator": "aircraft operator, not an installation",
    "skip_ets_excluded": "installation outside Trøndelag that the bundled data lists with its reason (its operator "
    "or address is here, the plant is not)",
    "skip_ets_outside_trondelag": "installation outside Trøndelag (its own address)",
    "skip_ets_no_verified": "no verified emissions in any year",
    "skip_ets_after_last_year": "a figure after the account's last year of emissions, without a compliance code "
    "(a placeholder, not a verified figure)",
    "skip_no_air": "no release to air given",
    "skip_negative": "negative amount",
    "skip_no_position": "no coordinates (cannot tell whether it is in Trøndelag)",
    "skip_not_air": "not a release to air",
    "skip_confidential_pollutant": "pollutant withheld as confidential",
    "skip_other_pollutant": "other pollutant than CO2",
    "skip_unknown_pollutant": "a pollutant the app does not list",
    "skip_withheld": "emissions withheld as confidential",
    "skip_no_emissions_value": "no emissions value",
    "skip_no_reporting_year": "no reporting year",
    "skip_no_municipality": "no municipality",
    "skip_not_listed": "not a Trøndelag municipality",
    "skip_no_year": "no year",
    "skip_no_value": "no value",
    "note_water_rows": "rows that also give a release to water: {count} (not imported: air only)",
    "note_eea_cp1252": "the file is not UTF-8; read as Windows-1252",
    "note_confidential_rows": "kept rows with a confidentiality reason: {count} (the reason is in the figure note)",
    "note_co2_small_kg": "the CO2 values look small for kg (E-PRTR lists CO2 only above 100 000 t = 1e8 kg); check "
    "whether the file is in tonnes and import with unit='t'",
    "note_co2_large": "the CO2 values look large for {unit}; check whether the file is in kg",
    # --- flows ------------------------------------------------------------------------------------
    "flow_id_repeated": "flow id {id} is already recorded",
    "flows_suffix": "'{name}': expected a .csv, .geojson or .json file of flows",
    "measures_suffix": "'{name}': expected a .csv, .geojson or .json file of measures",
    "measure_id_repeated": "measure id {id} is stored twice; the older is shown",
    "not_csv_table": "the file is not a readable CSV table ({reason})",
}


class Message:
    """A user-visible message from the loaders: `code` (a key of ENGLISH) and plain `params`. str() is English."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return english(self.code, self.params)

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        """Equal to the same code and params, and to its own English sentence (a message is that sentence)."""
        if isinstance(other, Message):
            return (self.code, self.params) == (other.code, other.params)
        return isinstance(other, str) and str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other: object) -> bool:
        return str(self) < str(other)


Template = Callable[[str], "str | None"]  # key -> template, or None where the language has none
Number = Callable[[float, int], str]  # (value, decimals) -> text


def render(code: str, params: Mapping[str, object], template: Template, number: Number) -> str:
    """The message `code` with `params`, from `template` (one language's table) and its number format."""
    values = {name: _format(name, value, template, number) for name, value in params.items()}
    for name, value in params.items():
        piece = template(f"part_{name}" if value is not None else f"none_{name}")
        values[f"{name}_part"] = piece.format(**values) if piece else ""
    for name in _NAMED:
        value = params.get(name)
        if isinstance(value, str) and (name == "expected" or template(f"{name}_{value}") is not None):
            values[name] = _fill(template, f"{name}_{value}", values)
    return _fill(template, code, values)


def _fill(template: Template, key: str, values: dict) -> str:
    text = template(key)
    if text is None:
        raise KeyError(f"no text for message {key!r}")
    return text.format_map(_Blank(values))


class _Blank(dict):
    """Placeholders a message does not fill stay empty rather than raising."""

    def __missing__(self, key: str) -> str:
        return ""


def _format(name: str, value: object, template: Template, number: Number) -> str:
    if value is None:
        return ""
    if hasattr(value, "code") and hasattr(value, "params"):
        return render(value.code, value.params, template, number)
    if isinstance(value, bool):
        return str(value)
    if name.endswith("_bytes") and isinstance(value, int):
        return _size(value, template, number)
    if name == "got":
        text = repr(value)
        return text if len(text) <= _GOT_LIMIT else text[: _GOT_LIMIT - 1] + "…"
    if isinstance(value, int):
        return str(value) if name in _PLAIN_NUMBERS else number(value, 0)
    if isinstance(value, float):
        if name.startswith(("lon", "lat")):
            return number(value, 4 if name in ("lat", "lon") else 2)
        return number(value, 0 if abs(value) >= 100 or value.is_integer() else 1)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_format(name, item, template, number) for item in value)
    return str(value)


def _size(size: int, template: Template, number: Number) -> str:
    """200 MB, 1.5 MB, 12 KB, 900 bytes: sizes in the units a person reads (1 MB = 1024 KB)."""
    if size < 1024:
        return _fill(template, "unit_bytes", {"n": str(size)})
    if size < 1024 * 1024:
        return f"{number(size / 1024, 0)} KB"
    mb = size / (1024 * 1024)
    return f"{number(mb, 1)} MB" if mb < 10 else f"{number(mb, 0)} MB"


def _number_en(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def english(code: str, params: Mapping[str, object]) -> str:
    """The English sentence of a message: what str() of every loader error and note gives (unknown codes: the code)."""
    if code not in ENGLISH:
        return code
    return render(code, params, ENGLISH.get, _number_en)
