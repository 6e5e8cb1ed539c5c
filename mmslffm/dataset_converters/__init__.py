"""Offline converters of the released datasets into the layouts the runtime readers expect:
DOTA scenes cut into patches, ISPRS Potsdam/Vaihingen tiles into mmseg's crops and index masks.

They run once, before training, from ``tools/dataset_converters/`` (as mmpretrain's
``tools/dataset_converters`` and mmrotate's ``tools/data``); the library never imports them.
Kept as a package rather than inside the scripts so the cutting logic is tested and documented
like the rest of the API."""
