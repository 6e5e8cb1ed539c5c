"""Imported first by :mod:`mmslffm.datasets`: the OpenMMLab dataset packages our readers
build on, without their "Could not import OneDL" lines (see :mod:`mmslffm.utils.quiet_imports`)."""

from mmslffm.utils.quiet_imports import import_datasets_quietly

import_datasets_quietly()
