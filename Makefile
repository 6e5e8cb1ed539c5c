# The two set-up commands: `make demo` and `make test`. Both build the pinned environment
# once (tools/setup_env.sh, reused by every clone with the same pins) and run from this checkout.
# `make demo` (pretraining) needs only its base, without mmcv's compiled ops; `make test` and
# `make env` add the ops (~26 min on 2 cores the first time).
ENV_DIR := $(shell bash tools/setup_env.sh --path)
PY := $(ENV_DIR)/bin/python
RUN := PYTHONPATH=$(CURDIR) $(PY)

.PHONY: env env-base demo lint test test-fast docs
env:
	@bash tools/setup_env.sh >/dev/null

env-base:
	@bash tools/setup_env.sh --base >/dev/null

demo: env-base
	bash demo/pretrain_demo.sh $(PY)

lint: env-base
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: env lint
	$(RUN) -m pytest tests $(PYTEST_ARGS)

# The development tier: unit and equivalence tests, without the end-to-end runs of the tools
# (marked `e2e` by tests/conftest.py) and the multi-process ones.
test-fast: env
	$(RUN) -m pytest tests -m "not e2e and not multiprocess" $(PYTEST_ARGS)

# The documentation site (mkdocs.yml, docs/) in strict mode: a broken link or API reference
# fails (not with --quiet, which hides the warnings strict mode counts). Written to site/
# (ignored); `make docs SITE_DIR=/tmp/site` elsewhere.
SITE_DIR ?= site
docs: env-base
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict -d $(SITE_DIR)
