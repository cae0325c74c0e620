"""A small JSON Schema validator for the keywords ``events.schema.json`` uses.

Supported: ``type`` (a name or a list), ``const``, ``enum``, ``required``,
``properties``, ``items``, ``maxItems``, ``minimum``, ``minLength``,
``maxLength``, ``oneOf`` and local ``$ref`` (``#/...``). Annotations
(``description``, ``title``, ``$schema``, ``$id``, ``$defs``) are ignored. Any
other keyword raises ``UnsupportedKeyword``, so a schema change that needs more
than this subset fails the tests loudly instead of being skipped.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

ANNOTATIONS = {"description", "title", "$schema", "$id", "$defs", "$comment"}
SUPPORTED = {
    "type", "const", "enum", "required", "properties", "items", "maxItems",
    "minimum", "minLength", "maxLength", "oneOf", "$ref",
}


class UnsupportedKeyword(Exception):
    pass


def _is_type(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise UnsupportedKeyword("type " + name)


def _equal(a: Any, b: Any) -> bool:
    # JSON equality: true is not 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


class Validator:
    def __init__(self, root: Dict[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> Dict[str, Any]:
        if not ref.startswith("#"):
            raise UnsupportedKeyword("non-local $ref " + ref)
        node: Any = self.root
        for part in ref[1:].split("/"):
            if not part:
                continue
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[part]
        return node

    def errors(self, instance: Any, schema: Optional[Dict[str, Any]] = None, path: str = "$") -> List[str]:
        if schema is None:
            schema = self.root
        found: List[str] = []
        for keyword in schema:
            if keyword not in SUPPORTED and keyword not in ANNOTATIONS:
                raise UnsupportedKeyword(keyword)
        if "$ref" in schema:
            found += self.errors(instance, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(instance, name) for name in names):
                found.append("%s: expected %s, got %r" % (path, "/".join(names), instance))
                return found
        if "const" in schema and not _equal(instance, schema["const"]):
            found.append("%s: expected %r, got %r" % (path, schema["const"], instance))
        if "enum" in schema and not any(_equal(instance, option) for option in schema["enum"]):
            found.append("%s: %r is not one of %r" % (path, instance, schema["enum"]))
        if isinstance(instance, str):
            if "maxLength" in schema and len(instance) > schema["maxLength"]:
                found.append("%s: longer than %d" % (path, schema["maxLength"]))
            if "minLength" in schema and len(instance) < schema["minLength"]:
                found.append("%s: shorter than %d" % (path, schema["minLength"]))
        if _is_type(instance, "number") and "minimum" in schema and instance < schema["minimum"]:
            found.append("%s: %r is less than %r" % (path, instance, schema["minimum"]))
        if isinstance(instance, dict):
            for name in schema.get("required", []):
                if name not in instance:
                    found.append("%s: missing required %r" % (path, name))
            for name, subschema in schema.get("properties", {}).items():
                if name in instance:
                    found += self.errors(instance[name], subschema, "%s.%s" % (path, name))
        if isinstance(instance, list):
            if "maxItems" in schema and len(instance) > schema["maxItems"]:
                found.append("%s: more than %d items" % (path, schema["maxItems"]))
            if "items" in schema:
                for index, item in enumerate(instance):
                    found += self.errors(item, schema["items"], "%s[%d]" % (path, index))
        if "oneOf" in schema:
            results: List[List[str]] = [self.errors(instance, option, path) for option in schema["oneOf"]]
            matches = sum(1 for problems in results if not problems)
            if matches != 1:
                found.append("%s: matches %d of oneOf, expected exactly 1" % (path, matches))
            if matches == 0:
                closest: List[str] = min(results, key=len)  # the closest alternative says what is wrong
                found.extend(closest)
        return found

    def check(self, instance: Any) -> None:
        problems = self.errors(instance)
        if problems:
            raise AssertionError("event does not match the schema: %s\n%r" % ("; ".join(problems), instance))
