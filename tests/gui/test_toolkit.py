"""Facts about the Qt binding the app relies on, checked on the installed version."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    ping = Signal()


def test_emitting_a_signal_keeps_reference_counts_balanced(qtbot) -> None:  # type: ignore[no-untyped-def]
    # PySide6 6.12.0 dropped a reference to True on every emit(); on Python 3.11, where True is
    # not immortal, the interpreter then aborts at exit ("bool_dealloc").
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(1000):
        emitter.ping.emit()
    assert sys.getrefcount(True) - before > -10


def test_the_fixture_sees_a_timer_left_running(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    from tests.gui.conftest import _active_timers

    timer = QTimer()
    timer.start(10_000)
    assert timer in _active_timers()
    timer.stop()
    assert timer not in _active_timers()
