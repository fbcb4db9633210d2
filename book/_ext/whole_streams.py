"""A cell's printout as one output block in every build.

ipykernel sends what a cell prints as stream messages cut wherever its flush timer
fires, so one ``print()`` may arrive as two messages, and myst-nb draws each as a
block of its own: two builds of the same page differed (more often on a loaded
machine). myst-nb's ``nb_merge_streams`` would join them, but it strips each piece
and adds a newline, which breaks a line that was cut in two. This extension joins
adjacent stdout (or stderr) blocks of a cell exactly, text after text.
"""

from docutils import nodes

STREAMS = ({"output", "stream"}, {"output", "stderr"})


def _stream(node):
    """The class set of a stream output block (stdout or stderr), or None."""
    if not isinstance(node, nodes.literal_block):
        return None
    classes = set(node["classes"])
    return next((frozenset(s) for s in STREAMS if s <= classes), None)


def join_streams(app, doctree):
    """Merge every run of adjacent output blocks of the same stream into its first."""
    for parent in {id(n.parent): n.parent for n in doctree.findall(nodes.literal_block)}.values():
        if parent is None:
            continue
        i = 0
        while i < len(parent.children) - 1:
            first, second = parent.children[i], parent.children[i + 1]
            kind = _stream(first)
            if kind is not None and _stream(second) == kind:
                text = first.astext() + second.astext()
                first.rawsource = text
                first[:] = [nodes.Text(text)]
                parent.remove(second)
            else:
                i += 1


def setup(app):
    app.connect("doctree-read", join_streams)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
