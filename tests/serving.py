"""A local web server for the browser tests: a folder served on 127.0.0.1, quietly."""

import functools
import http.server
import threading


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging every request to stderr."""

    def log_message(self, *args):
        pass


def serve_directory(directory):
    """Start a threaded server for ``directory`` on a free port; the caller shuts it down."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
