"""Early stopping on validation F1 waits until the model finds a span at all."""

from types import SimpleNamespace

from training.train.trainer import _early_stopping


def test_early_stopping_does_not_count_epochs_while_f1_is_zero():
    callback = _early_stopping(2)
    args = SimpleNamespace(greater_is_better=True)
    state = SimpleNamespace(best_metric=0.0)
    for _ in range(5):
        callback.check_metric_value(args, state, None, 0.0)
    assert callback.early_stopping_patience_counter == 0


def test_early_stopping_counts_stalls_once_f1_is_above_zero():
    callback = _early_stopping(2)
    args = SimpleNamespace(greater_is_better=True)
    state = SimpleNamespace(best_metric=0.4)
    callback.check_metric_value(args, state, None, 0.3)
    callback.check_metric_value(args, state, None, 0.0)
    assert callback.early_stopping_patience_counter == 2
