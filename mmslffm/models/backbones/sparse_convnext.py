"""SparseConvNeXt: one ConvNeXt for SLFFM pretraining (masked) and for fine-tuning (dense).

It *is* ``mmpretrain.models.ConvNeXt`` (subclass, same modules, same state-dict keys), so any
OpenMMLab config that uses mmpretrain's ConvNeXt loads our checkpoints and ours loads theirs.
What mmpretrain lacks and this adds:

* ``forward(x, active)``: the sub-manifold sparse path of SLFFM/SparK with an explicit mask
  argument (mmpretrain's own ``SparseConvNeXt`` keeps the mask in a class-global and computes
  masked positions densely). Two backends give the same numbers on active positions:
  ``'masked_dense'`` (dense ops, masked positions zeroed: the reference behaviour and the
  correctness oracle) and ``'gather'`` (the blocks' LayerNorm, pointwise MLP and layer scale,
  ~95% of the FLOPs, and the stem and downsampling layers run only on the gathered active
  tokens; the depthwise convolutions stay dense).
* ``init_cfg=dict(type='Pretrained', ...)`` loads through :func:`load_backbone_weights`: reference
  key layouts are converted, and a load that matches too little fails loudly. ``checkpoint=None``
  means random initialisation, so small configs keep the ``Pretrained`` dict and a backbone is
  given from the command line (``--cfg-options model.backbone.init_cfg.checkpoint=PATH``).
* ``in_channels != 3`` accepts 3-channel checkpoints (see :func:`adapt_stem_weight`).
* a ``'test'`` arch for fast unit tests, ``norm_eval``, and dense maps by default
  (``gap_before_final_norm=False``, ``out_indices=(0, 1, 2, 3)``).

References: the architecture and its widths are ConvNeXt's (Liu et al., "A ConvNet for the
2020s", CVPR 2022); the sub-manifold sparse encoder is SparK's (Tian et al., ICLR 2023), as
SLFFM pretrains it (Dong et al., IEEE TGRS 2024).
"""

import time
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.utils.checkpoint as cp
from mmengine.logging import print_log
from mmpretrain.models.backbones import ConvNeXt
from mmpretrain.models.backbones.convnext import ConvNeXtBlock
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmslffm.checkpoint import adapt_stem_weight, load_backbone_weights
from mmslffm.registry import MODELS
from ..utils import ActiveSites
from .depthwise_conv import same_depthwise_conv
from .patch_conv import gather_patch_conv
from .token_mlp import token_mlp

SPARSE_BACKENDS = ('masked_dense', 'gather')
# What 'auto' uses per device type without measuring, from benchmarks/sparse_pretrain.py
# (README): on CPU the gather backend runs the ConvNeXt-B encoder at mask 0.6 in about half
# the time and memory. On any other device type 'auto' times both backends itself.
MEASURED_BACKENDS = {'cpu': 'gather'}
# forward + backward passes timed per backend, after one warm-up pass
AUTO_TIMING_REPEATS = 3

# mmpretrain's default initialisation, kept when no init_cfg is given.
DEFAULT_INIT = [
    dict(type='TruncNormal', layer=['Conv2d', 'Linear'], std=0.02, bias=0.0),
    dict(type='Constant', layer=['LayerNorm'], val=1.0, bias=0.0),
]


