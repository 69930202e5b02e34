"""Shared by the testdata/collect/damaged/*/cmd cases (not a case itself).

Usage: python3 check.py [--csv] [--events FILE] [--rejects FILE] INPUT...

Reads the events CSV and the rejects CSV that evp-collect wrote (default
events.csv and rejects.csv) and prints, for the golden expected/stdout:

  - each reject as "line N: reason (detail)", and whether its raw field is
    the input line unchanged (for line_too_long, the line's first bytes);
  - conservation: the non-blank lines of the inputs (a compressed input
    is decompressed unit by unit up to its damage: gzip members with zlib,
    xz streams with Python's lzma, bzip2 streams with libbz2 (through
    ctypes: Python's bz2 drops what a failing call decoded), zstd frames,
    found by walking their headers, with the zstd program; the lines of a unit
    whose check fails are lines, to be refused as corrupt_member, and the
    last line of a truncated input is a line, to be refused as
    truncated_line; --csv: less one header row per input) against events
    plus rejects, and that every line of a damaged unit was refused.

Blank lines are empty or spaces and tabs only, after dropping the CR of a
CRLF line end, as evp-collect(1) says.
"""
import csv
import ctypes
import ctypes.util
import lzma
import subprocess
import sys
import zlib

csv.field_size_limit(sys.maxsize)


def gunzip(data):
    """Decompress concatenated gzip members.

    Return (good, bad, how): the text of the members whose check passed
    (and of a member cut short by the end of the file), the text decoded
    from a member whose check failed, and how the stream ended: "ok",
    "corrupt", "truncated" or "junk".
    """
    good, rest = [], data
    while rest:
        d = zlib.decompressobj(31)
        # One byte at a time for small files, so that the output decoded
        # before a deflate error is known, as a streaming reader knows it.
        step = 1 if len(rest) < 200000 else 65536
        i, out = 0, []
        try:
            while i < len(rest) and not d.eof:
                out.append(d.decompress(rest[i:i + step]))
                i += step
        except zlib.error:
            return b"".join(good), b"".join(out), "corrupt"
        if not d.eof:
            return b"".join(good + out), b"", "truncated"
        good += out
        rest = d.unused_data + rest[i:]
        if rest and rest[:2] != b"\x1f\x8b":
            return b"".join(good), b"", "junk"
    return b"".join(good), b"", "ok"


def units(data, new, magic, padding):
    """Decompress concatenated xz or bzip2 streams, as gunzip does.

    new() makes a decompressor of one stream; magic starts a stream;
    with padding, zero bytes in fours may follow a stream (xz).
    """
    good, rest = [], data
    while rest:
        d, out, i = new(), [], 0
        step = 1 if len(rest) < 200000 else 65536
        try:
            while i < len(rest) and not d.eof:
                out.append(d.decompress(rest[i:i + step]))
                i += step
        except (lzma.LZMAError, OSError, EOFError):
            out.append(getattr(d, "partial", b""))
            return b"".join(good), b"".join(out), "corrupt"
        if not d.eof:
            return b"".join(good + out), b"", "truncated"
        good += out
        rest = d.unused_data + rest[i:]
        if padding:
            z = len(rest) - len(rest.lstrip(b"\0"))
            if z % 4:
                return b"".join(good), b"", "junk"
            rest = rest[z:]
        if rest and not magic.startswith(rest[:len(magic)]) and \
                not rest.startswith(magic):
            return b"".join(good), b"", "junk"
    return b"".join(good), b"", "ok"


class BzStream(ctypes.Structure):
    _fields_ = [("next_in", ctypes.c_void_p), ("avail_in", ctypes.c_uint),
                ("total_in_lo32", ctypes.c_uint), ("total_in_hi32", ctypes.c_uint),
                ("next_out", ctypes.c_void_p), ("avail_out", ctypes.c_uint),
                ("total_out_lo32", ctypes.c_uint), ("total_out_hi32", ctypes.c_uint),
                ("state", ctypes.c_void_p), ("bzalloc", ctypes.c_void_p),
                ("bzfree", ctypes.c_void_p), ("opaque", ctypes.c_void_p)]


class Bunzip2:
    """One bzip2 stream, with the interface of lzma.LZMADecompressor."""
    lib = None

    def __init__(self):
        if Bunzip2.lib is None:
            Bunzip2.lib = ctypes.CDLL(ctypes.util.find_library("bz2"))
        self.s = BzStream()
        self.eof, self.unused_data = False, b""
        Bunzip2.lib.BZ2_bzDecompressInit(ctypes.byref(self.s), 0, 0)

    def decompress(self, data):
        inbuf = ctypes.create_string_buffer(data, len(data))
        out = []
        self.s.next_in = ctypes.addressof(inbuf)
        self.s.avail_in = len(data)
        while True:
            buf = ctypes.create_string_buffer(1 << 16)
            self.s.next_out = ctypes.addressof(buf)
            self.s.avail_out = len(buf)
            rc = Bunzip2.lib.BZ2_bzDecompress(ctypes.byref(self.s))
            out.append(buf.raw[:len(buf) - self.s.avail_out])
            if rc == 4:  # BZ_STREAM_END
                self.eof = True
                self.unused_data = data[len(data) - self.s.avail_in:]
                return b"".join(out)
            if rc != 0:
                self.partial = b"".join(out)
                raise OSError("corrupt bzip2 data")
            if self.s.avail_in == 0 and self.s.avail_out > 0:
                return b"".join(out)


