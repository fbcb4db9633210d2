# Build and check the book "Recurrent Neural Networks, Derived and Checked".
#
#   make book       build _build/html (English) and _build/html/ko (Korean), running
#                   every chapter from a clean kernel in each
#   make test       everything CI checks (this is all .ci/run does)
#   make pdf        build the whole book as one PDF, _build/pdf/book.pdf (LaTeX)
#   make notebooks  write each chapter as a Jupyter notebook into notebooks/
#   make bench      run benchmarks/run.py (benchmarks/README.md)
#   make clean      remove build outputs (keeps .venv; `make distclean` removes it too)
#
# A fresh clone needs only python3, node/npm and apt: the targets below create
# .venv, fetch the vendored JavaScript and install Debian's chromium and texlive.

SHELL := /bin/bash
.DEFAULT_GOAL := book

VENV := .venv
PY   := $(VENV)/bin/python
JB   := $(VENV)/bin/jupyter-book

# Matplotlib writes this date into SVG/PDF metadata; fixing it keeps outputs byte-stable.
export SOURCE_DATE_EPOCH := 1767225600

# apt needs root; use sudo only when we are not root already.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: setup book pdf test notebooks bench clean distclean vendor chromium texlive fonts

setup: $(VENV)/.stamp vendor

# --- Python environment -----------------------------------------------------
# Rebuilt when a requirements file or pyproject.toml changes. Every package is
# pinned in the requirements files; rnn_core itself is installed editable. The
# stamp holds the files' checksums: a checkout or `touch` that leaves them as they
# were re-runs nothing (no pip, so no network).
VENV_INPUTS := requirements.txt requirements-dev.txt pyproject.toml

$(VENV)/.stamp: $(VENV_INPUTS)
	@if [ -x $(PY) ] && sha256sum $(VENV_INPUTS) | cmp -s - $@; then touch $@; exit 0; fi; \
	set -e; \
	python3 -m venv $(VENV); \
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt; \
	$(PY) -m pip install --quiet -e ".[figures,ledger]"; \
	sha256sum $(VENV_INPUTS) > $@

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
#
# The packages, their checksums and what is extracted are listed in vendor.txt,
# one line each (a package may have several lines, one per destination). The stamp
# is a copy of that list: only a change to it re-runs the recipe. The recipe builds
# the new _vendor in a hidden temporary folder, reusing a tarball already fetched
# or already in _vendor/npm/ when its checksum matches (so a changed extraction
# needs no network) and fetching the others; it replaces _vendor only after every
# checksum has passed and every tarball is extracted. Offline or on a bad checksum
# it fails, leaving the working _vendor as it was.
VENDOR_LIST := vendor.txt

vendor: _vendor/.stamp

