"""Reading a file that may be gzip, with its decompressed size capped (a gzip bomb stops at the cap).

Gzip is inflated in bounded steps, member by member, so memory never holds more than the cap
however small the compressed file; going over it is an EventFileError naming the file and the
cap. Used by every reader of CloudTrail files (signin_lab.events.formats) and by both engines.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import Any

from signin_lab.errors import SigninLabError

#: The most bytes one file may hold once decompressed (a gzip bomb stops here); configurable
#: per call with `load_records(..., max_bytes=...)`.
MAX_BYTES = 1 << 30
_STEP = 1 << 20  # gzip is inflated at most this many bytes at a time
_GZIP_MAGIC = b"\x1f\x8b"


class EventFileError(SigninLabError):
    """A file, line or record that is not CloudTrail: names the file and where in it."""

    def __init__(self, path: Path | str, where: str | None, reason: str) -> None:
        self.path = str(path)
        self.where = where
        self.reason = reason
        place = f"{self.path}: {where}" if where else self.path
        super().__init__(f"{place}: {reason}")


def _too_big(path: str, cap: int) -> EventFileError:
    return EventFileError(
        path, None, f"holds more than {cap:,} bytes once decompressed (the cap, max_bytes):"
        " not read (a gzip bomb, or pass a larger max_bytes)"
    )


def _gunzip(path: str, data: bytes, cap: int) -> bytes:
    """Decompress gzip data (every member, CRC checked) in bounded steps, stopping at `cap`.

    The last member's trailer (ISIZE, the size modulo 2**32: RFC 1952 section 2.3.1) can only
    understate a valid file's size; when it is above `cap` the output is counted, not kept, so
    a gzip bomb costs no memory (the file may also be truncated: inflating tells which).
    """
    keep = len(data) < 18 or int.from_bytes(data[-4:], "little") <= cap
    out: list[bytes] | None = [] if keep else None
    total = 0
    rest = data
    while True:
        inflate = zlib.decompressobj(31)
        try:
            total = _inflate_member(path, inflate, rest, cap, total, out)
        except zlib.error as exc:
            raise EventFileError(path, None, f"not a valid gzip file: {exc}") from None
        if not inflate.eof:
            raise EventFileError(path, None, "truncated gzip file (ends before its end marker)")
        rest = inflate.unused_data
        if not rest.strip(b"\x00"):  # no further member (zero padding is allowed)
            return b"".join(out or [])
        if rest[:2] != _GZIP_MAGIC:
            raise EventFileError(path, None, "not a valid gzip file: data after the last member")


def _inflate_member(
    path: str, inflate: Any, chunk: bytes, cap: int, total: int, out: list[bytes] | None
) -> int:
    """Feed one gzip member to `inflate` in `_STEP` steps; the running total, over `cap` an error.

    The output is appended to `out`, or only counted when `out` is None.
    """
    while chunk:
        total = _take(path, inflate.decompress(chunk, _STEP), total, cap, out)
        chunk = inflate.unconsumed_tail
    while not inflate.eof:  # input all given, output may still be pending
        piece = inflate.decompress(b"", _STEP)
        if not piece:
            break
        total = _take(path, piece, total, cap, out)
    return total


def _take(path: str, piece: bytes, total: int, cap: int, out: list[bytes] | None) -> int:
    """Count (and keep, when `out` is a list) one piece of output; more than `cap` bytes in all raises."""
    total += len(piece)
    if total > cap:
        raise _too_big(path, cap)
    if out is not None:
        out.append(piece)
    return total


def _read_all(path: str, cap: int) -> bytes:
    """The whole file (gunzipped when it is gzip); more than `cap` bytes is an EventFileError."""
    try:
        with open(path, "rb") as f:
            data = f.read(cap + 1)
    except OSError as exc:
        raise EventFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if data[:2] == _GZIP_MAGIC:
        return _gunzip(path, data, cap)  # the compressed size is at most the decompressed one
    if len(data) > cap:
        raise _too_big(path, cap)
    return data


class _Capped(io.RawIOBase):
    """A gzip stream that raises EventFileError once it has produced more than `cap` bytes."""

    def __init__(self, path: str, inner: io.BufferedIOBase, cap: int) -> None:
        self._path = path
        self._inner = inner
        self._left = cap
        self._cap = cap

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read1(min(len(buffer), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise _too_big(self._path, self._cap)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def _open_stream(path: str, cap: int) -> io.BufferedIOBase:
    """A binary stream of the file's content, gunzipped on the fly (at most `cap` bytes)."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the reader that consumes it
    except OSError as exc:
        raise EventFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if raw.peek(2)[:2] == _GZIP_MAGIC:
        raw.close()
        inner = gzip.open(path, "rb")  # noqa: SIM115 - owns the file; closed with the stream
        return io.BufferedReader(_Capped(path, inner, cap))  # type: ignore[arg-type,return-value]
    return raw
