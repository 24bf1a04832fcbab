#!/usr/bin/env python3
"""Checks Kubernetes manifests offline against the batch/v1 Job schema of the official Python
client's models (PyPI `kubernetes`): every key must be a field of its object's model (a typo
such as `completionsMode` is an error), and the client's own validation runs on the result.
No cluster is contacted.

    python3 scripts/check-kubernetes.py docs/cluster/kubernetes.yaml
"""
import sys

import yaml
from kubernetes import client


def check(value, model, path, problems):
    """Walks `value` (parsed YAML) against the client type name `model`."""
    if model is None:
        return
    if model.startswith("list["):
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for i, element in enumerate(value):
            check(element, model[5:-1], f"{path}[{i}]", problems)
        return
    if model.startswith("dict("):
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map")
        return
    cls = getattr(client, model, None)
    if cls is None:  # a primitive: str, int, bool, object, datetime
        kinds = {"str": str, "int": int, "bool": bool, "float": (int, float)}
        if model in kinds and not isinstance(value, kinds[model]):
            problems.append(f"{path}: expected {model}, got {type(value).__name__}")
        return
    if not isinstance(value, dict):
        problems.append(f"{path}: expected an object ({model})")
        return
    by_json = {json: attr for attr, json in cls.attribute_map.items()}
    for key, sub in value.items():
        if key not in by_json:
            problems.append(f"{path}.{key}: not a field of {model}")
            continue
        check(sub, cls.openapi_types[by_json[key]], f"{path}.{key}", problems)


def main(paths):
    problems = []
    documents = 0
    for path in paths:
        for n, doc in enumerate(yaml.safe_load_all(open(path))):
            if doc is None:
                continue
            documents += 1
            where = f"{path}#{n + 1}"
            if doc.get("apiVersion") != "batch/v1" or doc.get("kind") != "Job":
                problems.append(f"{where}: not a batch/v1 Job")
                continue
            check(doc, "V1Job", where, problems)
            try:  # the client's own checks (required fields, enums) on the whole object
                client.ApiClient()._ApiClient__deserialize(doc, "V1Job")
            except (ValueError, TypeError) as error:
                problems.append(f"{where}: {error}")
    for p in problems:
        print(f"check-kubernetes: {p}", file=sys.stderr)
    print(f"check-kubernetes: {documents} Job documents, {len(problems)} problems")
    return 1 if problems or documents == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
