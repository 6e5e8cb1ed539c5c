"""Imported first by :mod:`mmslffm.utils`, whose tools' imports reach the OpenMMLab dataset
packages (through the engine and evaluation modules): import those packages once, without
their "Could not import OneDL" lines (see :mod:`mmslffm.utils.quiet_imports`)."""

from .quiet_imports import import_datasets_quietly

import_datasets_quietly()
