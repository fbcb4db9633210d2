# Build and check the book "Recurrent Neural Networks, Derived and Checked".
#
#   make book       build _build/html (English) and _build/html/ko (Korean), running
#                   every chapter from a clean kernel in each
#   make test       everything CI checks (this is all .ci/run does)
#   make notebooks  write each chapter as a Jupyter notebook into notebooks/
#   make bench      run benchmarks/run.py (benchmarks/README.md)
#   make clean      remove build outputs (keeps .venv; `make distclean` removes it too)
#
# A fresh clone needs only python3, node/npm and apt: the targets below create
# .venv, fetch the vendored JavaScript and install Debian's chromium.

SHELL := /bin/bash
.DEFAULT_GOAL := book

VENV := .venv
PY   := $(VENV)/bin/python
JB   := $(VENV)/bin/jupyter-book

# Matplotlib writes this date into SVG/PDF metadata; fixing it keeps outputs byte-stable.
export SOURCE_DATE_EPOCH := 1767225600

# apt needs root; use sudo only when we are not root already.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: setup book test notebooks bench clean distclean vendor chromium fonts

setup: $(VENV)/.stamp vendor

# --- Python environment -----------------------------------------------------
# Rebuilt when a requirements file or pyproject.toml changes. Every package is
# pinned in the requirements files; rnn_core itself is installed editable.
$(VENV)/.stamp: requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet -e ".[figures]"
	touch $@

# --- Vendored JavaScript ----------------------------------------------------
# The built pages must load nothing from outside hosts, so KaTeX's stylesheet and
# fonts and the ipywidgets embedder come from the npm registry at fixed versions
# (checked by sha256) and are copied to _vendor/extra/_static/vendor/. _config.yml
# lists _vendor/extra in html_extra_path, so Sphinx copies it into _build/html as is.
# (Not the source _static/ folder: Jupyter Book 1 would load every .js found there
# on every page.) KaTeX's script goes to _vendor/katex-node/, outside the book: node
# runs it while the book is built (book/_ext/katex_static.py), so pages ship typeset
# maths and no typesetting script. axe-core, which only the browser tests inject into
# the pages, goes to _vendor/test/. `npm pack` fetches just the package tarballs and
# runs no install scripts.
KATEX        := katex@0.16.47
KATEX_SHA    := ad2d1ab2f7fcc227019784320e8a2c5218ff6bb333b36df4136d10365ae29375
WIDGETS      := @jupyter-widgets/html-manager@1.0.15
WIDGETS_SHA  := 2b9d65cb7913e1c7d671757a10008b32c9c2448d4429513371e55c07d6107638
AXE          := axe-core@4.14.1
AXE_SHA      := e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
VENDOR_OUT   := _vendor/extra/_static/vendor

vendor: _vendor/.stamp

_vendor/.stamp: Makefile
	rm -rf _vendor && mkdir -p _vendor/npm _vendor/test _vendor/katex-node $(VENDOR_OUT)/katex $(VENDOR_OUT)/jupyter-widgets
	cd _vendor/npm && npm pack --silent $(KATEX) $(WIDGETS) $(AXE) >/dev/null
	echo "$(KATEX_SHA)  _vendor/npm/katex-0.16.47.tgz" | sha256sum --check --quiet
	echo "$(WIDGETS_SHA)  _vendor/npm/jupyter-widgets-html-manager-1.0.15.tgz" | sha256sum --check --quiet
	echo "$(AXE_SHA)  _vendor/npm/axe-core-4.14.1.tgz" | sha256sum --check --quiet
	tar -xzf _vendor/npm/katex-0.16.47.tgz -C $(VENDOR_OUT)/katex --strip-components=2 \
	    --wildcards package/dist/katex.min.css 'package/dist/fonts/*.woff2'
	tar -xzf _vendor/npm/katex-0.16.47.tgz -C _vendor/katex-node --strip-components=2 package/dist/katex.js
	tar -xzf _vendor/npm/jupyter-widgets-html-manager-1.0.15.tgz -C $(VENDOR_OUT)/jupyter-widgets \
	    --strip-components=2 --wildcards 'package/dist/embed.js*' 'package/dist/*.woff*' \
	    'package/dist/*.ttf' 'package/dist/*.eot' 'package/dist/*.svg' --exclude='*.map'
	tar -xzf _vendor/npm/axe-core-4.14.1.tgz -C _vendor/test --strip-components=1 package/axe.min.js
	touch $@

# --- Browser for the smoke test -----------------------------------------------
# Playwright drives Debian's chromium (`playwright install` cannot download
# browsers here). Installed only when missing.
chromium: /usr/bin/chromium

/usr/bin/chromium:
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y chromium

