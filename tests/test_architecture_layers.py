"""Dependency arrows run one way: platform ← domain ← delivery, with tooling on top of the domain.

Parses every module's import statements (``ast``, so function-local and TYPE_CHECKING imports
count too) and checks them against the layers in docs/architecture.md. Django's lazy model
references ("api.ApiKey") and settings' app labels are not imports and are not checked here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PLATFORM = {"claimtracker", "accounts"}
DOMAIN = {"claims", "people"}
DELIVERY = {"public", "api", "embeds", "webhooks", "imports", "readers", "edgecache"}
# Tooling runs on top of the domain and is imported by nothing else: sample data and the
# backup/restore commands (an operations tool that copies the domain's tables) use the domain
# only; the benchmarks also drive the delivery code they measure.
TOOLING = {"sampledata", "backups"}
BENCHMARKS = {"bench"}
LAYER_OF = {
    **dict.fromkeys(PLATFORM, "platform"),
    **dict.fromkeys(DOMAIN, "domain"),
    **dict.fromkeys(DELIVERY, "delivery"),
    **dict.fromkeys(TOOLING, "tooling"),
    **dict.fromkeys(BENCHMARKS, "benchmarks"),
}
# What each layer may import, besides its own package.
ALLOWED = {
    "platform": PLATFORM,
    "domain": PLATFORM | DOMAIN,
    "delivery": PLATFORM | DOMAIN,
    "tooling": PLATFORM | DOMAIN,
    "benchmarks": PLATFORM | DOMAIN | DELIVERY,
}
# (importing module, imported package) → why the arrow is allowed anyway. Keep this short.
EXCEPTIONS = {
    ("claimtracker/urls.py", "api"): (
        "the root URLconf is the composition root: it mounts every delivery app and names the API's "
        "JSON 404 handler for /api/ paths"
    ),
    ("webhooks/delivery.py", "api"): (
        "a webhook carries the claim exactly as /api/v1/claims/<id> shows it, by contract with partners: "
        "it is built by the API's one representation rather than a second copy of it"
    ),
}


def _packages() -> list[str]:
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests"} and not path.parent.name.startswith(".")
    )


def _modules() -> list[Path]:
    return sorted(
        path for package in _packages() for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts
    )


def _imported_packages(path: Path) -> set[str]:
    """The top-level project packages ``path`` imports (absolute imports only; relative stay inside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(LAYER_OF)


def _arrows() -> set[tuple[str, str]]:
    arrows = set()
    for path in _modules():
        module = path.relative_to(ROOT).as_posix()
        own = module.split("/")[0]
        arrows.update((module, imported) for imported in _imported_packages(path) if imported != own)
    return arrows


def test_every_project_package_is_placed_in_a_layer():
    assert set(_packages()) <= set(LAYER_OF), "add the new package to a layer here and in docs/architecture.md"


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = sorted(
        f"{module} imports {imported}"
        for module, imported in _arrows()
        if LAYER_OF[module.split("/")[0]] == layer
        and imported not in ALLOWED[layer]
        and (module, imported) not in EXCEPTIONS
    )
    assert wrong == []


def test_no_delivery_app_imports_another():
    wrong = sorted(
        f"{module} imports {imported}"
        for module, imported in _arrows()
        if module.split("/")[0] in DELIVERY and imported in DELIVERY and (module, imported) not in EXCEPTIONS
    )
    assert wrong == []


def test_nothing_imports_the_tooling():
    wrong = sorted(
        f"{module} imports {imported}"
        for module, imported in _arrows()
        if imported in TOOLING | BENCHMARKS and module.split("/")[0] != imported
    )
    assert wrong == []


def test_every_listed_exception_is_still_needed():
    assert set(EXCEPTIONS) <= _arrows(), "an exception no longer happens: remove it from EXCEPTIONS"


def test_the_checker_sees_function_local_imports(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from public.selectors import claim_for_page\n    import api.models\n")
    assert _imported_packages(module) == {"public", "api"}
