"""Which local files to read for some paths: folders walked once, each file once, nothing silent.

Rules (each from a defect found by trying to break the kit, issue 17):

* a folder that cannot be listed (permissions, removed while walking) is an error, or with
  `on_error="skip"` a skipped folder: never "0 records" without a word (`os.walk` ignores such
  errors unless given an `onerror` handler - https://docs.python.org/3/library/os.html#os.walk);
* symlinked folders are followed once: a folder whose real path was already walked (a link
  loop, or the same folder reached twice) is listed as ignored, not walked again;
* each file is read once however the paths given overlap (`scan D D/sub`, `scan f f`): files
  are told apart by their real path;
* only regular files are opened: a FIFO named `x.json` would block the reader forever and
  `/dev/zero` never ends, so non-regular files are skipped and counted, never opened.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from signin_lab.errors import SigninLabError

#: Suffixes read when a folder is walked; anything else in a folder is listed as ignored.
#: Files named explicitly are always read, whatever their name.
EVENT_SUFFIXES: tuple[str, ...] = (".json", ".jsonl", ".ndjson", ".csv", ".log", ".gz")
#: CloudTrail's digest files (log file integrity validation) hold hashes, not records:
#: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
#: AWS Config's ConfigWritabilityCheckFile (its write test in a shared bucket) is not records either:
#: https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
DIGEST = re.compile(r"CloudTrail-Digest|ConfigWritabilityCheck")


@dataclass
class Found:
    """The files to read, the files ignored, and the problems met: (path, reason, kind)."""

    files: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # kind "file" | "folder"


def _kind_of(mode: int) -> str:
    """A file type's name for messages ("a FIFO", "a character device", ...)."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"


def walk_paths(paths: Iterable[str | Path], *, strict: bool) -> Found:
    """The files under `paths` (folders walked recursively, sorted within each folder given).

    `strict`: a folder that cannot be listed, or a file that cannot be examined, raises
    SigninLabError naming it; otherwise it is recorded in `.problems`. A path that does not
    exist is always an error; a non-regular file (FIFO, device) is never opened: named
    explicitly with `strict` it raises, otherwise (e.g. met in a folder) it is in `.problems`.
    Hidden folders (.git) are not entered; hidden files, digest files and files without an event
    suffix are listed as ignored.
    """
    walker = _Walker(strict)
    for raw in paths:
        path = os.fspath(raw)
        mode = _top_mode(path)
        if stat.S_ISDIR(mode):
            walker.walk_folder(path)
        else:
            walker.add_file(path, mode, explicit=True)
    return walker.found


def _top_mode(path: str) -> int:
    """The st_mode of a path given by the caller: one that is missing or unreadable is an error."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        raise SigninLabError(f"{path}: no such file or folder", field="paths") from None
    except OSError as exc:
        raise SigninLabError(f"{path}: cannot examine: {exc.strerror or exc}", field="paths") from None


class _Walker:
    """One walk over the paths given: what it found, and the files and folders already seen."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found = Found()
        self.seen_files: set[str] = set()
        self.seen_dirs: set[str] = set()

    def add_file(self, path: str, mode: int, explicit: bool = False, real: str | None = None) -> None:
        """List a file to read once (by real path, `real` if known); a non-regular file is a
        problem, never opened."""
        if not stat.S_ISREG(mode):
            if self.strict and explicit:
                raise SigninLabError(f"{path}: not a regular file ({_kind_of(mode)})", field="paths")
            self.found.problems.append((path, f"not a regular file ({_kind_of(mode)}): not opened", "file"))
            return
        real = real or os.path.realpath(path)
        if real not in self.seen_files:  # the same file reached twice is read once
            self.seen_files.add(real)
            self.found.files.append(path)

    def walk_error(self, exc: OSError) -> None:
        """os.walk's onerror: a folder that cannot be listed raises (strict) or is a problem."""
        where = exc.filename or "?"
        reason = f"cannot list folder: {exc.strerror or exc}"
        if self.strict:
            raise SigninLabError(f"{where}: {reason}", field="paths")
        self.found.problems.append((str(where), reason, "folder"))

    def walk_folder(self, path: str) -> None:
        """Walk one folder given (once, by real path) and add its event files in sorted order."""
        top_real = os.path.realpath(path)
        if top_real in self.seen_dirs:
            return  # already walked as part of an earlier path
        self.seen_dirs.add(top_real)
        candidates: list[tuple[str, int, str]] = []
        for dirpath, dirnames, filenames in os.walk(path, onerror=self.walk_error, followlinks=True):
            self.prune_folders(dirpath, dirnames)
            candidates.extend(self.event_files(dirpath, filenames))
        for full, mode, real in sorted(candidates):
            self.add_file(full, mode, real=real)

    def prune_folders(self, dirpath: str, dirnames: list[str]) -> None:
        """Drop from `dirnames` (in place, as os.walk allows) hidden, digest and already-walked folders."""
        for name in list(dirnames):
            full = os.path.join(dirpath, name)
            if name.startswith("."):
                dirnames.remove(name)
            elif DIGEST.search(name):
                dirnames.remove(name)
                self.found.ignored.append(full)
            else:
                real = os.path.realpath(full)
                if real in self.seen_dirs:  # a link loop or a folder reached twice: walked once
                    dirnames.remove(name)
                    if os.path.islink(full):
                        self.found.ignored.append(full)
                else:
                    self.seen_dirs.add(real)

    def event_files(self, dirpath: str, filenames: list[str]) -> list[tuple[str, int, str]]:
        """The (path, st_mode, real path) of a folder's event files; the others are listed as
        ignored. The folder's real path is found once: a file that is not a link is in it."""
        out: list[tuple[str, int, str]] = []
        real_dir = None
        for name in filenames:
            full = os.path.join(dirpath, name)
            if name.startswith(".") or DIGEST.search(name) or not name.lower().endswith(EVENT_SUFFIXES):
                self.found.ignored.append(full)
                continue
            try:
                mode = os.lstat(full).st_mode
                if stat.S_ISLNK(mode):
                    out.append((full, os.stat(full).st_mode, os.path.realpath(full)))
                    continue
                real_dir = real_dir or os.path.realpath(dirpath)
                out.append((full, mode, os.path.join(real_dir, name)))
            except OSError as exc:  # a dangling link, or removed while walking
                if self.strict:
                    raise SigninLabError(f"{full}: cannot examine: {exc.strerror or exc}", field="paths") from None
                self.found.problems.append((full, f"cannot examine: {exc.strerror or exc}", "file"))
        return out
