#!/usr/bin/env python3
"""Choose the committed corpus of one harness: at most LIMIT files of at most
64 KiB that cover as many edges as the committed corpus and a campaign's
scratch corpus do together.

    tests/fuzz/mincorpus.py FUZZER NAME SCRATCH [LIMIT]

FUZZER is the libFuzzer binary (tests/fuzz/libfuzzer.sh build), NAME the
harness, SCRATCH the campaign's corpus directory. libFuzzer's -merge=1 writes
the edges each input covers to a control file; this picks greedily the input
that adds the most edges not yet covered (a committed file wins a tie, then
the smaller one) until nothing adds an edge or LIMIT files are chosen, then
rewrites tests/fuzz/corpus/NAME: committed files keep their names, new ones
are named by their SHA-1 as libFuzzer names them."""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

MAX_SIZE = 64 * 1024


def main():
    fuzzer, name, scratch = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    corpus = os.path.join('tests', 'fuzz', 'corpus', name)
    with tempfile.TemporaryDirectory() as tmp:
        ctl = os.path.join(tmp, 'ctl')
        out = os.path.join(tmp, 'out')
        os.mkdir(out)
        subprocess.run([fuzzer, '-merge=1', '-use_counters=0', '-max_len=%d' % MAX_SIZE,
                        '-merge_control_file=' + ctl, out, corpus, scratch],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        with open(ctl) as f:
            lines = f.read().splitlines()
    nfiles = int(lines[0])
    files = lines[2:2 + nfiles]
    cov = {}
    for line in lines[2 + nfiles:]:
        parts = line.split()
        if parts and parts[0] == 'COV':
            cov[int(parts[1])] = set(map(int, parts[2:]))
    committed = os.path.abspath(corpus)
    cand = []
    for i, path in enumerate(files):
        size = os.path.getsize(path)
        if i in cov and size <= MAX_SIZE:
            seed = os.path.dirname(os.path.abspath(path)) == committed
            cand.append((i, path, size, seed))
    union = set().union(*(cov[i] for i, _, _, _ in cand)) if cand else set()
    covered, chosen = set(), []
    while len(chosen) < limit:
        best = max(cand, key=lambda c: (len(cov[c[0]] - covered), c[3], -c[2]), default=None)
        if best is None or not cov[best[0]] - covered:
            break
        covered |= cov[best[0]]
        chosen.append(best)
        cand.remove(best)
    data = []
    for _, path, _, seed in chosen:
        with open(path, 'rb') as f:
            body = f.read()
        data.append((os.path.basename(path) if seed else hashlib.sha1(body).hexdigest(), body))
    shutil.rmtree(corpus)
    os.makedirs(corpus)
    for fname, body in data:
        with open(os.path.join(corpus, fname), 'wb') as f:
            f.write(body)
    print('%s: %d files, %d of %d edges (%d committed kept)' % (
        name, len(data), len(covered), len(union), sum(1 for c in chosen if c[3])))


if __name__ == '__main__':
    main()
