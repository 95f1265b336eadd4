"""Writing output files safely: the output directory and atomic writes.

Every file is written to a temporary name beside its target and moved into
place (``os.replace``) when complete, so an interrupted run never leaves a
file that looks finished but is not.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class OutputError(OSError):
    """The output directory cannot be used; the message is one line."""


def prepare_outdir(outdir: Path) -> Path:
    """Create the directory (and figures/) or explain in one line why it cannot be written."""
    try:
        (outdir / "figures").mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=outdir, prefix=".probe-", delete=True)
        probe.close()
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(f"{outdir}: cannot write the output directory ({reason})") from None
    return outdir


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside ``target``; move it into place only on success."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)  # mkstemp makes the file private; outputs are meant to be read
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
