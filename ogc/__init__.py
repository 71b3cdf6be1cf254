"""OGC API – Features, read-only, for QGIS and other GIS clients: the bundled layers and every visible stored layer,
served by pygeoapi (`python -m ogc`; README "Open in QGIS (OGC API – Features)").

Inside the package imports go one way: providers, bundled, stored <- service <- __main__.
"""
