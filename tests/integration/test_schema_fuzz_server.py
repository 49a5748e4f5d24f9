"""A sample of fuzzed schemas that load (tests/test_properties.py's schema fuzzer) is accepted by
the real Label Studio: the project is created and stores exactly the generated config."""

from __future__ import annotations

import uuid

import pytest

from annotation.labelstudio.projects import create_or_update_project
from annotation.schema.labeling_config import labeling_config
from tests.test_properties import loadable_mutated_schemas

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("i,schema", list(enumerate(loadable_mutated_schemas(4))))
def test_fuzzed_schema_that_loads_is_accepted_by_the_server(ls_client, i, schema):
    project = create_or_update_project(ls_client, schema, f"test fuzz {i} {uuid.uuid4().hex[:8]}")
    try:
        assert ls_client.projects.get(id=project.id).label_config == labeling_config(schema)
    finally:
        ls_client.projects.delete(id=project.id)
