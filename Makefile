# The two commands of the README (`make run`, `make test`) and what stands behind them.
# Both set up everything they need: the virtualenv, the Python packages and, on
# Debian/Ubuntu, the system libraries Qt needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.factdesk-installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Libraries PySide6 loads on Linux (xcb for a real screen, EGL/GL and fonts everywhere).
QT_DEBS := libgl1 libegl1 libopengl0 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 \
	libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
	libxcb-xfixes0 libxcb-xkb1 libxcb-shm0 libxcb-sync1 libxcb-render0
# What the end-to-end tests use: a virtual X server (the bundle under Xvfb) and
# ImageMagick's `import` for its screenshot; DejaVu for the Vietnamese PDF the tests write.
# PostgreSQL: the throwaway server the shared-project tests start (tests/pg_server.py).
TEST_DEBS := xvfb xauth imagemagick fonts-dejavu-core postgresql

.PHONY: run test lint setup system-deps test-deps bench package clean

run: setup ## start the app (first run: the default project from the bundled seeds)
	$(BIN)/factdesk

test: setup test-deps ## lint, check the import contract, run the whole test suite
	$(BIN)/ruff check desktop tests bench
	$(BIN)/ruff format --check desktop tests bench
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: setup ## print the benchmark figures (quick mode)
	$(BIN)/python bench/ingest.py --quick

package: setup ## build the PyInstaller bundle dist/Factdesk/ (onedir) and print its size
	packaging/build.sh

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# $(call apt-missing,PACKAGES): install those of PACKAGES that are not installed yet.
define apt-missing
	@if ! command -v dpkg-query >/dev/null; then \
		echo "$@: not a Debian system; install these yourself if missing: $(1)"; \
	else \
		missing=$$(for p in $(1); do \
			dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
		done); \
		if [ -n "$$missing" ]; then \
			echo "$@: installing" $$missing; \
			$(SUDO) apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
		fi; \
	fi
endef

system-deps: ## install the Debian libraries Qt needs that are missing
	$(call apt-missing,$(QT_DEBS))

test-deps: ## install what the tests use besides (Xvfb, ImageMagick, fonts, PostgreSQL)
	$(call apt-missing,$(TEST_DEBS))

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
