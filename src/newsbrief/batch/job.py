"""The job directory next to the output: what makes a batch resumable.

    OUTPUT.job/
        job.json     the inputs' fingerprints and the options; a resume must match them
        parts/       one file per finished chunk, committed by atomic rename (written by the workers)
        output       the merged prefix: parts 0..k-1 appended in order
        state.json   k, the byte length of `output` at k, and the ok / error counts (atomic rename)

The client appends each part to `output` as soon as every part before it is there, records the new
length in state.json, and only then deletes the part. A kill at any point leaves `output` at most one
append past state.json; a resume truncates it back and appends again from the parts still on disk.
At the end `output` is renamed to OUTPUT and the job directory removed.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from newsbrief.batch.work import OutputError, Part, parse_part_name
from newsbrief.errors import InputError

VERSION = 1


def job_dir(output: Path) -> Path:
    return output.with_name(output.name + ".job")


class Job:
    def __init__(self, output: Path, manifest: dict, resume: bool):
        self.output = output
        self.dir = job_dir(output)
        self.parts = self.dir / "parts"
        self.manifest = {"version": VERSION, **manifest}
        self.merged = 0  # parts 0..merged-1 are in `output`
        self.length = 0
        self.ok = self.errors = 0
        self.complete = False
        self.done: dict[int, Part] = {}  # finished, not yet merged
        self._out = None
        self.fresh = not self.dir.exists()
        if self.dir.exists():
            if not resume:
                raise InputError(
                    f"{self.dir} holds an interrupted run of {output.name}: continue it with --resume, "
                    "or delete that directory to start over"
                )
            self._reopen()
        else:
            self._create()

    # --- set-up ----------------------------------------------------------------------------------

    def _create(self) -> None:
        try:
            self.parts.mkdir(parents=True)
            _write_json(self.dir / "job.json", self.manifest)
            self._save()
            self._out = open(self.dir / "output", "wb")
        except OSError as e:
            raise OutputError(f"cannot write {self.output}: {e.strerror or e}") from None

    def _reopen(self) -> None:
        try:
            manifest = json.loads((self.dir / "job.json").read_text())
            state = json.loads((self.dir / "state.json").read_text())
        except (OSError, ValueError) as e:
            raise InputError(f"cannot resume from {self.dir}: its job files are unreadable ({e})") from None
        if manifest != self.manifest:
            what = [k for k in sorted(set(manifest) | set(self.manifest)) if manifest.get(k) != self.manifest.get(k)]
            raise InputError(
                f"cannot resume {self.output.name}: the {' and '.join(what)} differ from the interrupted run's "
                f"(delete {self.dir} to start over)"
            )
        self.merged, self.length = state["merged"], state["length"]
        self.ok, self.errors, self.complete = state["ok"], state["errors"], state.get("complete", False)
        out = self.dir / "output"
        if self.complete and not out.exists():
            return  # killed after the final rename: only the clean-up is left
        try:
            self._out = open(out, "r+b")
            if os.fstat(self._out.fileno()).st_size < self.length:
                raise InputError(f"cannot resume from {self.dir}: its output is shorter than recorded")
            self._out.truncate(self.length)  # drop an append that state.json does not vouch for
            self._out.seek(self.length)
            for entry in os.scandir(self.parts):
                part = parse_part_name(entry.name)
                if part is None:  # a temporary file a killed worker left
                    os.unlink(entry.path)
                elif part.index < self.merged:  # merged, but killed before it was deleted
                    os.unlink(entry.path)
                else:
                    self.done[part.index] = part
        except OSError as e:
            raise OutputError(f"cannot write {self.output}: {e.strerror or e}") from None

    # --- the run ---------------------------------------------------------------------------------

    def add(self, part: Part) -> list[Part]:
        """Take a finished part; append every part that is now next in order. Returns those merged."""
        self.done[part.index] = part
        return self.merge()

    def merge(self) -> list[Part]:
        merged = []
        try:
            while self.merged in self.done:
                part = self.done.pop(self.merged)
                with open(self.parts / part.name, "rb") as f:
                    shutil.copyfileobj(f, self._out, 2**20)
                merged.append(part)
                self.merged += 1
                self.ok += part.ok
                self.errors += part.errors
            if merged:
                self._out.flush()
                os.fsync(self._out.fileno())
                self.length = self._out.tell()
                self._save()
                for part in merged:
                    os.unlink(self.parts / part.name)
        except OSError as e:
            raise OutputError(f"cannot write {self.output}: {e.strerror or e}") from None
        return merged

    def finish(self) -> None:
        """Every chunk is merged: put the output in place and remove the job directory."""
        try:
            if self._out is not None:
                self._out.close()
                self._out = None
                self.complete = True
                self._save()
                os.replace(self.dir / "output", self.output)
            shutil.rmtree(self.dir)
        except OSError as e:
            raise OutputError(f"cannot write {self.output}: {e.strerror or e}") from None

    def discard(self) -> None:
        """Remove a job this run created before it did anything (the engine could not start)."""
        self.close()
        if self.fresh and self.merged == 0:
            shutil.rmtree(self.dir, ignore_errors=True)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def _save(self) -> None:
        state = {"merged": self.merged, "length": self.length, "ok": self.ok, "errors": self.errors}
        if self.complete:
            state["complete"] = True
        _write_json(self.dir / "state.json", state)


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(obj, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
