"""Window planning: windows stay inside the image, cores tile it exactly once."""
import numpy as np
import pytest

from mmslffm.apis.raster_windows import plan_windows


@pytest.mark.parametrize('height,width,size,overlap',
                         [(700, 900, 256, 64), (6000, 6000, 1024, 200),
                          (100, 300, 256, 64), (512, 512, 512, 128)])
def test_cores_cover_every_pixel_once(height, width, size, overlap):
    coverage = np.zeros((height, width), np.int32)
    for item in plan_windows(height, width, size, overlap):
        window, core = item.window, item.core
        assert window.col_off >= 0 and window.row_off >= 0
        assert window.col_off + window.width <= width
        assert window.row_off + window.height <= height
        assert window.width == min(size, width)
        rows, cols = item.core_in_window()
        assert 0 <= rows.start < rows.stop <= window.height
        assert 0 <= cols.start < cols.stop <= window.width
        coverage[core.row_off:core.row_off + core.height,
                 core.col_off:core.col_off + core.width] += 1
    assert (coverage == 1).all()


def test_neighbouring_windows_overlap_by_at_least_the_overlap():
    windows = plan_windows(256, 1000, 256, 64)
    starts = [int(w.window.col_off) for w in windows]
    assert starts[0] == 0 and starts[-1] == 1000 - 256
    assert all(b - a <= 256 - 64 for a, b in zip(starts, starts[1:]))


def test_overlap_must_be_smaller_than_the_window():
    with pytest.raises(ValueError, match='overlap'):
        plan_windows(100, 100, 64, 64)
