#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The step-time table of a run: per base and step, the wall seconds and
# the ratio to the run's "kernel build" (the kernel step of base 6.1;
# when that one was reused and took almost nothing, the run's largest
# kernel build, named), per base the total, and the run's total in kernel
# builds. Input: step-time files (lib.sh step_begin/step_end lines, a
# partial one too: a step that began and never ended is listed as such,
# and one that died, marked),
# or with --log the output of a make check (its "==> STEP" and
# "<== STEP done in Ns" lines; a step's base: the last one a line named,
# or before any, the first one named).
# Usage: step-times.sh [-o OUT.tsv] [--log] FILE...    the table
#        step-times.sh --running FILE...   the step begun last, not ended
#        step-times.sh --top N FILE...     the N longest steps, one line
# STEP_TIMES_MIN_UNIT (60): a kernel step shorter than this was reused.
out= log= mode=table top=0
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=${2:?step-times.sh: -o needs a file}; shift 2;;
	--log) log=1; shift;;
	--running) mode=running; shift;;
	--top) mode=top top=${2:-}; shift 2
		[[ $top =~ ^[1-9][0-9]*$ ]] || { echo "step-times.sh: --top needs a count, not '$top'" >&2; exit 2; };;
	-*) echo "step-times.sh: unknown option '$1'" >&2; exit 2;;
	*) break;;
	esac