# --- A font for Korean --------------------------------------------------------
# The Korean edition's figures carry Korean words: matplotlib draws them with Noto
# Sans CJK KR (sliders/i18n.py), and chromium needs it to show the Korean pages in
# the browser tests. Debian's fonts-noto-cjk, installed only when missing.
NOTO_CJK := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

fonts: $(NOTO_CJK)

$(NOTO_CJK):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y fonts-noto-cjk

# --- Book -------------------------------------------------------------------
# -W: warnings (including a failing cell) are errors; -n: broken references are
# warnings; --keep-going: report them all. --all: re-read every page, so every
# chapter is executed again (execute_notebooks: force) even if its source did
# not change, for example after an edit to rnn_core. Then the Korean edition:
# tools/ko_build.py builds ko/ the same way (a second run of every chapter, with
# Korean figure words) and copies it to _build/html/ko/.
BOOK_OPTIONS := --all -W -n --keep-going

book: setup fonts
	$(JB) build . $(BOOK_OPTIONS)
	$(PY) tools/ko_build.py $(BOOK_OPTIONS)

# --- Tests ------------------------------------------------------------------
# ruff (lint, and format --check) first. Then one pytest run: unit, property and
# doctests of rnn_core, each chapter run as a notebook, the book build, the off-site checks and the browser smoke test. The
# build and the tests that read _build/html share the xdist group "book", so
# they run in that order on one worker and the book is built once; the other
# worker takes the rest.
test: setup chromium fonts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n 2 --dist loadgroup

# --- Notebooks for readers ---------------------------------------------------
# Every MyST notebook page of _toc.yml (all in book/) as an .ipynb without
# outputs whose prose is plain Jupyter Markdown (numbered equations, included
# code written out, exercises and solutions): tools/plain_notebook.py, the
# same conversion as the book's download links. The Korean edition's pages
# (ko/_toc.yml; ko/book/*.md and ko/*.md) go to $(NB_DIR)/ko/, with Korean prose
# and the same code. NB_DIR lets the tests write elsewhere.
NB_DIR ?= notebooks

# The page list is computed first and checked: an empty list (no venv, a broken
# _toc.yml) must fail here, not fall through to the default goal.
notebooks: $(VENV)/.stamp
	@pages=$$($(PY) tests/book_toc.py --notebooks) && [ -n "$$pages" ] \
	    || { echo "make notebooks: no chapter list from tests/book_toc.py" >&2; exit 1; }; \
	kopages=$$($(PY) tests/book_toc.py --notebooks --edition ko) \
	    || { echo "make notebooks: no Korean page list from tests/book_toc.py" >&2; exit 1; }; \
	$(MAKE) --no-print-directory NB_DIR=$(NB_DIR) $$(printf '%s\n' $$pages \
	    | sed -e 's|^book/|$(NB_DIR)/|' -e 's|\.md$$|.ipynb|') \
	    $$(printf '%s\n' $$kopages | sed -e 's|^ko/\(book/\)\{0,1\}|$(NB_DIR)/ko/|' -e 's|\.md$$|.ipynb|')

$(NB_DIR)/%.ipynb: book/%.md tools/plain_notebook.py | $(VENV)/.stamp
	$(PY) tools/plain_notebook.py $< $@

# The Korean pages: a chapter from ko/book/, the notation page from ko/ (the
# shorter stem of $(NB_DIR)/ko/% makes make try these before the rule above).
$(NB_DIR)/ko/%.ipynb: ko/book/%.md tools/plain_notebook.py | $(VENV)/.stamp
	$(PY) tools/plain_notebook.py $< $@

$(NB_DIR)/ko/%.ipynb: ko/%.md tools/plain_notebook.py | $(VENV)/.stamp
	$(PY) tools/plain_notebook.py $< $@

# --- Benchmarks ---------------------------------------------------------------
# torch is the reference for the RNN cases: its CPU build, pinned (an unpinned
# `torch` would pull the CUDA wheels), goes into .venv from this target only; the
# book's requirements never include it. run.py times every case (the RNN against
# torch and against its bound, each chapter in a clean kernel, a live slider step,
# the book build and rebuild, each built page in chromium), writes _build/bench.json
# and rewrites the table in README.md's Performance section. benchmarks/README.md
# says how each case is measured.
BENCH_TORCH := torch==2.13.0

bench: setup chromium $(VENV)/.bench-stamp
	$(PY) benchmarks/run.py --readme README.md

$(VENV)/.bench-stamp: $(VENV)/.stamp
	$(PY) -m pip install --quiet $(BENCH_TORCH)
	touch $@

clean:
	rm -rf _build _vendor notebooks .pytest_cache .hypothesis .ruff_cache .jupyter_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
