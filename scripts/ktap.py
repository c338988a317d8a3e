#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""KUnit results of one boot, read with the kernel's own KTAP parser.

The kernel log (the dmesg dump /init prints between its markers) goes
through tools/testing/kunit/kunit_parser.py of the tree that was built,
the parser `kunit.py parse` uses, so crashes, truncated suites and nested
parameterised tests are judged as the kernel's tooling judges them.
One result line per case and one per suite is printed as
"GROUP<TAB>pass|fail|skip<TAB>kunit:SUITE[.CASE]<TAB>REASON".
Each follows KUnit's own verdict (verdict() below): a suite or case that
KUnit failed, or that crashed, reported no test or did not parse, fails;
one KUnit skipped is a skip, with its reason (the manifest, or a
variant's EXPECT_PASS, fails a skip where a pass is required); only a
success passes.

Usage: ktap.py KUNIT_DIR GROUP < console
"""

import re
import sys

def verdict(test):
	"""pass, fail or skip for a suite or case, as KUnit judges it.

	KUnit's status of the test (from its own result line: SUCCESS,
	FAILURE, SKIPPED; or TEST_CRASHED, NO_TESTS, FAILURE_TO_PARSE_TESTS)
	and the counts of what is below it (kunit_parser's TestCounts), the
	worse of the two: a suite whose result line says "ok" while one of its
	cases failed or crashed fails, one whose cases were all skipped is a
	skip. KTAP errors in it (a missing case, a wrong number) fail it too.
	"""
	status = test.status.name
	counts = test.counts
	if status not in ("SUCCESS", "SKIPPED") or counts.failed or counts.crashed or counts.errors:
		return "fail"
	if status == "SKIPPED" or (counts.skipped and not counts.passed):
		return "skip"
	return "pass"


def dmesg_lines(console):
	"""The lines between /init's dmesg markers (all lines if none)."""
	lines, inside, seen = [], False, False
	for line in console:
		line = line.rstrip("\r\n")
		if "==== dmesg begin ====" in line:
			inside, seen = True, True
			continue
		if "==== dmesg end ====" in line:
			inside = False
			continue
		if inside:
			lines.append(line + "\n")
	return lines if seen else []


def reason(test):
	"""What a failed test printed, for its failure reason.

	Each "# CASE: EXPECTATION FAILED at FILE:LINE" (or ASSERTION) line
	of the test's log, with the lines KUnit prints under it: the
	expression, the value of each side and the test's own message
	("Expected pte_memattr == memattr, but pte_memattr == 1 memattr == 5
	pte 0x..."), on one line, whitespace folded. Negative variants match
	their stated reason against this text (scripts/negative.sh), so it
	must name the field and the values, not only a line number. Without
	such a line: the last two diagnostic lines.
	"""
	fails, diag = [], []
	for raw in test.log:
		l = " ".join(raw.split())
		if not l:
			continue
		if l.startswith("#"):
			d = l.lstrip("# ").strip()
			if re.match(r"\S+: (EXPECTATION|ASSERTION) FAILED at ", d):
				fails.append([d])
			elif not re.match(r".*: pass:\d+ fail:\d+", d):
				diag.append(d)
		elif fails and not re.match(r"(not )?ok \d+", l):
			fails[-1].append(l)
	if fails:
		text = "; ".join(f[0] + (": " + " ".join(f[1:]) if f[1:] else "") for f in fails)
	else:
		text = "; ".join(diag[-2:])
	return text[:400]


OUT = sys.stdout


def emit(group, status, name, why=""):
	why = why.replace("\t", " ")
	print(f"{group}\t{status}\t{name}\t{why}", file=OUT)


def main():
	if len(sys.argv) != 3:
		sys.exit("usage: ktap.py KUNIT_DIR GROUP < console")
	sys.path.insert(0, sys.argv[1])
	# The parser's own report goes to standard error (the step log).
	sys.stdout = sys.stderr
	import kunit_parser  # the kernel's own parser

	group = sys.argv[2]
	lines = dmesg_lines(sys.stdin)
	if not lines:
		return
	root = kunit_parser.parse_run_tests(lines)
	# kunit_parser keeps no SKIP reason: take it from the result line.
	skip_why = {}
	for line in lines:
		m = re.match(r"\s*ok \d+ (\S+) # SKIP ?(.*)", line)
		if m:
			skip_why[m.group(1)] = m.group(2).strip()
	if not root.subtests:
		return
	for suite in root.subtests:
		for case in suite.subtests:
			if not case.name:
				continue	# a case that never reported: the suite fails
			st = verdict(case)
			why = skip_why.get(case.name, "") if st == "skip" else ""
			if st == "fail":
				why = reason(case) or f"KUnit status {case.status.name.lower()}"
			emit(group, st, f"kunit:{suite.name}.{case.name}", why)
		expected = suite.expected_count
		got = sum(1 for case in suite.subtests if case.name)
		c = suite.counts
		tally = (f"plan 1..{expected}, {got} cases reported: {c.passed} passed, {c.failed} failed, "
			 f"{c.crashed} crashed, {c.skipped} skipped; {c.errors} KTAP errors (kunit_parser)")
		st = verdict(suite)
		if st == "fail":
			kstat = f"suite {suite.status.name.lower()}"
			if suite.status.name == "FAILURE":
				# What the suite itself printed (its init, its exit).
				own = reason(suite)
				kstat = "KUnit failed the suite" + (f" ({own})" if own else "")
			elif suite.status.name in ("SUCCESS", "SKIPPED"):
				kstat = f"its result line says {'ok' if suite.status.name == 'SUCCESS' else 'SKIP'}, but not every case passed"
			emit(group, "fail", f"kunit:{suite.name}", f"{kstat}: {tally}")
		elif st == "skip":
			why = skip_why.get(suite.name, "")
			emit(group, "skip", f"kunit:{suite.name}", f"KUnit skipped the suite{': ' + why if why else ''}; {tally}")
		else:
			emit(group, "pass", f"kunit:{suite.name}", f"plan 1..{expected}, {got} cases reported")


if __name__ == "__main__":
	main()
