"""One progress bar (annotation/progress.py) for import, pull, push, download, evaluate and predict --input."""

from annotation.progress import progress_bar, track


def test_disabled_progress_bar_draws_nothing_but_counts(capsys):
    with progress_bar(False, fields=("rate",)) as bar:
        job = bar.add_task("x", total=3, rate="")
        bar.advance(job, 2)
        assert bar.tasks[0].completed == 2
    assert capsys.readouterr().err == ""


def test_track_yields_every_item_in_order():
    assert list(track(iter([3, 1, 2]), 3, "t", enabled=False)) == [3, 1, 2]
