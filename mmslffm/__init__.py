"""mmslffm: SLFFM remote-sensing foundation models on the OpenMMLab 2.x stack.

Importing the package is cheap: modules register themselves when a registry of scope
``mmslffm`` is first searched (see :mod:`mmslffm.registry`).
"""

__version__ = '0.1.0'
