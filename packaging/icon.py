"""Renders packaging/icons/placeplanner.svg to the PNG and ICO files the installers need, with Qt
(already a dependency), so no binary icon is kept in git."""

from __future__ import annotations

from pathlib import Path

SVG = Path(__file__).with_name("icons") / "placeplanner.svg"


def render_icons(out: Path, size: int = 256) -> dict[str, Path]:
    """Write ``placeplanner.png`` and ``placeplanner.ico`` into ``out``; return them by suffix."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG image")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for suffix in ("png", "ico"):
        path = out / f"placeplanner.{suffix}"
        if not image.save(str(path)):
            raise SystemExit(f"Qt could not write {path}")
        written[suffix] = path
    return written
