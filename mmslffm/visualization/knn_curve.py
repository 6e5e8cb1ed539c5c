"""The kNN monitor's accuracy over pretraining, drawn as a PNG next to its JSON history."""

from typing import Dict, Sequence, Tuple

__all__ = ['save_knn_curve']


def save_knn_curve(
    history: Sequence[Dict[str, float]],
    series: Sequence[Tuple[str, str, str, str]],
    chance: float,
    title: str,
    path: str,
) -> None:
    """One line per ``(key, label, style, colour)`` of ``series`` against the iteration.

    ``history`` holds records ``{'iter': i, key: top-1 %, ...}``; ``style`` is a matplotlib
    format such as ``'o-'`` or ``'s--'``. The chance level is dotted.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.5, 3.8))
    FigureCanvasAgg(figure)
    axis = figure.add_subplot()
    iters = [record['iter'] for record in history]
    for key, label, style, colour in series:
        axis.plot(
            iters,
            [record[key] for record in history],
            style,
            color=colour,
            label=label,
        )
    axis.axhline(chance, color='grey', ls=':', label='chance')
    axis.set(xlabel='iteration', ylabel='leave-one-out top-1 (%)', title=title)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
