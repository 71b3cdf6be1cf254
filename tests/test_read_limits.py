"""GDAL reads of uploads run in a child process with CPU-time and memory limits (loaders/files/sandbox.py).

A crafted file that made GDAL spin or allocate without end is stood in for by tasks that do just that."""

from __future__ import annotations

import pytest

from config import READ_MEMORY_BYTES
from i18n import error_text
from loaders.errors import FileFormatError
from loaders.files.sandbox import pyogrio_call, run_limited
from tests.helpers import read_tasks


def test_a_read_that_spins_is_stopped_at_its_cpu_limit_and_the_next_read_works():
    with pytest.raises(FileFormatError) as stopped:
        run_limited(read_tasks.burn_cpu, cpu_s=1, wall_s=60)
    assert stopped.value.code == "read_limits"
    assert "ingenting er lagret" in error_text(stopped.value, "nb")
    assert run_limited(read_tasks.allocate, 1024) == 1024  # a fresh worker took its place


def test_a_read_that_allocates_past_the_limit_is_refused():
    with pytest.raises(FileFormatError) as refused:
        run_limited(read_tasks.allocate, READ_MEMORY_BYTES + 2**30)
    assert refused.value.code == "read_limits"


def test_a_read_that_hangs_is_ended_at_the_wall_clock_limit():
    before = run_limited(read_tasks.worker_pid)
    with pytest.raises(FileFormatError):
        run_limited(read_tasks.sleep, 30, wall_s=1)
    assert run_limited(read_tasks.worker_pid) != before  # the hung worker was ended, not left behind


def test_gdal_errors_come_back_as_they_are(tmp_path):
    (tmp_path / "generated_not_a_file.gpkg").write_bytes(b"not a geopackage")
    with pytest.raises(Exception) as failed:
        pyogrio_call("list_layers", tmp_path / "generated_not_a_file.gpkg")
    assert not isinstance(failed.value, FileFormatError)  # the caller turns GDAL's error into its own message
