"""The reconcile plans after a raced import or push (pure; the server side is in
tests/integration/test_concurrency.py)."""

from __future__ import annotations

from annotation.loop.reconcile import HeldTask, duplicate_predictions, duplicate_tasks


def test_duplicate_tasks_keeps_the_lowest_id_and_deletes_newer_untouched_ones():
    held = [HeldTask(12, "a"), HeldTask(3, "a"), HeldTask(7, "a"), HeldTask(4, "b")]
    plan = duplicate_tasks(held, {"a", "b"}, own={})
    assert (plan.delete, plan.kept_annotated) == ([7, 12], [])


def test_duplicate_with_an_annotation_or_a_draft_is_left_and_reported():
    held = [HeldTask(1, "a"), HeldTask(2, "a", annotations=1), HeldTask(3, "a", drafts=1), HeldTask(4, "a")]
    plan = duplicate_tasks(held, {"a"}, own={})
    assert (plan.delete, plan.kept_annotated) == ([4], [2, 3])


def test_own_duplicate_carrying_only_the_annotations_this_run_sent_is_deleted():
    # a gold import raced another: task 2 is ours, with the one annotation we sent
    held = [HeldTask(1, "a", annotations=1), HeldTask(2, "a", annotations=1)]
    assert duplicate_tasks(held, {"a"}, own={2: 1}).delete == [2]
    # someone annotated our task meanwhile (2 annotations, we sent 1): left
    held = [HeldTask(1, "a", annotations=1), HeldTask(2, "a", annotations=2)]
    assert duplicate_tasks(held, {"a"}, own={2: 1}).kept_annotated == [2]
    # another run's task with the same count is not ours to judge: left
    assert duplicate_tasks([HeldTask(1, "a"), HeldTask(2, "a", annotations=1)], {"a"}, own={}).kept_annotated == [2]


def test_duplicates_of_hashes_this_run_did_not_send_are_not_touched():
    held = [HeldTask(1, "x"), HeldTask(2, "x"), HeldTask(3, "a")]
    plan = duplicate_tasks(held, {"a"}, own={3: 0})
    assert (plan.delete, plan.kept_annotated) == ([], [])


def test_duplicate_predictions_keep_the_oldest_per_task_and_version_only():
    preds = [{"id": 10, "task": 1, "model_version": "v"}, {"id": 11, "task": 1, "model_version": "v"},
             {"id": 12, "task": 1, "model_version": "w"}, {"id": 13, "task": 2, "model_version": "v"},
             {"id": 9, "task": 2, "model_version": "v"}, {"id": 14, "task": 3, "model_version": "v"}]
    assert duplicate_predictions(preds, "v") == [11, 13]
    assert duplicate_predictions(preds, "w") == []