done
[ $# -gt 0 ] || { echo "usage: step-times.sh [-o OUT.tsv] [--log] FILE... | --running FILE... | --top N FILE..." >&2; exit 2; }
[ -z "$out" ] || : >"$out" || { echo "step-times.sh: cannot write '$out'" >&2; exit 1; }
for f; do [ -r "$f" ] || { echo "step-times.sh: cannot read '$f' (no step-time file: did the run start?)" >&2; exit 1; }; done

# --log: the console's step lines as step-time lines (a step begun while
# another is open is inside it; a step that ends pops the ones begun
# after it, which died without their end line; so does its "[STEP]
# FAILED:" line; make's "make: *** ..." line pops every one: the recipe
# that ran them has ended).
from_log() {
	awk '
	match($0, /bases\/[0-9][0-9.]*[0-9]\.conf|\/build\/[0-9][0-9.]*[0-9]\//) {
		b = substr($0, RSTART, RLENGTH); gsub(/bases\/|\.conf|\/build\/|\//, "", b); cur = b
		if (first == "") first = b
	}
	/^make(\[[0-9]+\])?: \*\*\* / { d = 0 }
	/^\[[^] ]+\] FAILED: / { s = substr($1, 2, length($1) - 2); for (i = d; i > 0 && st[i] != s; i--) ; if (i) d = i - 1 }
	$1 == "==>" { st[++d] = $2; sb[d] = cur; sl[d] = "L" NR; o[++n] = cur "\t" $2 "\t-\t" sl[d] "\t" d - 1 "\t-" }
	$1 == "<==" && $3 == "done" && $4 == "in" && $5 ~ /^[0-9]+s$/ {
		for (i = d; i > 0 && st[i] != $2; i--) ;
		if (i) { o[++n] = sb[i] "\t" $2 "\t" $5 + 0 "\t" sl[i] "\t" i - 1 "\t-"; d = i - 1 }
		else o[++n] = cur "\t" $2 "\t" $5 + 0 "\tL" NR "\t0\t-"
	}
	END { for (i = 1; i <= n; i++) print (o[i] ~ /^\t/ ? first : "") o[i] }' "$@"
}

{ if [ -n "$log" ]; then from_log "$@"; else cat "$@"; fi; } |
awk -F'\t' -v mode="$mode" -v top="$top" -v out="$out" -v minunit="${STEP_TIMES_MIN_UNIT:-60}" \
    -v once=" harness-selftests differential " '
function name(k) { return B[k] "/" S[k] }
function kb(s) { return unit ? sprintf("%.2f", s / unit) : "-" }
function iskernel(k) { return X[k] == "build-kernel.sh" || (X[k] == "-" && S[k] ~ /^([a-z]+:)?kernel(-|$)|-build-kernel$/) }
/^#/ || /^$/ { next }
NF < 6 || $3 !~ /^(-|[0-9]+)$/ || $4 !~ /^L?[0-9]+$/ || $5 !~ /^[0-9]+$/ {
	if (!bad++) badl = NR ": " substr($0, 1, 80); next
}
{
	b = index(once, " " $2 " ") ? "all" : $1; k = b SUBSEP $2 SUBSEP $4
	if (!(k in S)) { B[k] = b; S[k] = $2; T[k] = $4; D[k] = $5; X[k] = $6; ord[++n] = k; if (!(b in bseen)) { bseen[b]; bo[++nb] = b } }
	if ($3 != "-") { sec[k] = $3; died[k] = $7 == "died" }
}
END {
	if (bad) printf "step-times.sh: %d line(s) not understood, left out (first: line %s)\n", bad, badl > "/dev/stderr"
	if (!n) { print "step-times.sh: no step times recorded in the file(s) given" > "/dev/stderr"; exit 1 }
	if (mode == "running") {
		for (i = n; i > 0 && (ord[i] in sec); i--) ;
		if (!i) exit 0
		s = name(ord[i]); want = D[ord[i]] - 1
		for (j = i - 1; j > 0 && want >= 0; j--)
			if (!(ord[j] in sec) && D[ord[j]] == want) { s = name(ord[j]) " > " s; want-- }
		print s; exit 0
	}
	if (mode == "top") {
		for (t = 1; t <= top; t++) {
			m = ""
			for (i = 1; i <= n; i++) { k = ord[i]; if ((k in sec) && D[k] == 0 && !(k in used) && (m == "" || sec[k] + 0 > sec[m] + 0)) m = k }
			if (m == "") break
			used[m]; s = s (t > 1 ? ", " : "") name(m) " " sec[m] " s"
		}
		print s; exit 0
	}
	for (i = 1; i <= n; i++) {
		k = ord[i]
		if (B[k] == "6.1" && S[k] == "kernel" && (k in sec) && (ku == "" || sec[k] + 0 > sec[ku] + 0)) ku = k
		if (iskernel(k) && (k in sec) && (big == "" || sec[k] + 0 > sec[big] + 0)) big = k
	}
	if (ku != "" && sec[ku] >= minunit) { unit = sec[ku]; how = "6.1/kernel, " unit " s" }
	else if (big != "" && sec[big] >= minunit) {
		unit = sec[big]
		how = (ku != "" ? "6.1/kernel took " sec[ku] " s (reused or cached), so" : "no 6.1/kernel step in this run, so") \
		      " the largest kernel build of the run, " name(big) ", " unit " s"
	} else
		how = "unknown: no kernel build of " minunit " s or more in this run" (ku != "" ? " (6.1/kernel: " sec[ku] " s)" : "")
	printf "Step times, wall seconds (1 kernel build = %s). \"> \": a step run inside the step above it, in that step'"'"'s time, not added again to the totals.\n", how
	printf "%-6s %-36s %7s %8s\n", "base", "step", "seconds", "kernels"
	if (out != "") printf "# unit: 1 kernel build = %s\nbase\tstep\tseconds\tkernel_builds\tdepth\tnote\n", how > out
	for (j = 1; j <= nb; j++) {
		b = bo[j]; tot = 0
		for (i = 1; i <= n; i++) {
			k = ord[i]; if (B[k] != b) continue
			ind = ""; for (d = 0; d < D[k]; d++) ind = ind "  "; if (D[k]) ind = ind "> "
			if (k in sec) {
				printf "%-6s %-36s %7d %8s%s\n", b, ind S[k], sec[k], kb(sec[k]), died[k] ? "  died (FAILED: its log says why)" : ""
				if (!D[k]) tot += sec[k]
				if (T[k] ~ /^[0-9]+$/) { if (first == "" || T[k] < first) first = T[k]; if (T[k] + sec[k] > last) last = T[k] + sec[k] }
			} else
				printf "%-6s %-36s %7s %8s  began, never ended: died, or was stopped\n", b, ind S[k], "-", "-"
			if (out != "") printf "%s\t%s\t%s\t%s\t%d\t%s\n", b, S[k], (k in sec) ? sec[k] : "-", (k in sec) ? kb(sec[k]) : "-", D[k],
				!(k in sec) ? "never ended" : died[k] ? "died" : "" > out
		}
		printf "%-6s %-36s %7d %8s\n", b, "total", tot, kb(tot)
		if (out != "") printf "%s\ttotal\t%d\t%s\t\t\n", b, tot, kb(tot) > out
		all += tot
	}
	printf "run total: %d s in its steps, %s%s\n", all, unit ? kb(all) " kernel builds" : "in kernel builds: unknown", \
	       first != "" ? sprintf("; %d s from the first step'"'"'s start to the last end", last - first) : ""
	if (out != "") printf "run\ttotal\t%d\t%s\t\t\n", all, kb(all) > out
}'
