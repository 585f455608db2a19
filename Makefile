# `make` sets up a fresh machine and builds every edition; `make test` runs the tests.

PYTHON ?= python3
# The article the content checks and tests run on: `make test CONTENT=../next-article/content`.
CONTENT ?= content
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: the pinned fonts, Pango and HarfBuzz for WeasyPrint, ICU for PyICU,
# Java for EPUBCheck, Poppler for reading PDFs back and rasterising the EPUB cover, Chromium as
# the reference PDF writer and DAISY Ace's browser, Node.js for DAISY Ace (and Debian's npm where
# the Node.js installed brings none).
SYSTEM_PACKAGES := fonts-noto-core=20201225-1 libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 libicu-dev pkg-config g++ default-jre-headless poppler-utils chromium nodejs
SYSTEM_FONTS := /usr/share/fonts/truetype/noto
FONTS := $(shell cut -c67- fonts/SHA256SUMS)

.PHONY: all editions test check bench serve system fonts messages clean node

all: editions

# Every edition, then the archive deposit of them all (output/deposit/).
editions: $(BIN)/.installed fonts
	$(BIN)/python build.py
	$(BIN)/python build.py deposit

test: $(BIN)/.installed fonts node_modules/.installed
	$(BIN)/python build.py check --content "$(CONTENT)"
	$(BIN)/python -m pytest --content="$(CONTENT)"

check: $(BIN)/.installed fonts
	$(BIN)/python build.py check --content "$(CONTENT)"

bench: $(BIN)/.installed fonts
	$(BIN)/python bench/pdf_text.py
	$(BIN)/python bench/build.py

# The web pages on http://127.0.0.1:8000/, rebuilt and reloaded as the content changes.
serve: $(BIN)/.installed fonts
	$(BIN)/python build.py serve

# Installs the Debian packages this machine lacks (needs root, or run the printed command).
system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  name=$${p%%=*}; dpkg-query -W -f='$${Status}' $$name 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "run: sudo apt-get install$$missing" >&2; exit 1; fi; \
	fi

$(BIN)/.installed: requirements.txt | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# DAISY Ace (package.json, pinned in package-lock.json) runs on Debian's Chromium through
# puppeteer: neither puppeteer's nor Electron's own browser is downloaded.
node: node_modules/.installed

node_modules/.installed: package.json package-lock.json | system
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The fonts are copied from the pinned Debian package and checked against fonts/SHA256SUMS.
fonts: fonts/.installed

fonts/.installed: fonts/SHA256SUMS | system
	cp $(addprefix $(SYSTEM_FONTS)/,$(FONTS)) fonts/
	cd fonts && sha256sum --check --quiet SHA256SUMS
	touch $@

# After changing a template's strings: refresh the catalog template and the catalogs.
messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F templates/babel.cfg -o templates/locales/messages.pot \
	  --no-location --project="Commemorative article" templates
	$(BIN)/pybabel update -i templates/locales/messages.pot -d templates/locales

clean:
	rm -rf output
