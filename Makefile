# The two set-up commands: `make demo` and `make test`. Both build the pinned environment
# once (tools/setup_env.sh, reused by every clone with the same pins) and run from this checkout.
ENV_DIR := $(shell bash tools/setup_env.sh --path)
PY := $(ENV_DIR)/bin/python
RUN := PYTHONPATH=$(CURDIR) $(PY)

.PHONY: env demo test
env:
	@bash tools/setup_env.sh >/dev/null

demo: env
	bash demo/pretrain_demo.sh $(PY)

test: env
	$(RUN) -m pytest tests $(PYTEST_ARGS)
