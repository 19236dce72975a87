"""The app installs like any Python application: `pip install .` gives a wheel with every package and the files
the code opens by path beside its modules, and a `perfume-oud` command that starts from any directory.

The wheel is built from a copy of the sources, because setuptools writes `build/` and an egg-info into the tree
it builds (and parallel test workers would share them). The fresh venv reuses this environment's installed
dependencies through a .pth file, so the test needs no network and no second copy of Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "storage", "sync", "ui")
# Opened by path at run time: ui/app.py and ui/cards/typesetting.py (resources/), ui/i18n.py (ar.qm, en.qm),
# storage/migrate.py (Alembic's template); openapi.json is the published API document; entities.json is what head
# office checks pushed rows against (sync/headoffice/integrity.py); the lexicons are what core/feedback/sentiment.py
# scores text with.
DATA = (
    "translations/ar.qm",
    "translations/ar.ts",
    "translations/en.qm",
    "translations/en.ts",
    "storage/migrations/script.py.mako",
    "sync/openapi.json",
    "sync/entities.json",
    "core/feedback/lexicon_ar.tsv",
    "core/feedback/lexicon_en.tsv",
    "core/feedback/emoji.tsv",
)


def sources() -> list[str]:
    modules = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts]
    resources = [p for p in (ROOT / "resources").rglob("*") if p.is_file()]
    return sorted(p.relative_to(ROOT).as_posix() for p in [ROOT / "main.py", *modules, *resources])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for qm in ("ar.qm", "en.qm"):
        assert (ROOT / "translations" / qm).exists(), f"translations/{qm} is missing: scripts/setup.sh builds it"
    import setuptools

    # Older setuptools needs the separate `wheel` package to build a wheel; requirements.lock pins a newer one.
    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    assert (major, minor) >= (70, 1), f"setuptools {setuptools.__version__} cannot build wheels: run scripts/setup.sh"
    tree = tmp_path_factory.mktemp("source")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", "main.py"):
        shutil.copy(ROOT / name, tree / name)
    for name in (*PACKAGES, "resources", "translations"):
        shutil.copytree(ROOT / name, tree / name, ignore=skip)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(tree)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_holds_every_module_and_the_files_the_app_opens(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in [*sources(), *DATA] if name not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "scripts/"))]
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    assert "perfume-oud = main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_perfume_oud_runs_from_a_fresh_venv_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    (site,) = (venv / "lib").glob("python*/site-packages")
    # Only the dependencies are borrowed: the repository itself is never on the new venv's path.
    borrowed = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site / "zz-dependencies.pth").write_text("\n".join(borrowed) + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", "--no-index", "--no-compile", str(wheel)],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def run(*cmd: str) -> str:
        done = subprocess.run(cmd, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    usage = run(str(venv / "bin" / "perfume-oud"), "--help")
    assert usage.startswith("usage: perfume-oud") and "headoffice" in usage and "enroll" in usage
    # The installed copy finds its own data: migrations run from it, and the paths the UI opens exist.
    check = (
        "import core, ui.app, ui.cards.typesetting, ui.i18n\n"
        "from storage.db import open_store\n"
        f"assert core.__file__.startswith({str(site)!r}), core.__file__\n"
        "assert (ui.app.RESOURCES / 'style.qss').is_file()\n"
        "assert sorted(ui.cards.typesetting.FONT_DIR.glob('*.ttf'))\n"
        "assert (ui.i18n.TRANSLATIONS / 'ar.qm').is_file() and (ui.i18n.TRANSLATIONS / 'en.qm').is_file()\n"
        "open_store('store.sqlite').close()\n"
        "from core.feedback.sentiment import analyse\n"
        "assert analyse('وايد حلو 👍').label == 'positive' and analyse('not good').label == 'negative'\n"
        "print('ok')\n"
    )
    assert run(str(venv / "bin" / "python"), "-c", check).strip() == "ok"
