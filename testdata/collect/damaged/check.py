"""Shared by the testdata/collect/damaged/*/cmd cases (not a case itself).

Usage: python3 check.py [--csv] [--events FILE] [--rejects FILE] INPUT...

Reads the events CSV and the rejects CSV that evp-collect wrote (default
events.csv and rejects.csv) and prints, for the golden expected/stdout:

  - each reject as "line N: reason (detail)", and whether its raw field is
    the input line unchanged (for line_too_long, the line's first bytes);
  - conservation: the non-blank lines of the inputs (a gzip input is
    decompressed with zlib up to its damage, and a line cut by the damage
    is not a line; --csv: less one header row per input) against events
    plus rejects.

Blank lines are empty or spaces and tabs only, after dropping the CR of a
CRLF line end, as evp-collect(1) says.
"""
import csv
import sys
import zlib

csv.field_size_limit(sys.maxsize)


def gunzip(data):
    """Decompress concatenated gzip members; return (text, damaged)."""
    out = []
    rest = data
    while rest:
        d = zlib.decompressobj(31)
        # One byte at a time for small files, so that the output decoded
        # before a deflate error is kept, as a streaming reader keeps it.
        step = 1 if len(rest) < 200000 else 65536
        i = 0
        try:
            while i < len(rest) and not d.eof:
                out.append(d.decompress(rest[i:i + step]))
                i += step
        except zlib.error:
            return b"".join(out), True
        if not d.eof:
            return b"".join(out), True  # truncated
        rest = d.unused_data + rest[i:]
        if rest and rest[:2] != b"\x1f\x8b":
            return b"".join(out), True  # junk after the last member
    return b"".join(out), False


def lines_of(path):
    data = open(path, "rb").read()
    damaged = False
    if data[:2] == b"\x1f\x8b":
        data, damaged = gunzip(data)
    lines = data.split(b"\n")
    last = lines.pop()  # after the last LF: a line without a line end
    if last and not damaged:
        lines.append(last)
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    return lines


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
    files = {p: lines_of(p) for p in inputs}
    n_in = 0
    for p, ls in files.items():
        nb = sum(1 for l in ls if not blank(l))
        if is_csv and nb > 0:
            nb -= 1
        n_in += nb
    ev = rows(events)
    rj = rows(rejects)
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
