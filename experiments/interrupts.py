"""Ctrl-C that is never lost during a batch.

Python raises KeyboardInterrupt wherever the main thread is when SIGINT comes.
If that is a weak-reference callback or a ``__del__`` method (Mesa keeps its
agents in weak sets, and every finished model frees thousands of them), Python
only prints "Exception ignored" and the batch goes on as if nothing had been
pressed. ``catch_interrupts`` remembers the signal, and the batch loops call
``raise_if_interrupted`` after each run, where it cannot be swallowed.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

_interrupted = False


def _on_sigint(signum, frame) -> None:
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


@contextlib.contextmanager
def catch_interrupts() -> Iterator[None]:
    """Remember Ctrl-C while the block runs (only the main thread can handle signals)."""
    global _interrupted
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _interrupted = False
    previous = signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _interrupted = False


def raise_if_interrupted() -> None:
    """Raise the KeyboardInterrupt of a Ctrl-C that was swallowed since ``catch_interrupts`` began."""
    if _interrupted:
        raise KeyboardInterrupt
