"""The bundled portfolio in geodata/ and the layers around it: resource flows and municipality boundaries."""
