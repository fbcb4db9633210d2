"""Build the book's slider figures in their static form.

rnn_core.interactive reads RNN_CORE_STATIC when a figure is displayed: set, it
emits only the kernel-free HTML version (SVG plus precomputed frames); unset, as
in JupyterLab, it also emits live ipywidgets. Setting the variable here, when
Sphinx loads the extension, reaches every kernel myst-nb starts, however the
build is invoked (make book, or the build test).
"""

import os


def setup(app):
    os.environ["RNN_CORE_STATIC"] = "1"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
