"""Two schemas of one name would share one entry of the OpenAPI document, and one of them
would then be documented wrongly: every schema the API uses has a name of its own."""

from collections import defaultdict

from ninja import Schema
from pydantic import BaseModel

import ibasho.api  # noqa: F401  (mounts every router, importing every schema)


def subclasses(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(subclasses(sub))
    return found


def test_every_api_schema_has_a_name_of_its_own():
    modules: dict[str, set[str]] = defaultdict(set)
    for cls in {*subclasses(Schema), *subclasses(BaseModel)}:
        if cls.__module__.startswith("ibasho.") and "[" not in cls.__name__:
            modules[cls.__name__].add(cls.__module__)
    assert {name: sorted(found) for name, found in modules.items() if len(found) > 1} == {}
