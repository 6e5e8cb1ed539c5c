"""The kNN monitor's accuracy over pretraining, drawn as a PNG next to its JSON history."""

from typing import Dict, Sequence

__all__ = ['save_knn_curve']


def save_knn_curve(
    history: Sequence[Dict[str, float]], chance: float, title: str, path: str
) -> None:
    """One line per score of ``history`` (records ``{'iter': i, 'top1_k20': %, ...}``)
    against the iteration, with the chance level dotted."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5, 3.5))
    FigureCanvasAgg(figure)
    axis = figure.add_subplot()
    iters = [record['iter'] for record in history]
    for name in history[0]:
        if name != 'iter':
            axis.plot(
                iters,
                [record[name] for record in history],
                'o-',
                label=name.replace('top1_', 'kNN '),
            )
    axis.axhline(chance, color='grey', ls=':', label='chance')
    axis.set(xlabel='iteration', ylabel='leave-one-out top-1 (%)', title=title)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
