"""The shape of the code, as the README's layout section states it: dependencies flow one way
(web → foncier → matching), modules stay small, functions short, views shorter."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("foncier", "matching", "web")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50  # the body, docstring aside
MAX_VIEW_LINES = 25
ROUTE_DECORATORS = ("route", "get", "post", "put", "patch", "delete")


def modules() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return 0 if not body else (body[-1].end_lineno or 0) - body[0].lineno + 1


def is_view(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and d.func.attr in ROUTE_DECORATORS
        for d in node.decorator_list
    )


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("matching", {"flask", "sqlalchemy", "geoalchemy2", "foncier", "web"}), ("foncier", {"web"})],
)
def test_dependencies_flow_one_way(package: str, forbidden: set[str]) -> None:
    found = {
        relative(path): sorted(imported(ast.parse(path.read_text())) & forbidden)
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_modules_are_small_and_functions_short() -> None:
    too_long = []
    for path in modules():
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{relative(path)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                limit = MAX_VIEW_LINES if is_view(node) else MAX_FUNCTION_LINES
                if body_lines(node) > limit:
                    too_long.append(f"{relative(path)}:{node.lineno} {node.name}")
    assert too_long == []
