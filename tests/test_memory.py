"""rnn_core._memory: glibc's malloc is told to keep freed memory, unless the user said otherwise."""

import os
import subprocess
import sys

import pytest

from rnn_core import _memory

glibc = pytest.mark.skipif(_memory._glibc() is None, reason="malloc is not glibc's")


def _in_fresh_python(code, **env):
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


@glibc
def test_importing_rnn_core_sets_the_thresholds():
    code = "import rnn_core, rnn_core._memory as m; print(m.keep_freed_memory())"
    assert _in_fresh_python(code) == "True"


@glibc
def test_the_users_malloc_settings_are_left_alone():
    code = "import rnn_core, rnn_core._memory as m; print(m.keep_freed_memory())"
    assert _in_fresh_python(code, MALLOC_TRIM_THRESHOLD_="131072") == "False"


def test_the_trim_threshold_is_not_below_the_mmap_threshold():
    # Freed blocks of up to MMAP_THRESHOLD come from the heap; if the heap kept less than
    # that, freeing one such block could give its pages back to the system.
    assert _memory.TRIM_THRESHOLD >= _memory.MMAP_THRESHOLD
