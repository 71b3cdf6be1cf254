"""Reading files. `read.py` is the one dispatch from an upload's name and content to its reader; one module per
format family: `geojson.py`, `ogr.py` (what GDAL reads: GeoPackage, KML/KMZ, Shapefile), `archive.py` (zips),
`tables.py` (CSV layout, workbooks, tables of expected columns), `points.py` (point layers from CSV/XLSX); `raw.py`
what every upload reader returns, `text.py` the one decoder; and `layers.py` (the app's own checked layers), `crs.py`,
`numbers.py`, `coordinates.py`, `sandbox.py` (GDAL in a limited worker).
"""
