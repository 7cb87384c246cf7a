"""The project installs the way the README says: pyproject and environment.yml agree."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
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


def test_pyproject_lists_every_code_package_and_the_three_data_packages():
    from setuptools import find_packages

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    data = {"toolkit.templates": "templates", "toolkit.notebooks": "notebooks", "toolkit.docs": "docs"}
    assert sorted(tool["packages"]) == sorted(find_packages(str(ROOT), include=["toolkit*"]) + list(data))
    assert tool["package-dir"] == data
    assert all((ROOT / folder / "__init__.py").is_file() for folder in data.values())


@pytest.mark.slow
def test_a_regular_install_runs_demo_data_validate_and_report(tmp_path):
    """``pip install .`` (a wheel, not editable) into a fresh venv runs the CLI from any folder.

    The dependencies come from this project's ``.venv`` through a path entry (its
    editable-install hook is not loaded: a plain path line does not process the
    ``.pth`` files there), so only the toolkit itself is installed from the wheel;
    ``JUPYTER_PATH`` points at the data files those dependencies installed (nbconvert's templates).
    """
    wheels, venv, work, src = tmp_path / "wheels", tmp_path / "venv", tmp_path / "work", tmp_path / "src"
    work.mkdir()
    tracked = subprocess.run(["git", "ls-files", "pyproject.toml", "README.md", "toolkit", "templates", "notebooks",
                              "docs"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    for name in tracked:  # a clean copy of what git tracks: no stale build/ and no untracked files in the wheel
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)],
                   check=True, timeout=600, cwd=tmp_path)
    wheel = next(wheels.glob("operational_alignment_toolkit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("toolkit/templates/question_bank.csv", "toolkit/templates/deck/firm.yaml",
                    "toolkit/notebooks/assessment.ipynb", "toolkit/notebooks/explore.ipynb",
                    "toolkit/notebooks/training/data/larkspur-clinics/client.yaml", "toolkit/docs/method.md",
                    "toolkit/run/resources.py", "toolkit/py.typed"):
        assert shipped in names, shipped
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python, alignment = venv / "bin" / "python", venv / "bin" / "alignment"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    deps = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "project-deps.pth").write_text(deps + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, timeout=300)

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # nbconvert's templates, installed with the deps
    where = subprocess.run([str(python), "-c", "import toolkit, toolkit.run.resources as r; "
                            "print(toolkit.__file__); print(r.assessment_notebook())"],
                           cwd=work, env=env, check=True, capture_output=True, text=True).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where  # the installed copy, not the checkout

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(alignment), *args], cwd=work, env=env, capture_output=True, text=True,
                              timeout=600)

    made = run("demo-data", "--out", "clients")
    assert made.returncode == 0, made.stderr
    client = sorted(p for p in (work / "clients").iterdir() if (p / "client.yaml").is_file())[0]
    checked = run("validate", str(client))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert client.name in checked.stdout
    reported = run("report", str(client), "--out", "reports", "--formats", "html")
    assert reported.returncode == 0, reported.stdout + reported.stderr
    decks = list((work / "reports" / client.name).glob("*/deck.html"))
    assert len(decks) == 1 and decks[0].stat().st_size > 10_000
    summary = json.loads((decks[0].parent / "summary.json").read_text())
    assert summary["client_id"] == client.name and 0 <= summary["oai"]["value"] <= 100
