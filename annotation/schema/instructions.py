"""The project's instructions for annotators: docs/guidelines.md as HTML (pure function).

Label Studio shows a project's ``expert_instruction`` (HTML) before labelling when
``show_instruction`` is on. nisba renders the guidelines with markdown-it-py (CommonMark plus
tables; already installed with rich) and puts the schema's labels with their descriptions
first, so the hints and the instructions agree. Without a guidelines file, the instructions are
the schema's descriptions alone.

Not handled here: sending them (annotation.labelstudio.projects.create_or_update_project).
"""

from __future__ import annotations

import html
from pathlib import Path

from annotation.paths import REPO_ROOT

DEFAULT_GUIDELINES = REPO_ROOT / "docs" / "guidelines.md"
# The heading the instructions always start with (Label Studio keeps the text and ``dir`` of the
# HTML but strips ids and styles), checked by the browser test.
MARKER = "Labels (configs/schema.yaml)"


def schema_summary_html(schema) -> str:
    """One list per layer: each label with its description."""
    parts = []
    for layer in schema.layers:
        items = "".join(
            f"<li><b>{html.escape(label.value)}</b>"
            + (f": {html.escape(label.description)}" if label.description else "") + "</li>"
            for label in layer.label_specs)
        head = html.escape(layer.name) + (f": {html.escape(layer.description)}" if layer.description else "")
        parts.append(f"<p><b>{head}</b></p><ul>{items}</ul>")
    return "".join(parts)


def instructions_html(schema, guidelines: str | Path | None = DEFAULT_GUIDELINES) -> str:
    """The HTML instructions: the schema's labels, then the guidelines (when the file exists)."""
    body = ""
    path = Path(guidelines) if guidelines else None
    if path is not None and path.is_file():
        from markdown_it import MarkdownIt

        body = MarkdownIt("commonmark").enable("table").render(path.read_text(encoding="utf-8"))
    return (f'<div dir="ltr"><h2>{html.escape(MARKER)}</h2>{schema_summary_html(schema)}{body}</div>')
