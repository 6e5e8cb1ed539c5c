"""Write tiny checkpoints in every layout the official SLFFM release's Pretrain/main.py saves.

Run in an export of the release with its Pretrain/ folder on the path (README.md beside this
file gives the commands). The release's own classes and save functions write the files; this
script only builds its model with a tiny ConvNeXt (dims 4, 8, 16, 24, one block per stage) and
a decoder of width 32 in place of convnext_base, perturbs the initial weights (seeded) so that
every tensor differs, trains 2 LAMB steps as main.py does, and saves as main.py's epoch loop.
It also records the release's decoder output for one image and mask, and the key -> shape
layout of the release's ConvNeXt-B and -L with-decoder files.
"""

import json
import os
import sys
import types

import torch

# utils/misc.py imports TensorBoard's SummaryWriter, which the save functions never use
sys.modules['torch.utils.tensorboard'] = types.SimpleNamespace(
    SummaryWriter=None
)

import encoder  # noqa: E402
import low_freq  # noqa: E402
import pcfm  # noqa: E402
from decoder import LightDecoder  # noqa: E402
from utils import arg_util, lamb, misc  # noqa: E402
from utils.lr_control import get_param_groups, lr_wd_annealing  # noqa: E402

SIZE = 64  # input side (the release hard-codes its target filter for 224)


def build(out_dir):
    """main.py's model and optimizer, with a tiny ConvNeXt and decoder."""
    args = arg_util.Args(explicit_bool=True).parse_args(
        [
            '--exp_dir',
            out_dir,
            '--model',
            'convnext_test',
            '--input_size',
            str(SIZE),
            '--bs',
            '2',
        ]
    )
    # what init_dist_and_get_args sets at run time (a torchrun run keeps sbn=True)
    args.ada, args.densify_norm, args.opt = 0.999, 'ln', 'lamb'
    args.batch_size_per_gpu = args.glb_batch_size = 2
    args.lr = args.base_lr * args.glb_batch_size / 256
    args.wde = args.wde or args.wd
    cnn = encoder.ConvNeXt(
        depths=[1, 1, 1, 1],
        dims=[4, 8, 16, 24],
        drop_path_rate=0.1,
        sparse=True,
    )
    sparse_encoder = encoder.SparseEncoder(cnn, input_size=SIZE, sbn=args.sbn)
    decoder = LightDecoder(up_sample_ratio=32, width=32, sbn=args.sbn)
    model = pcfm.PCFM(
        sparse_encoder=sparse_encoder,
        dense_decoder=decoder,
        mask_ratio=args.mask,
        densify_norm=args.densify_norm,
        sbn=args.sbn,
    )
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        # torch.empty in the release (never read): zeroed so that reruns are byte-identical
        model.imn_m.zero_()
        model.imn_s.zero_()
        for param in model.parameters():
            param.add_(0.05 * torch.randn(param.shape, generator=gen))
    groups = get_param_groups(
        model, nowd_keys={'cls_token', 'pos_embed', 'mask_token', 'gamma'}
    )
    optimizer = lamb.TheSameAsTimmLAMB(
        params=groups,
        lr=args.lr,
        weight_decay=0.0,
        betas=(0.9, args.ada),
        max_grad_norm=5.0,
    )
    return args, model, optimizer


def train(args, model, optimizer, iters=2):
    """main.py's pre_train_one_ep for `iters` steps on seeded noise images."""
    pcfm.LowFreqTargetGenerator = lambda radius, img_size: (
        low_freq.LowFreqTargetGenerator(radius * SIZE // 224, SIZE)
    )
    gen = torch.Generator().manual_seed(1)
    model.train()
    for it in range(iters):
        lr_wd_annealing(
            optimizer, args.lr, args.wd, args.wde, it, 1, iters + 1
        )
        loss = model(torch.randn(2, 3, SIZE, SIZE, generator=gen))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


def golden(model):
    """Decoder output of the eval-mode model for one seeded image and mask."""
    gen = torch.Generator().manual_seed(2)
    image = torch.randn(1, 3, SIZE, SIZE, generator=gen)
    active = torch.tensor([[[[True, False], [False, True]]]])
    out = {}
    hook = model.dense_decoder.register_forward_hook(
        lambda module, inputs, output: out.setdefault('rec', output)
    )
    model.eval()
    with torch.no_grad():
        model(image, active_b1ff=active)
    hook.remove()
    return dict(image=image, active=active, reconstruction=out['rec'])


def full_size_layouts():
    """Key -> shape of main.py's with-decoder `module` for ConvNeXt-B and -L (224 px, the
    decoder's default width 768)."""
    layouts = {}
    for name in ('convnext_base', 'convnext_large'):
        sparse_encoder = encoder.build_sparse_encoder(name, 224, sbn=True)
        decoder = LightDecoder(up_sample_ratio=32, sbn=True)
        model = pcfm.PCFM(
            sparse_encoder=sparse_encoder,
            dense_decoder=decoder,
            densify_norm='ln',
            sbn=True,
        )
        state = model.state_dict(with_config=True)
        layouts[name] = {
            key: list(value.shape) if torch.is_tensor(value) else value
            for key, value in state.items()
        }
    return layouts


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    args, model, optimizer = build(out_dir)
    loss = train(args, model, optimizer)
    ep = 0
    # the two saves of main.py's epoch loop, with main.py's arguments
    misc.save_checkpoint(
        f'{args.model}_withdecoder_1kpretrained_pcfm_style.pth',
        args,
        ep,
        f'{loss:.4f} {loss:.4f}',
        model.state_dict(with_config=True),
        optimizer.state_dict(),
    )
    misc.save_checkpoint_for_finetune(
        f'{args.model}_1kpretrained_timm_style.pth',
        args,
        model.sparse_encoder.sp_cnn.state_dict(),
    )
    torch.save(golden(model), os.path.join(out_dir, 'reconstruction.pth'))
    with open(
        os.path.join(out_dir, 'withdecoder_layouts_b_l.json'), 'w'
    ) as file:
        json.dump(full_size_layouts(), file, separators=(',', ':'))


if __name__ == '__main__':
    main(sys.argv[1])
