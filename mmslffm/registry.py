"""Registries of scope ``mmslffm``, children of mmengine's root registries.

Each registry names the package that fills it (``locations``), so a config never needs
``custom_imports``: ``type='SparseConvNeXt'`` works with ``default_scope='mmslffm'`` and
``type='mmslffm.SparseConvNeXt'`` works from any other scope (mmrotate, mmseg, mmpretrain).
"""

from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import (
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
)
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import (
    RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS,
)
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import (
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS,
)
from mmengine.registry import Registry

SCOPE = 'mmslffm'


def _child(name: str, parent: Registry, locations: list) -> Registry:
    return Registry(name, parent=parent, scope=SCOPE, locations=locations)


RUNNERS = _child('runner', MMENGINE_RUNNERS, ['mmslffm.engine'])
RUNNER_CONSTRUCTORS = _child(
    'runner constructor', MMENGINE_RUNNER_CONSTRUCTORS, ['mmslffm.engine']
)
LOOPS = _child('loop', MMENGINE_LOOPS, ['mmslffm.engine'])
HOOKS = _child('hook', MMENGINE_HOOKS, ['mmslffm.engine'])
LOG_PROCESSORS = _child(
    'log processor', MMENGINE_LOG_PROCESSORS, ['mmslffm.engine']
)
OPTIMIZERS = _child('optimizer', MMENGINE_OPTIMIZERS, ['mmslffm.engine'])
OPTIM_WRAPPERS = _child(
    'optim wrapper', MMENGINE_OPTIM_WRAPPERS, ['mmslffm.engine']
)
OPTIM_WRAPPER_CONSTRUCTORS = _child(
    'optimizer wrapper constructor',
    MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    ['mmslffm.engine'],
)
PARAM_SCHEDULERS = _child(
    'parameter scheduler', MMENGINE_PARAM_SCHEDULERS, ['mmslffm.engine']
)
DATASETS = _child('dataset', MMENGINE_DATASETS, ['mmslffm.datasets'])
DATA_SAMPLERS = _child(
    'data sampler', MMENGINE_DATA_SAMPLERS, ['mmslffm.datasets']
)
TRANSFORMS = _child('transform', MMENGINE_TRANSFORMS, ['mmslffm.datasets'])
MODELS = _child('model', MMENGINE_MODELS, ['mmslffm.models'])
MODEL_WRAPPERS = _child(
    'model_wrapper', MMENGINE_MODEL_WRAPPERS, ['mmslffm.models']
)
WEIGHT_INITIALIZERS = _child(
    'weight initializer', MMENGINE_WEIGHT_INITIALIZERS, ['mmslffm.models']
)
TASK_UTILS = _child('task util', MMENGINE_TASK_UTILS, ['mmslffm.models'])
METRICS = _child('metric', MMENGINE_METRICS, ['mmslffm.evaluation'])
EVALUATORS = _child('evaluator', MMENGINE_EVALUATOR, ['mmslffm.evaluation'])
VISUALIZERS = _child('visualizer', MMENGINE_VISUALIZERS, [])
VISBACKENDS = _child('vis_backend', MMENGINE_VISBACKENDS, [])