def zstd_frame_end(data, at):
    """Where the zstd frame at data[at:] ends, or None if it is cut short."""
    if data[at] & 0xF0 == 0x50 and data[at + 1:at + 4] == b"\x2a\x4d\x18":
        end = at + 8 + int.from_bytes(data[at + 4:at + 8], "little")
        return end if end <= len(data) and at + 8 <= len(data) else None
    if at + 5 > len(data):
        return None
    fhd = data[at + 4]
    single = fhd >> 5 & 1
    fcs = [1 if single else 0, 2, 4, 8][fhd >> 6]
    pos = at + 5 + (0 if single else 1) + [0, 1, 2, 4][fhd & 3] + fcs
    while True:
        if pos + 3 > len(data):
            return None
        h = int.from_bytes(data[pos:pos + 3], "little")
        size = 1 if (h >> 1) & 3 == 1 else h >> 3
        pos += 3 + size
        if h & 1:
            break
    pos += 4 if fhd >> 2 & 1 else 0
    return pos if pos <= len(data) else None


def unzstd(data):
    """Decompress concatenated zstd frames with the zstd program, as gunzip.

    A frame whose check fails is decoded again without its checksum, for
    the data it holds.
    """
    good, at = [], 0
    while at < len(data):
        if data[at:at + 4] != b"\x28\xb5\x2f\xfd" and not (
                data[at] & 0xF0 == 0x50 and data[at + 1:at + 4] == b"\x2a\x4d\x18"):
            return b"".join(good), b"", "junk"
        end = zstd_frame_end(data, at)
        frame = data[at:end] if end is not None else data[at:]
        r = subprocess.run(["zstd", "-dcq"], input=frame, capture_output=True)
        if end is None:
            return b"".join(good) + r.stdout, b"", "truncated"
        if r.returncode != 0:
            r = subprocess.run(["zstd", "-dcq", "--no-check"], input=frame,
                               capture_output=True)
            return b"".join(good), r.stdout, "corrupt"
        good.append(r.stdout)
        at = end
    return b"".join(good), b"", "ok"


def lines_of(path):
    """The input's lines, and the number of the first damaged one (or 0)."""
    data = open(path, "rb").read()
    how, first_bad, bad = "ok", 0, b""
    if data[:2] == b"\x1f\x8b":
        data, bad, how = gunzip(data)
    elif data[:6] == b"\xfd7zXZ\x00":
        data, bad, how = units(data, lambda: lzma.LZMADecompressor(
            lzma.FORMAT_XZ), b"\xfd7zXZ\x00", True)
    elif data[:3] == b"BZh" and data[3:4] in b"123456789":
        data, bad, how = units(data, Bunzip2, b"BZh", False)
    elif data[:4] == b"\x28\xb5\x2f\xfd":
        data, bad, how = unzstd(data)
    if bad:
        # A line that runs into the damaged member is damaged.
        first_bad = data.count(b"\n") + 1
        data += bad
    lines = data.split(b"\n")
    last = lines.pop()  # after the last LF: a line without a line end
    if last:
        lines.append(last)
    if how == "truncated" and last:
        first_bad = len(lines)
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    return lines, first_bad


def blank(line):
    if line.endswith(b"\r"):
        line = line[:-1]
    return line.strip(b" \t") == b""


def rows(path):
    try:
        open(path).close()
    except FileNotFoundError:
        print(f"no {path}")
        return []
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        return list(csv.reader(f))[1:]


def main(argv):
    events, rejects, is_csv, inputs = "events.csv", "rejects.csv", False, []
    args = iter(argv)
    for a in args:
        if a == "--csv":
            is_csv = True
        elif a == "--events":
            events = next(args)
        elif a == "--rejects":
            rejects = next(args)
        else:
            inputs.append(a)
    files, first_bad = {}, {}
    for p in inputs:
        files[p], first_bad[p] = lines_of(p)
    n_in = 0
    for p, ls in files.items():
        nb = sum(1 for l in ls if not blank(l))
        if is_csv and nb > 0:
            nb -= 1
        n_in += nb
    ev = rows(events)
    rj = rows(rejects)
    refused = {(r[3], int(r[4])) for r in rj}
    for p, fb in first_bad.items():
        if fb == 0:
            continue
        missed = [n for n in range(fb, len(files[p]) + 1)
                  if not blank(files[p][n - 1]) and (p, n) not in refused]
        print(f"damaged lines {fb}-{len(files[p])} of {p} all refused: "
              + ("yes" if not missed else f"NO (not {missed[:5]})"))
    for r in rj:
        reason, detail, source, line, raw = r[1], r[2], r[3], int(r[4]), r[5]
        raw = raw.encode("utf-8", "surrogateescape")
        where = f"{source}:{line}" if len(inputs) > 1 else f"line {line}"
        print(f"{where}: {reason} ({detail})")
        src = files.get(source)
        if src is None:
            print(f"  source {source!r} is not an input")
            continue
        text = src[line - 1] if 0 < line <= len(src) else None
        if text is not None and text.endswith(b"\r"):
            text = text[:-1]
        if reason == "line_too_long":
            ok = text is not None and text.startswith(raw) and len(raw) < len(text)
            print(f"  raw is the line's first {len(raw)} of {len(text or b'')} bytes: "
                  + ("yes" if ok else "NO"))
        elif raw != text:
            print(f"  raw is NOT line {line}: {raw[:80]!r} != {(text or b'')[:80]!r}")
    ok = n_in == len(ev) + len(rj)
    print(f"conservation: {n_in} in = {len(ev)} events + {len(rj)} rejects: "
          + ("yes" if ok else "NO"))


main(sys.argv[1:])
