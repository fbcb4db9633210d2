"""Switch off sphinx-thebe, which Jupyter Book 1 always loads.

The book has no launch buttons, yet sphinx-thebe still writes an inline script
naming https://unpkg.com on every page, twice, and the browser then throws
"Identifier 'THEBE_JS_URL' has already been declared". Removing the extension's
event handlers and stylesheet leaves the pages free of it.
"""


def _drop_thebe(app, config):
    for listeners in app.events.listeners.values():
        listeners[:] = [
            lis for lis in listeners if not lis.handler.__module__.startswith("sphinx_thebe")
        ]
    app.registry.css_files[:] = [
        (name, attrs) for name, attrs in app.registry.css_files if "thebe" not in name
    ]


def setup(app):
    # config-inited runs after every extension's setup(), whatever the load order.
    app.connect("config-inited", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
