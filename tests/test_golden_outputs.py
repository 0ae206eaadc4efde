"""Byte identity: ``bialign align`` on dev writes exactly the reference files, in every format.

The reference files (``tests/data/golden/``) were written by ``python tests/golden.py``; a
refactoring must leave them untouched. The runs share a persistent embedding cache, so the
later formats also check that cached vectors give the same bytes as fresh ones.
"""

from __future__ import annotations

import pytest

from golden import FILES, golden_bytes, write_outputs


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden")
    return write_outputs(out, out / "cache")


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for names in FILES.values() for name in names])
def test_dev_output_is_byte_identical_to_the_reference(written, name):
    expected = golden_bytes(name)
    assert written[name] == expected, f"{name} differs from tests/data/golden/{name}.gz"