@MODELS.register_module()
class SparseConvNeXt(ConvNeXt):
    """ConvNeXt backbone with a dense (fine-tuning) and a masked (pretraining) forward.

    Args:
        arch: one of :attr:`arch_settings` ('test', 'tiny', 'small', 'base',
            'large', ...) or ``dict(depths=[...], channels=[...])``.
        in_channels: input bands. A 3-channel checkpoint loads into any other
            count by :func:`mmslffm.checkpoint.adapt_stem_weight`.
        out_indices: stages whose normed maps the dense forward returns.
        drop_path_rate: stochastic depth, linear over blocks.
        layer_scale_init_value: layer scale (gamma) initial value.
        frozen_stages: stages (stem included) to freeze, as in mmpretrain.
        norm_eval: keep batch-norm layers in eval mode while training. ConvNeXt
            uses LayerNorm (no running stats), so this only matters for a
            ``norm_cfg`` of the batch-norm family.
        gap_before_final_norm: pool before the output norms (classification).
        sparse_backend: how ``forward(x, active)`` computes, one of
            :data:`SPARSE_BACKENDS`, or 'auto' for the faster one on the
            input's device type: the one in ``auto_backends`` if it has the
            type, else the faster of both timed on the first training batch
            (forward + backward, as ``cudnn.benchmark`` times kernels; both
            times are logged; 'masked_dense' until then). Logged once.
        auto_backends: device type -> backend 'auto' uses there without
            timing (default :data:`MEASURED_BACKENDS`, the CPU choice of
            ``benchmarks/sparse_pretrain.py``). Timed choices are added to
            this instance's copy; ``{}`` times on every device type.
        with_cp: gradient checkpointing per block.
        init_cfg: mmengine init config; ``Pretrained`` loads with a report.

    Shapes:
        ``forward(x)``: x (B, C_in, H, W) -> tuple of (B, C_i, H/4/2^i, W/4/2^i)
        for i in out_indices.
        ``forward(x, active)``: active bool (B, 1, H/32, W/32) -> list of the 4
        raw stage maps (no output norm), zero at masked positions.
    """

    arch_settings = {
        **ConvNeXt.arch_settings,
        'test': {'depths': [1, 1, 2, 1], 'channels': [8, 16, 32, 64]},
    }
    PATCH_SIZE = 32  # total stride: one mask cell per stage-3 position

    def __init__(
        self,
        arch: Union[str, dict] = 'base',
        in_channels: int = 3,
        out_indices: Sequence[int] = (0, 1, 2, 3),
        drop_path_rate: float = 0.0,
        layer_scale_init_value: float = 1e-6,
        frozen_stages: int = 0,
        norm_eval: bool = False,
        gap_before_final_norm: bool = False,
        sparse_backend: str = 'masked_dense',
        auto_backends: Optional[Dict[str, str]] = None,
        with_cp: bool = False,
        init_cfg: Optional[Union[dict, List[dict]]] = None,
        **kwargs,
    ):
        if isinstance(arch, str) and arch not in self.arch_settings:
            raise ValueError(
                f"Unknown SparseConvNeXt arch '{arch}': choose one of "
                f'{sorted(self.arch_settings)} or pass '
                'dict(depths=[...], channels=[...])'
            )
        if sparse_backend not in (*SPARSE_BACKENDS, 'auto'):
            raise ValueError(
                f"Unknown sparse_backend '{sparse_backend}': "
                f"choose one of {SPARSE_BACKENDS} or 'auto'"
            )
        auto_backends = dict(
            MEASURED_BACKENDS if auto_backends is None else auto_backends
        )
        for device_type, backend in auto_backends.items():
            if backend not in SPARSE_BACKENDS:
                raise ValueError(
                    f"auto_backends['{device_type}'] = '{backend}': "
                    f'choose one of {SPARSE_BACKENDS}'
                )
        # mmpretrain builds its norms/activations from its own registry; pin
        # that scope so the backbone builds the same from any caller's scope.
        with MMPRETRAIN_MODELS.switch_scope_and_registry('mmpretrain'):
            super().__init__(
                arch=arch,
                in_channels=in_channels,
                out_indices=list(out_indices),
                drop_path_rate=drop_path_rate,
                layer_scale_init_value=layer_scale_init_value,
                frozen_stages=frozen_stages,
                gap_before_final_norm=gap_before_final_norm,
                with_cp=with_cp,
                init_cfg=DEFAULT_INIT if init_cfg is None else init_cfg,
                **kwargs,
            )
        self.in_channels = in_channels
        self.norm_eval = norm_eval
        self.sparse_backend = sparse_backend
        self.auto_backends = auto_backends
        self._logged_backend: Optional[Tuple[str, str]] = None
        self.with_cp = with_cp

    # ------------------------------------------------------------ loading
    def init_weights(self) -> None:
        """Default init, or a ``Pretrained`` load with a matched-keys report."""
        cfg = self.init_cfg
        if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained':
            if cfg.get('checkpoint') is None:
                print_log(
                    'backbone: random initialisation (init_cfg.checkpoint is '
                    'None; give --cfg-options model.backbone.init_cfg.'
                    'checkpoint=PATH for a pretrained backbone)',
                    logger='current',
                )
                self.init_cfg = DEFAULT_INIT
                super().init_weights()
                self.init_cfg = cfg
                return
            load_backbone_weights(
                self, cfg['checkpoint'], prefix=cfg.get('prefix')
            )
            self._is_init = True
            return
        super().init_weights()

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        stem_key = prefix + 'downsample_layers.0.0.weight'
        if stem_key in state_dict:
            state_dict[stem_key] = adapt_stem_weight(
                state_dict[stem_key], self.in_channels
            )
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def train(self, mode: bool = True) -> 'SparseConvNeXt':
        super().train(mode)
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self

    # ------------------------------------------------------------ forward
    def forward(
        self, x: torch.Tensor, active: Optional[torch.Tensor] = None
    ) -> Union[Tuple[torch.Tensor, ...], List[torch.Tensor]]:
        """Dense ConvNeXt when ``active`` is None, else the sparse path."""
        if active is None:
            return self.forward_dense(x)
        return self.forward_sparse(x, active)

    def forward_dense(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """mmpretrain's ConvNeXt forward, stopping after the last stage needed
        by ``out_indices`` (BIT reads stage 0 only: no work on stages 1-3)."""
        outs = []
        for i in range(max(self.out_indices, default=-1) + 1):
            x = self.stages[i](self.downsample_layers[i](x))
            if i in self.out_indices:
                norm = getattr(self, f'norm{i}')
                if self.gap_before_final_norm:
                    outs.append(
                        norm(x.mean([-2, -1], keepdim=True)).flatten(1)
                    )
                else:
                    outs.append(norm(x))
        return tuple(outs)

    def forward_sparse(
        self, x: torch.Tensor, active: torch.Tensor
    ) -> List[torch.Tensor]:
        """Sub-manifold sparse forward over the active patches only.

        Args:
            x: (B, C_in, H, W) normalized images.
            active: bool (B, 1, H/32, W/32), True at visible patches.

        Returns:
            The 4 stage maps (B, C_i, H/4/2^i, W/4/2^i), exactly zero at masked
            positions and independent of the pixels inside masked patches.
        """
        height, width = x.shape[-2:]
        grid = (height // self.PATCH_SIZE, width // self.PATCH_SIZE)
        if (
            height % self.PATCH_SIZE
            or width % self.PATCH_SIZE
            or tuple(active.shape[-2:]) != grid
        ):
            raise ValueError(
                f'the sparse path needs image sides that are multiples of '
                f'{self.PATCH_SIZE} and an active mask of (B, 1, {grid[0]}, '
                f'{grid[1]}); got image {height}x{width}, mask '
                f'{tuple(active.shape)}'
            )
        sites = ActiveSites(active, (height, width))
        return self._sparse_stages(x, sites, self._backend_for(x, sites))

    def _sparse_stages(
        self, x: torch.Tensor, sites: ActiveSites, backend: str
    ) -> List[torch.Tensor]:
        """The 4 masked stage maps of ``x`` computed by ``backend``."""
        stage_maps = []
        for i, stage in enumerate(self.stages):
            x = self._sparse_downsample(i, x, sites, backend)
            for block in stage:
                x = self._run_block(block, x, sites, backend)
            stage_maps.append(x)
        return stage_maps

    def _sparse_downsample(
        self, index: int, x: torch.Tensor, sites: ActiveSites, backend: str
    ) -> torch.Tensor:
        """Stem (conv 4x4/4, LN) or downsample (LN, conv 2x2/2), masked.

        Both convolutions' windows lie inside one 32-px patch, so active
        outputs only see active inputs. 'masked_dense' runs them densely and
        zeroes masked positions; 'gather' computes the active windows only
        (:func:`gather_patch_conv`).
        """
        layers = self.downsample_layers[index]
        if index == 0:
            conv, norm = layers
            if backend == 'gather':
                return gather_patch_conv(x, conv, sites, norm_after=norm)
            x = norm(conv(x * sites.mask(x.shape[-2:])))
        else:
            norm, conv = layers
            if backend == 'gather':
                return gather_patch_conv(x, conv, sites, norm_before=norm)
            x = conv(norm(x) * sites.mask(x.shape[-2:]))
        return x * sites.mask(x.shape[-2:])

    def _run_block(
        self,
        block: ConvNeXtBlock,
        x: torch.Tensor,
        sites: ActiveSites,
        backend: str,
    ) -> torch.Tensor:
        if block.grn is not None or not block.linear_pw_conv:
            raise NotImplementedError(
                'the sparse path supports ConvNeXt v1 blocks with linear '
                'pointwise convs (use_grn=False, linear_pw_conv=True)'
            )
        if backend == 'gather' and not isinstance(block.act, nn.GELU):
            raise NotImplementedError(
                "the 'gather' backend supports GELU blocks only "
                "(act_cfg=dict(type='GELU')); use 'masked_dense'"
            )
        fn = (
            self._masked_dense_block
            if backend == 'masked_dense'
            else self._gather_block
        )
        if self.with_cp and x.requires_grad:
            return cp.checkpoint(fn, block, x, sites, use_reentrant=False)
        return fn(block, x, sites)

    def _backend_for(self, x: torch.Tensor, sites: ActiveSites) -> str:
        if self.sparse_backend != 'auto':
            return self.sparse_backend
        device_type = x.device.type
        if device_type not in self.auto_backends and self._is_training_batch():
            backend = self._time_backends(x, sites)
            self.auto_backends[device_type] = backend
            self._logged_backend = (device_type, backend)
        backend = self.auto_backends.get(device_type, 'masked_dense')
        if self._logged_backend != (device_type, backend):
            self._logged_backend = (device_type, backend)
            until = (
                ''
                if device_type in self.auto_backends
                else ' until a training batch times both backends'
            )
            print_log(
                f"SparseConvNeXt: sparse_backend='auto' uses "
                f"'{backend}' on {device_type}{until}",
                logger='current',
            )
        return backend

    def _is_training_batch(self) -> bool:
        return (
            self.training
            and torch.is_grad_enabled()
            and any(p.requires_grad for p in self.parameters())
        )

    def _time_backends(self, x: torch.Tensor, sites: ActiveSites) -> str:
        """The backend whose forward + backward on this batch is faster.

        Each process (DDP rank) times its own batch; ranks that choose
        differently still compute the same maps up to float rounding.
        """
        seconds = {
            backend: self._time_backend(backend, x, sites)
            for backend in SPARSE_BACKENDS
        }
        fastest = min(seconds, key=seconds.get)
        times = ', '.join(
            f'{backend} {1000 * t:.1f} ms' for backend, t in seconds.items()
        )
        print_log(
            f"SparseConvNeXt: sparse_backend='auto' timed forward + "
            f'backward on {x.device.type} (best of {AUTO_TIMING_REPEATS}): '
            f"{times}; uses '{fastest}'",
            logger='current',
        )
        return fastest

    def _time_backend(
        self, backend: str, x: torch.Tensor, sites: ActiveSites
    ) -> float:
        """Seconds of the fastest of :data:`AUTO_TIMING_REPEATS` forward +
        backward passes with ``backend``, after a warm-up pass.

        Leaves the training step untouched: gradients are returned, not
        accumulated into ``.grad``, and the random state (drop path) is
        restored afterwards.
        """
        params = [p for p in self.parameters() if p.requires_grad]
        x = x.detach()
        device = x.device
        forked = [] if device.type == 'cpu' else [device]
        times = []
        with torch.random.fork_rng(devices=forked, device_type=device.type):
            for _ in range(AUTO_TIMING_REPEATS + 1):
                _synchronize(device)
                start = time.perf_counter()
                maps = self._sparse_stages(x, sites, backend)
                total = sum(m.float().sum() for m in maps)
                torch.autograd.grad(total, params, allow_unused=True)
                _synchronize(device)
                times.append(time.perf_counter() - start)
        return min(times[1:])

    @staticmethod
    def _masked_dense_block(
        block: ConvNeXtBlock, x: torch.Tensor, sites: ActiveSites
    ) -> torch.Tensor:
        """The reference: every op dense, masked positions zeroed after."""
        mask = sites.mask(x.shape[-2:])
        y = same_depthwise_conv(block.depthwise_conv, x) * mask
        y = y.permute(0, 2, 3, 1)
        y = block.norm(y, data_format='channel_last')
        y = block.pointwise_conv2(block.act(block.pointwise_conv1(y)))
        y = y.permute(0, 3, 1, 2)
        if block.gamma is not None:
            y = y * block.gamma.view(1, -1, 1, 1)
        return x + block.drop_path(y * mask)

    @staticmethod
    def _gather_block(
        block: ConvNeXtBlock, x: torch.Tensor, sites: ActiveSites
    ) -> torch.Tensor:
        """Depthwise conv dense; LN + MLP + layer scale on active tokens only.

        The residual stream stays in channels-last memory, so gathering the
        (N, C) active tokens and scattering them back needs no permute copy.
        The token MLP is :func:`token_mlp`: it keeps 6C + 2 values per active
        token for backward instead of autograd's 11C.
        """
        batch, channels, height, width = x.shape
        index = sites.flat_indices((height, width))
        y = same_depthwise_conv(block.depthwise_conv, x)
        # index_select, not [index]: its backward (index_add) is ~4x faster
        # than advanced indexing's (index_put with accumulation)
        tokens = (
            y.permute(0, 2, 3, 1).reshape(-1, channels).index_select(0, index)
        )
        tokens = token_mlp(
            tokens,
            block.norm,
            block.pointwise_conv1,
            block.act,
            block.pointwise_conv2,
            block.gamma,
        )
        drop_prob = getattr(block.drop_path, 'drop_prob', 0.0)
        if block.training and drop_prob > 0:
            keep = 1 - drop_prob
            sample_keep = torch.rand(batch, device=x.device) < keep
            scale = sample_keep.to(tokens.dtype) / keep
            tokens = tokens * scale[index // (height * width)].unsqueeze(1)
        residual = x.permute(0, 2, 3, 1).reshape(-1, channels)
        # x + update in the dtype masked_dense's x + y promotes to: under
        # autocast a downsampling layer returns half precision and the layer
        # scale (a float32 parameter) makes the update float32
        dtype = torch.promote_types(residual.dtype, tokens.dtype)
        out = residual.to(dtype).index_add(0, index, tokens.to(dtype))
        return out.view(batch, height, width, channels).permute(0, 3, 1, 2)


def _synchronize(device: torch.device) -> None:
    """Wait for the kernels queued on an accelerator (CPU ops are eager)."""
    if device.type != 'cpu':
        torch.accelerator.synchronize(device)
