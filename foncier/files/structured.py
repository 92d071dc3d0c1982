"""JSON and YAML read within bounds: size, nesting, expanded YAML aliases, lone surrogates.

A 351-byte YAML file of nested aliases ("billion laughs") once grew the server to 24 GB, and
100,000 nested ``[`` overflowed the parser's stack. Both parsers here refuse such documents
with a French message before anything walks them.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from foncier import limits
from foncier.errors import InvalidInput, TooLarge


def load_json(text: str, name: str = "corps de la requête") -> Any:
    """``json.loads`` with bounded size and nesting, and no lone UTF-16 surrogate in strings."""
    _check_size(text, name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"« {name} » n'est pas un JSON valide : ligne {error.lineno}, colonne {error.colno}."
        ) from None
    except RecursionError:
        raise _too_deep(name) from None
    check_tree(data, name)
    return data


def load_yaml(text: str, name: str = "document") -> Any:
    """``yaml.safe_load`` that counts what aliases expand to before building anything."""
    _check_size(text, name)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, name)
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        raise InvalidInput(f"« {name} » n'est pas un YAML valide : {error}") from None
    except RecursionError:
        raise _too_deep(name) from None
    finally:
        loader.dispose()
    check_tree(data, name)
    return data


def check_tree(data: Any, name: str) -> None:
    """Refuse nesting beyond ``MAX_JSON_DEPTH`` and strings PostgreSQL cannot store."""
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > limits.MAX_JSON_DEPTH:
            raise _too_deep(name)
        if isinstance(value, str):
            _check_text(value, name)
        elif isinstance(value, dict):
            pending.extend((k, depth + 1) for k in value)
            pending.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            pending.extend((v, depth + 1) for v in value)


def _check_text(value: str, name: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        shown = value.encode("utf-8", "backslashreplace").decode("utf-8")  # never echo it raw
        raise InvalidInput(
            f"« {name} » : caractère « \\u{ord(value[error.start]):04x} » isolé dans "
            f"« {limits.shortened(shown)} » ; attendu : du texte Unicode valide."
        ) from None


def _check_size(text: str, name: str) -> None:
    if len(text) > limits.MAX_DOCUMENT_BYTES:
        raise TooLarge(
            f"« {name} » dépasse {limits.format_bytes(limits.MAX_DOCUMENT_BYTES)} ;"
            " attendu : un document de quelques pages."
        )


def _too_deep(name: str) -> InvalidInput:
    return InvalidInput(
        f"« {name} » est imbriqué trop profondément ;"
        f" attendu : au plus {limits.MAX_JSON_DEPTH} niveaux."
    )


def _check_expansion(root: Node, name: str) -> None:
    """Count the values the node graph expands to, each shared (aliased) node once per use.

    Sizes are memoised per node, so counting costs the graph's size, not its expansion."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise InvalidInput(f"« {name} » : un alias YAML se contient lui-même.")
        visiting.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(item) for item in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        visiting.discard(key)
        if total > limits.MAX_DOCUMENT_NODES:
            raise TooLarge(
                f"« {name} » : les alias YAML (&, *) le font grandir au-delà de"
                f" {limits.grouped(limits.MAX_DOCUMENT_NODES)} valeurs ;"
                " écrivez les valeurs répétées en entier."
            )
        sizes[key] = total
        return total

    size(root)
