"""Reading files: formats and their one dispatch table, archives, CRSs, coordinates, numbers, tables, GeoJSON."""
