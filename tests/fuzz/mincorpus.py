#!/usr/bin/env python3
"""Choose the committed corpus of one harness: at most LIMIT files of at most
64 KiB that cover as many edges as the committed corpus and a campaign's
scratch corpus do together.

    tests/fuzz/mincorpus.py FUZZER NAME SCRATCH [LIMIT]

FUZZER is the libFuzzer binary (tests/fuzz/libfuzzer.sh build), NAME the
harness, SCRATCH the campaign's corpus directory. libFuzzer's -merge=1 writes
the edges each input covers to a control file (run here on one input at a
time, since it lists only the edges an input adds). Two choices are made: (a) every
committed file that covers an edge, then the new input that adds the most
edges not yet covered, again and again; (b) the same greedy pick from the
start over all inputs (a committed file wins a tie, then the smaller one).
Each stops when nothing adds an edge or LIMIT files are chosen. The one
covering more edges is kept, (a) on a tie since its files are real examples.
tests/fuzz/corpus/NAME is then rewritten: committed files keep their names,
new ones are named by their SHA-1 as libFuzzer names them. Seeds kept outside
the corpus (FIXTURES: the real captures the unit tests read) count as covered
from the start and are never written."""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

MAX_SIZE = 64 * 1024
FIXTURES = {'capture': os.path.join('tests', 'fixtures', 'captures')}


def edges(fuzzer, path, tmp):
    """The edges one input covers: libFuzzer's merge lists in its control
    file the edges each input adds, so one input at a time gives them all."""
    one, out, ctl = (os.path.join(tmp, x) for x in ('one', 'out', 'ctl'))
    for d in (one, out):
        shutil.rmtree(d, ignore_errors=True)
        os.mkdir(d)
    shutil.copy(path, os.path.join(one, 'input'))
    if os.path.exists(ctl):
        os.unlink(ctl)
    subprocess.run([fuzzer, '-merge=1', '-use_counters=0', '-max_len=%d' % MAX_SIZE,
                    '-merge_control_file=' + ctl, out, one],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    if not os.path.exists(ctl):
        return set()  # libFuzzer merges nothing from an empty input
    with open(ctl) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == 'COV':
                return set(map(int, parts[2:]))
    return set()


def main():
    fuzzer, name, scratch = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    corpus = os.path.join('tests', 'fuzz', 'corpus', name)
    committed = os.path.abspath(corpus)
    cand, cov = [], {}
    paths = [os.path.join(corpus, f) for f in sorted(os.listdir(corpus))]
    fixed_dir = FIXTURES.get(name)
    fixed = [os.path.join(fixed_dir, f) for f in sorted(os.listdir(fixed_dir))] if fixed_dir else []
    with tempfile.TemporaryDirectory() as tmp:
        base = set()
        for path in fixed:
            base |= edges(fuzzer, path, tmp)
        # A plain merge first cuts the scratch corpus to the inputs that add
        # something (hundreds of files to tens), without losing an edge.
        pre = os.path.join(tmp, 'pre')
        os.mkdir(pre)
        subprocess.run([fuzzer, '-merge=1', '-use_counters=0', '-max_len=%d' % MAX_SIZE, pre,
                        scratch], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        paths += [os.path.join(pre, f) for f in sorted(os.listdir(pre))]
        for i, path in enumerate(paths):
            size = os.path.getsize(path)
            if size > MAX_SIZE:
                continue
            cov[i] = edges(fuzzer, path, tmp)
            seed = os.path.dirname(os.path.abspath(path)) == committed
            cand.append((i, path, size, seed))
        union = base.union(*(cov[i] for i, _, _, _ in cand))

        def greedy(chosen, rest):
            covered = base.union(*(cov[c[0]] for c in chosen))
            rest = list(rest)
            while len(chosen) < limit:
                best = max(rest, key=lambda c: (len(cov[c[0]] - covered), c[3], -c[2]), default=None)
                if best is None or not cov[best[0]] - covered:
                    break
                covered |= cov[best[0]]
                chosen.append(best)
                rest.remove(best)
            return chosen, covered

        seeds = [c for c in cand if c[3] and cov[c[0]]][:limit]
        a = greedy(list(seeds), [c for c in cand if c not in seeds])
        b = greedy([], cand)
        chosen, covered = a if len(a[1]) >= len(b[1]) else b
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
    print('%s: %d files, %d of %d edges (%d committed kept; %d fixtures counted)' % (
        name, len(data), len(covered), len(union), sum(1 for c in chosen if c[3]), len(fixed)))


if __name__ == '__main__':
    main()
