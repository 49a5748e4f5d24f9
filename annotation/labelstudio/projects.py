"""Label Studio projects: find one by id or title, and create or update one from the schema.

An update that removes labels, choices, relations or whole controls that annotations or
predictions still use is refused unless forced (schema/config_diff.py compares the configs).

Not handled here: the connection (client.py), the project's tasks (tasks.py).
"""

from __future__ import annotations

from collections import Counter

from annotation.errors import NisbaError
from annotation.labelstudio.client import base_url
from annotation.labelstudio.tasks import iter_tasks

def list_projects(client) -> list:
    return list(client.projects.list(page_size=100))


def find_project(client, title: str):
    """The project with exactly this title, or None; several with that title is an error."""
    matches = [p for p in list_projects(client) if p.title == title]
    if len(matches) > 1:
        raise NisbaError(f"{len(matches)} projects are titled {title!r} (ids {[p.id for p in matches]}); "
                         "pass --project with an id")
    return matches[0] if matches else None


def resolve_project(client, ref: int | str):
    """A project from an integer id (or a string of digits) or an exact title."""
    from label_studio_sdk.core.api_error import ApiError

    text = str(ref).strip()
    if text.isdigit():
        try:
            return client.projects.get(id=int(text))
        except ApiError as exc:
            if exc.status_code == 404:
                raise NisbaError(f"no project with id {text} at {base_url(client)}") from None
            raise
    project = find_project(client, text)
    if project is None:
        titles = [p.title for p in list_projects(client)]
        raise NisbaError(f"no project titled {text!r} at {base_url(client)} (projects: {titles}); "
                         "create it with `nisba project create`")
    return project


def project_url(client, project_id: int) -> str:
    return f"{base_url(client)}/projects/{project_id}/data"


def removed_in_use(client, project, new_config: str) -> tuple[dict, Counter, Counter]:
    """What ``new_config`` removes from the project's config, and how many result items of its
    annotations and of its predictions still use it (schema/config_diff.py)."""
    from annotation.schema.config_diff import count_uses, removed_by

    removed = removed_by(getattr(project, "label_config", "") or "", new_config)
    if not removed:
        return removed, Counter(), Counter()
    annotations, predictions = Counter(), Counter()
    for task in iter_tasks(client, project.id, fields="all"):  # include= would cut annotations to their ids
        annotations += count_uses((a.get("result") for a in task.get("annotations") or []), removed)
        predictions += count_uses((p.get("result") for p in task.get("predictions") or []), removed)
    return removed, annotations, predictions


def project_config_differences(client, project_id: int, schema) -> list[str]:
    """What the schema's labeling config has that the project's own config lacks (one line each)."""
    from annotation.schema.config_diff import missing_in
    from annotation.schema.labeling_config import labeling_config

    project = client.projects.get(id=project_id)
    return missing_in(getattr(project, "label_config", "") or "", labeling_config(schema))


def create_or_update_project(client, schema, title: str | None = None, force: bool = False):
    """Create the project for ``schema`` or, when one with ``title`` exists, update its config.

    An update that removes labels, choices, relations or whole controls that annotations or
    predictions still use is refused, naming the counts, unless ``force``. Label Studio checks
    the config too; its message is passed on.
    """
    from label_studio_sdk.core.api_error import ApiError

    from annotation.schema.labeling_config import labeling_config

    title = title or schema.title
    if not 3 <= len(title) <= 50:
        raise NisbaError(f"project title {title!r} has {len(title)} characters; Label Studio takes 3 to 50")
    from annotation.schema.instructions import instructions_html

    config = labeling_config(schema)
    existing = find_project(client, title)
    fields = {"label_config": config, "description": f"nisba schema {schema.fingerprint()}",
              "expert_instruction": instructions_html(schema), "show_instruction": True}
    if existing is not None and not force:
        removed, in_annotations, in_predictions = removed_in_use(client, existing, config)
        if in_annotations or in_predictions:
            used = sorted(set(in_annotations) | set(in_predictions))
            lines = [f"{what}: {in_annotations[what]} annotation region(s), {in_predictions[what]} prediction "
                     f"region(s)" for what in used]
            raise NisbaError(f"project {existing.id} {title!r}: the new labeling config removes what its "
                             f"annotations or predictions still use:\n  " + "\n  ".join(lines)
                             + "\nLabel Studio would hide those regions. Keep them in the schema, or pass --force "
                               "to update anyway.")
    try:
        if existing is None:
            return client.projects.create(title=title, **fields)
        return client.projects.update(id=existing.id, **fields)
    except ApiError as exc:
        raise NisbaError(f"Label Studio refused the project {title!r} (its labeling config or fields): "
                         f"HTTP {exc.status_code} {exc.body}") from None
