"""The project installs the way the README says: pyproject and environment.yml agree."""
from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec_map(specs: list[str]) -> dict[str, str]:
    return {_name(s): s.replace(" ", "")[len(_name(s)):] for s in specs}


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = data["project"]
    specs = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    return _spec_map(specs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    specs: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            specs += [s for s in dep["pip"] if not s.startswith("-")]
        elif _name(dep) not in {"python", "pip"}:
            specs.append(dep)
    return _spec_map(specs)


def test_environment_yml_declares_the_same_dependencies_as_pyproject():
    py, env = _pyproject(), _environment()
    assert sorted(py) == sorted(env), (
        f"only in pyproject: {sorted(set(py) - set(env))}; only in environment.yml: {sorted(set(env) - set(py))}"
    )


def test_environment_yml_pins_the_same_version_ranges():
    py, env = _pyproject(), _environment()
    differing = {k: (py[k], env[k]) for k in py if k in env and py[k] != env[k]}
    assert differing == {}


def test_package_ships_py_typed_and_the_alignment_command():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["project"]["scripts"]["alignment"] == "toolkit.cli:main"
    assert (ROOT / "toolkit" / "py.typed").exists()
