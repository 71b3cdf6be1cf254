"""Upload preparation: inspect a file, map its fields to a layer kind, check it, save it."""
