"""Uploading through the Last opp page under AppTest, and a Geonorge-style county file made from ../shared."""

from __future__ import annotations

import json

import geopandas as gpd

from tests.helpers.apptest import app


def generated_geonorge_fylke(shared_geodata) -> bytes:
    """Geonorge's layout: one object wrapping a UTM33 county FeatureCollection (legacy crs member) and its border."""
    county = gpd.read_file(shared_geodata / "trondelag_fylke.geojson").to_crs(25833)
    fylke = json.loads(county.to_json())
    fylke["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
    grense = json.loads(county.boundary.to_frame("geometry").to_json())
    return json.dumps({"Fylke": fylke, "Grense": grense}).encode("utf-8")


def upload(data: bytes, filename: str, **choices):
    at = app("pages/3_Last_opp.py").run()
    at.get("file_uploader")[0].set_value((filename, data, "application/octet-stream")).run()
    for key, value in choices.items():
        widget = next(w for kind in ("selectbox", "radio") for w in getattr(at, kind) if w.key == key)
        widget.set_value(value).run()
    return at
