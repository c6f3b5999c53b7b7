"""What a batch may write to and read from, so that a run never harms its own inputs.

The output must be a regular file (or not exist yet) that is none of the inputs and lies inside no input
directory; a symlinked output is written through, to the file it points to. Inputs must be files or
directories batch can read again on a resume: a pipe, a FIFO or a device is refused with a message
that says what to do instead.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from newsbrief.batch.job import job_dir
from newsbrief.errors import InputError


def file_kind(mode: int) -> str | None:
    """What a non-regular, non-directory file is, in words; None for a regular file or a directory."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a pipe (a FIFO, or a <(...) substitution)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input(spec: str) -> None:
    """Refuse an input batch cannot read twice (a resume reads it again, workers read it in pieces)."""
    try:
        mode = os.stat(spec).st_mode
    except OSError:
        return  # "no such file" and globs are the planner's to report
    kind = file_kind(mode)
    if kind:
        raise InputError(
            f"{spec} is {kind}: batch reads its inputs more than once (workers, --resume), so save it to a file "
            f"first (for example `... > input.jsonl`), or brief one article with `newsbrief highlights {spec}`"
        )


def resolve_output(output: Path) -> Path:
    """The path to write: a symlink's target (written through, the link stays), else `output`."""
    if output.is_symlink():
        target = Path(os.path.realpath(output))
        if not target.parent.is_dir():
            raise InputError(f"cannot write {output}: it is a symlink to {target}, whose directory does not exist")
        return target
    return output


def check_output(output: Path, inputs: list[tuple[str, str]], files: list[str]) -> None:
    """Refuse an output that would overwrite or be read as an input. `inputs` are (kind, path) pairs
    as the planner expanded them; `files`, every article file they list."""
    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise InputError(f"cannot write {output}: {e.strerror or e}") from None
    if mode is not None:
        kind = file_kind(mode)
        if stat.S_ISDIR(mode):
            raise InputError(f"cannot write {output}: it is a directory")
        if kind:
            raise InputError(f"cannot write {output}: it is {kind}; batch writes a regular .jsonl file "
                             "(it replaces the output at the end, which would destroy this one)")
    real = Path(os.path.realpath(output))
    for kind, path in inputs:
        source = Path(os.path.realpath(path))
        if kind == "files" and source.is_dir():
            if real.is_relative_to(source):
                raise InputError(f"{output} lies inside the input directory {path}: a later run would read it as an "
                                 "article; write the output elsewhere")
        elif real == source:
            raise InputError(f"{output} is also an input; write the output elsewhere")
    job = job_dir(real)  # everything a run writes besides OUTPUT
    for path in files:
        source = Path(os.path.realpath(path))
        if source == real:
            raise InputError(f"{output} is also an input; write the output elsewhere")
        if source.is_relative_to(job):
            raise InputError(f"{path} belongs to the job directory of {output}; leave it out of the inputs")
