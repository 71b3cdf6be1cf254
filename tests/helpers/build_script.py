"""scripts/build_geodata.py loaded as a module, for the tests of the bundled register data."""

from __future__ import annotations

import importlib.util

import config


def build_module():
    spec = importlib.util.spec_from_file_location("build_geodata", config.ROOT / "scripts" / "build_geodata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
