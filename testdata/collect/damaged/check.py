"""Shared by the testdata/collect/damaged/*/cmd cases (not a case itself).

Usage: python3 check.py [--csv] [--events FILE] [--rejects FILE] INPUT...

Reads the events CSV and the rejects CSV that evp-collect wrote (default
events.csv and rejects.csv) and prints, for the golden expected/stdout:

  - each reject as "line N: reason (detail)", and whether its raw field is
    the input line unchanged (for line_too_long, the line's first bytes);
  - conservation: the non-blank lines of the inputs (a gzip input is
    decompressed with zlib member by member up to its damage: the lines of
    a member whose check fails are lines, to be refused as corrupt_member,
    and the last line of a truncated input is a line, to be refused as
    truncated_line; --csv: less one header row per input) against events
    plus rejects, and that every line of a damaged member was refused.

Blank lines are empty or spaces and tabs only, after dropping the CR of a
CRLF line end, as evp-collect(1) says.
"""
import csv
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


def lines_of(path):
    """The input's lines, and the number of the first damaged one (or 0)."""
    data = open(path, "rb").read()
    how, first_bad, bad = "ok", 0, b""
    if data[:2] == b"\x1f\x8b":
        data, bad, how = gunzip(data)
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