_vendor/.stamp: $(VENDOR_LIST)
	@if [ -d _vendor/extra ] && cmp -s $(VENDOR_LIST) $@; then touch $@; exit 0; fi; \
	set -euo pipefail; \
	tmp=$$(mktemp -d .vendor.tmp.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/new/npm"; \
	grep -Ev '^[[:space:]]*(#|$$)' $(VENDOR_LIST) | while read -r spec sha dest strip members; do \
	    name=$${spec#@}; name=$${name//\//-}; tgz="$$tmp/new/npm/$${name%@*}-$${name##*@}.tgz"; \
	    if [ -e "$$tgz" ]; then :; \
	    elif echo "$$sha  _vendor/npm/$${tgz##*/}" | sha256sum --check --quiet >/dev/null 2>&1; then \
	        cp "_vendor/npm/$${tgz##*/}" "$$tgz"; \
	    else \
	        echo "make vendor: fetching $$spec"; \
	        (cd "$$tmp/new/npm" && npm pack --silent "$$spec" >/dev/null); \
	    fi; \
	    echo "$$sha  $$tgz" | sha256sum --check --quiet; \
	    mkdir -p "$$tmp/new/$$dest"; \
	    set -f; \
	    tar -xzf "$$tgz" -C "$$tmp/new/$$dest" --strip-components="$$strip" $$members; \
	    set +f; \
	done; \
	cp $(VENDOR_LIST) "$$tmp/new/.stamp"; \
	rm -rf "$$tmp/old"; if [ -e _vendor ]; then mv _vendor "$$tmp/old"; fi; \
	mv "$$tmp/new" _vendor

# --- Browser for the smoke test -----------------------------------------------
# Playwright drives Debian's chromium (`playwright install` cannot download
# browsers here). Installed only when missing.
chromium: /usr/bin/chromium

/usr/bin/chromium:
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y chromium

# --- LaTeX for the PDF ----------------------------------------------------------
# xelatex and latexmk, the LaTeX packages Sphinx's LaTeX writer loads (latex-extra,
# which brings latex-recommended; fonts-recommended for one symbol font), the Latin
# Modern OpenType fonts the book is set in, Noto CJK for its Korean words, and
# poppler-utils, which the PDF's tests read it with. Installed only when one is missing.
TEXLIVE := texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk \
           fonts-lmodern fonts-noto-cjk poppler-utils

texlive:
	@[ "$$(dpkg-query -W -f='$${db:Status-Status}\n' $(TEXLIVE) 2>/dev/null | grep -cx installed)" \
	    = $(words $(TEXLIVE)) ] \
	    || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends $(TEXLIVE); }

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
# Korean figure words) and copies it to _build/html/ko/. Each build starts from
# empty folders: Sphinx adds a ?v=checksum to a stylesheet link only when the file
# is already in _static, so a build over an earlier one gave other pages than a
# build in a fresh clone (the PDF's copy, _build/html/book.pdf, is put back by the
# build itself when _build/pdf/book.pdf exists). tools/ko_build.py empties its own
# folder, _build/ko, for the same reason.
BOOK_OPTIONS := --all -W -n --keep-going

# The two editions build at once, one per core (each is mostly one Python process
# and its kernels): the Korean build's log is printed when both are done.
book: setup fonts
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	@mkdir -p _build
	@$(PY) tools/ko_build.py $(BOOK_OPTIONS) > _build/ko_build.log 2>&1 & ko=$$!; \
	$(JB) build . $(BOOK_OPTIONS); en=$$?; \
	wait $$ko; ko=$$?; cat _build/ko_build.log; \
	echo "make book: English edition exit $$en, Korean edition exit $$ko"; \
	[ $$en -eq 0 ] && [ $$ko -eq 0 ]

# --- The book as one PDF ------------------------------------------------------
# Sphinx's LaTeX builder, then latexmk with xelatex (jupyter-book's pdflatex builder runs
# `make all-pdf` in the LaTeX folder, which reads LATEXOPTS). Every LaTeX setting is in
# book/_ext/pdf_book.py. It builds in _build/pdf/_build/ (its own doctrees and executed
# notebooks), so that it can run while `make book` builds _build/html. -W -n: warnings and
# broken references fail the Sphinx part; -halt-on-error: any LaTeX error fails latexmk;
# tools/latex_log.py: what LaTeX only warns about (an undefined reference, printed "??",
# a glyph missing from a font, an overfull line or page) fails it too. The PDF is then
# _build/pdf/book.pdf, and a copy goes to _build/html/book.pdf, which every HTML page's
# download menu links (the HTML build copies it there too when it finds it). The copy
# into _build/html comes first: once _build/pdf/book.pdf exists, _build/html has it too
# (make test builds both at once and then checks that).
PDF_DIR := _build/pdf

pdf: setup texlive
	rm -rf $(PDF_DIR)
	LATEXOPTS="-interaction=nonstopmode -halt-on-error -file-line-error" \
	    $(JB) build . --builder pdflatex --path-output $(PDF_DIR) --all -W -n --keep-going
	$(PY) tools/latex_log.py $(PDF_DIR)/_build/latex/book.log
	if [ -d _build/html ]; then cp $(PDF_DIR)/_build/latex/book.pdf _build/html/book.pdf; fi
	cp $(PDF_DIR)/_build/latex/book.pdf $(PDF_DIR)/book.pdf

# --- Tests ------------------------------------------------------------------
# ruff (lint, and format --check) first. Then one pytest run: unit, property and
# doctests of rnn_core, each chapter run as a notebook, the book build, the off-site
# checks and the browser smoke test, and the PDF (tests/book/test_pdf.py runs `make pdf`).
# The HTML build and the tests that read _build/html share the xdist group "book", the
# PDF build and its checks the group "pdf": each group runs in order on one worker, so
# the two builds run at once, one per worker, and the other tests go to whichever
# worker is free. --durations: the 20 slowest tests in the log, for the 20-minute budget.
test: setup chromium texlive fonts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n 2 --dist loadgroup --durations=20

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
