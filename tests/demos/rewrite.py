#!/usr/bin/env python3
"""Rewrite the loopback stand-ins of a demo capture into the demo's addresses.

    rewrite.py IN OUT FROM=TO [FROM=TO ...]

Each FROM=TO is an IPv4 address pair: FROM is replaced by TO wherever it
appears as a whole address, and its reversed form (7.113.0.127 in a
blocklist query or a PTR name) by TO's reversed form. The capture is walked
as JSON: every string is rewritten, and so is every base64 "data" field
(the raw bytes of a TXT record), so the decoded text and the raw bytes stay
the same record. Nothing else changes; the file is written as captures are
(indented, keys in their order).
"""
import base64
import binascii
import json
import re
import sys


def reverse(ip):
    return ".".join(reversed(ip.split(".")))


def compile_pairs(args):
    pairs = []
    for arg in args:
        src, dst = arg.split("=", 1)
        for a, b in ((src, dst), (reverse(src), reverse(dst))):
            # A whole address: no digit or dot glued on the left, no digit on the right.
            pat = re.compile(r"(?<![0-9.])" + re.escape(a) + r"(?![0-9])")
            pairs.append((pat, b))
    return pairs


def fix_text(s, pairs):
    for pat, b in pairs:
        s = pat.sub(b, s)
    return s


def fix_data(s, pairs):
    try:
        raw = base64.b64decode(s, validate=True)
        text = raw.decode("latin-1")
    except (binascii.Error, ValueError):
        return fix_text(s, pairs)
    new = fix_text(text, pairs)
    if new == text:
        return s
    return base64.b64encode(new.encode("latin-1")).decode("ascii")


def walk(v, pairs, key=None):
    if isinstance(v, dict):
        return {k: walk(x, pairs, k) for k, x in v.items()}
    if isinstance(v, list):
        return [walk(x, pairs, key) for x in v]
    if isinstance(v, str):
        return fix_data(v, pairs) if key == "data" else fix_text(v, pairs)
    return v


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: rewrite.py IN OUT FROM=TO [FROM=TO ...]")
    pairs = compile_pairs(sys.argv[3:])
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    doc = walk(doc, pairs)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
