#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# The soak's backing file, read after QEMU exited (scripts/soak.sh):
# every word of the soak's page holds the guest's last store to it (word
# w: the largest counter <= last that is w modulo words), every other
# word is 0. Prints what it found; exits 1 on any difference.
# Usage: soak-file-check.py FILE offset=OFF words=N last=L
import struct
import sys

if len(sys.argv) != 5:
    sys.exit("usage: soak-file-check.py FILE offset=OFF words=N last=L")
path = sys.argv[1]
try:
    args = dict(a.split("=", 1) for a in sys.argv[2:])
    off, words, last = int(args["offset"], 0), int(args["words"]), int(args["last"])
except (KeyError, ValueError) as e:
    sys.exit("soak-file-check.py: bad soak-final line %s: %s" % (sys.argv[2:], e))
data = open(path, "rb").read()
vals = struct.unpack("<%dQ" % (len(data) // 8), data[:len(data) // 8 * 8])
base = off // 8
if base + words > len(vals):
    print("the soak's page [%#x, +%d words) is past the end of %s" % (off, words, path))
    sys.exit(1)
bad = []
for w in range(words):
    want = last - (last - w) % words
    if vals[base + w] != want:
        bad.append("word %d holds %#x, the guest's last store there was %#x" % (w, vals[base + w], want))
stray = sum(1 for i, v in enumerate(vals) if v and not base <= i < base + words)
if stray:
    bad.append("%d non-zero words outside the soak's page" % stray)
if bad:
    print("; ".join(bad[:3]) + ("; ..." if len(bad) > 3 else ""))
    sys.exit(1)
print("%d words as last stored (last=%d), the other %d words 0" % (words, last, len(vals) - words))
