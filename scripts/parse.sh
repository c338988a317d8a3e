#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "parse": turn one profile's serial console into results, one per
# test: the flat TAP lines /init prints (selftests, KUnit cases, boot
# checks), plus what only the console can tell: did the host reach /init,
# did it finish, did it panic, and did dmesg stay free of warnings.
#
# Usage: parse.sh CONSOLE_LOG PROFILE RESULTS_TSV
# Appends "profile<TAB>pass|fail|skip<TAB>name<TAB>reason" lines to
# RESULTS_TSV. Exits 0; the summary step counts.
CONSOLE=${1:?usage: parse.sh CONSOLE PROFILE RESULTS}
PROFILE=${2:?usage: parse.sh CONSOLE PROFILE RESULTS}
RESULTS=${3:?usage: parse.sh CONSOLE PROFILE RESULTS}

if [ ! -s "$CONSOLE" ]; then
	printf '%s\tfail\tboot:reached-init\tno console output in %s (QEMU did not start?)\n' \
		"$PROFILE" "$CONSOLE" >>"$RESULTS"
	exit 0
fi

tr -d '\r' <"$CONSOLE" | awk -v P="$PROFILE" -v OFS='\t' '
function emit(st, name, reason) {
	gsub(/\t/, " ", reason)
	print P, st, name, reason
}
# tap(LINE): split a "[not ]ok N NAME[ # [SKIP ]REASON]" line into the
# globals st, name and reason.
function tap(line,	i) {
	st = (line ~ /^not ok/) ? "fail" : "pass"
	sub(/^(not )?ok [0-9]+ /, "", line)
	name = line; reason = ""
	i = index(line, " # ")
	if (i) { name = substr(line, 1, i - 1); reason = substr(line, i + 3) }
	if (reason ~ /^SKIP/) { st = "skip"; sub(/^SKIP ?/, "", reason) }
}
/HARNESS-START/ { started = 1 }
/HARNESS-DONE/  { done = 1 }
/Kernel panic - not syncing/ && !panic { panic = $0 }
/==== dmesg begin ====/ { indmesg = 1; next }
/==== dmesg end ====/   { indmesg = 0; next }
# KUnit KTAP, as the kernel logged it: "    # Subtest: SUITE", its plan
# "    1..N", one "    [not ]ok N CASE[ # SKIP reason]" per case, and the
# line of the suite itself at column 0. Deeper levels (parameters) are
# not cases.
indmesg && /^    # Subtest: / { suite = $3; planned = 0; seen = 0; next }
indmesg && suite != "" && /^    1\.\.[0-9]+/ { planned = substr($1, 4) + 0; next }
indmesg && suite != "" && /^    (not )?ok [0-9]+ / {
	line = $0; sub(/^    /, "", line)
	tap(line)
	if (st == "fail" && reason == "") reason = "see the KUnit output in the console log"
	emit(st, "kunit:" suite "." name, reason)
	seen++
	next
}
indmesg && suite != "" && /^(not )?ok [0-9]+ / {
	if (seen < planned)
		emit("fail", "kunit:" suite, "plan 1.." planned ", only " seen " cases reported")
	suite = ""
	next
}
indmesg {
	if (!bad && ($0 ~ /WARNING: |BUG: |Oops|Unable to handle kernel|kernel BUG at|Internal error:|possible circular locking|possible recursive locking|KASAN|UBSAN|INFO: task .* blocked|general protection|hung_task|rcu_.* self-detected stall|detected stalls/))
		bad = $0
	next
}
started && /^(not )?ok [0-9]+ / {
	tap($0)
	emit(st, name, reason)
}
{ last = $0 }
END {
	if (!started)
		emit("fail", "boot:reached-init", panic ? panic : "no HARNESS-START on the console; last line: " last)
	if (panic)
		emit("fail", "boot:no-panic", panic)
	else if (started)
		emit("pass", "boot:no-panic", "")
	if (started && !done)
		emit("fail", "boot:finished", "/init did not finish; last line: " last)
	if (suite != "")
		emit("fail", "kunit:" suite, "suite did not finish: " seen " of " planned " cases reported")
	if (done)
		emit(bad ? "fail" : "pass", "dmesg:clean", bad)
}' >>"$RESULTS"
