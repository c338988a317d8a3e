#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "bench-report": the consoles of scripts/bench.sh
# ($BUILD_DIR/bench/console/PROFILE-CLOCK-KERNEL-PAIR.log) into
#   - a table on the terminal (also as Markdown: build/bench/table.md),
#   - build/bench/bench.csv (one row per profile and figure: median,
#     min and max of base and patched, and of the patched/base ratio
#     taken pair by pair) and build/bench/samples.csv (every sample),
#   - build/bench/bench-fault-cost.png (gnuplot, tests/bench/fault-cost.gp).
# Reports numbers; judges none.
STEP=${STEP:-bench-report}
. "$(dirname "$0")/lib.sh"

BENCH_DIR=${BENCH_DIR:-$BUILD_DIR/bench}
CONSOLES=$BENCH_DIR/console
step_begin "$CONSOLES"
need gnuplot gnuplot-nox
ls "$CONSOLES"/*-*-*-*.log >/dev/null 2>&1 || die "no bench consoles in $CONSOLES: run 'make bench'"
tmp=$BENCH_DIR/report.tmp
rm -rf "$tmp" && mkdir -p "$tmp"

# 1. Every sample: profile,clock,kernel,pair,slot,key,value
echo "profile,clock,kernel,pair,slot,key,value" >"$BENCH_DIR/samples.csv"
for c in "$CONSOLES"/*-*-*-*.log; do
	name=$(basename "$c" .log)
	pair=${name##*-}; rest=${name%-*}
	kernel=${rest##*-}; rest=${rest%-*}
	clock=${rest##*-}; profile=${rest%-*}
	awk -v p="$profile,$clock" -v k="$kernel" -v i="$pair" '
		/^bench: slot=/ {
			slot = substr($2, 6)
			for (f = 3; f <= NF; f++) {
				split($f, kv, "=")
				printf "%s,%s,%s,%s,%s,%s\n", p, k, i, slot, kv[1], kv[2]
			}
		}' "$c"
done >>"$BENCH_DIR/samples.csv"

# 2. The figures of each boot: "profile clock:figure kernel pair value";
# the patched/base ratio of each pair: "profile clock:figure ratio pair value".
awk -F, 'NR > 1 { v[$1 "," $2 "," $3 "," $4 "," $5 "," $6] = $7; b[$1 "," $2 "," $3 "," $4] = 1 }
	function g(s, key) { return v[boot "," s "," key] }
	function out(fig, val) { printf "%s %s:%s %s %s %s\n", pr, cl, fig, kn, pa, val }
	END {
		for (boot in b) {
			split(boot, x, ","); pr = x[1]; cl = x[2]; kn = x[3]; pa = x[4]
			n = g("bar", "pages"); size = n * 4096
			out("bar_ns", g("bar", "first_ns") / n)
			out("bar_exits", g("bar", "first_exits"))
			out("ram_ns", g("ram", "first_ns") / n)
			out("ram_exits", g("ram", "first_exits"))
			out("bar2m_exits", g("bar2m", "first_exits"))
			out("bar2m_faults_lo", g("bar2m", "first_exits") - g("bar2m", "first_irqs"))
			out("bar2m_ns", g("bar2m", "first_ns") / n)
			out("bar_ns2", g("bar", "second_ns") / n)
			out("ram_ns2", g("ram", "second_ns") / n)
			out("bar_irqs", g("bar", "first_irqs"))
			out("ram_irqs", g("ram", "first_irqs"))
			if (g("bar2m", "dump") != "yes")
				continue
			out("bar2m_leaves", g("bar2m", "leaves"))
			out("bar2m_block_pct", 100 * (g("bar2m", "l1") + g("bar2m", "l2")) / size)
			out("bar2m_page_pct", 100 * g("bar2m", "l3") / size)
			out("bar_nc_pct", 100 * (g("bar", "normal_nc") + g("bar2m", "normal_nc")) / (2 * size))
			out("bar_dev_pct", 100 * (g("bar", "device") + g("bar2m", "device")) / (2 * size))
		}
	}' "$BENCH_DIR/samples.csv" >"$tmp/figures"
awk '{ v[$1 " " $2 " " $3 " " $4] = $5; k[$1 " " $2 " " $4] = 1 }
	END {
		for (x in k) {
			split(x, y, " ")
			b = v[y[1] " " y[2] " base " y[3]]; p = v[y[1] " " y[2] " patched " y[3]]
			if (b != "" && p != "" && b + 0 != 0)
				printf "%s %s ratio %s %s\n", y[1], y[2], y[3], p / b
		}
	}' "$tmp/figures" >>"$tmp/figures"

# 3. Median, min and max per profile, figure and kernel (or ratio).
sort -k1,1 -k2,2 -k3,3 -k5,5g "$tmp/figures" |
awk 'function flush() {
		if (n) {
			med = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
			printf "%s %d %.6g %.6g %.6g\n", key, n, med, s[1], s[n]
		}
		n = 0
	}
	{ k = $1 " " $2 " " $3; if (k != key) { flush(); key = k } s[++n] = $5 }
	END { flush() }' >"$tmp/stats"

# 4. The table, the CSV, the Markdown copy.
. <(sed 's/^\([a-z_0-9]*\)=\(.*\)$/meta_\1="\2"/' "$BENCH_DIR/meta.txt")
# Kernels after the pair: other bases' patched kernels (bench.sh
# BENCH_BASES), one column each.
extra=$(for k in ${meta_kernels:-base patched}; do case $k in base|patched) ;; *) echo "$k";; esac; done)
# Counts and the dump come from the icount boots (fewest host interrupts).
figures='
wall:bar_ns|%.0f|BAR, 4 KiB pages: ns per first touch (wall clock)
icount:bar_ns|%.0f|BAR, 4 KiB pages: instructions per first touch (icount)
icount:bar_exits|%.0f|BAR, 4 KiB pages: exits for the first touches
wall:ram_ns|%.0f|RAM: ns per first touch (wall clock)
icount:ram_ns|%.0f|RAM: instructions per first touch (icount)
icount:ram_exits|%.0f|RAM: exits for the first touches
icount:bar2m_exits|%.0f|BAR 2 MiB-aligned: exits (>= stage-2 faults)
icount:bar2m_faults_lo|%.0f|BAR 2 MiB-aligned: exits - host IRQs (<= faults)
icount:bar2m_leaves|%.0f|BAR 2 MiB-aligned: stage-2 leaves (dump)
icount:bar2m_block_pct|%.1f|BAR 2 MiB-aligned: % mapped as 2 MiB/1 GiB blocks
icount:bar2m_page_pct|%.1f|BAR 2 MiB-aligned: % mapped as 4 KiB pages
icount:bar_nc_pct|%.1f|BAR IPA ranges: % Normal-NC at stage 2
icount:bar_dev_pct|%.1f|BAR IPA ranges: % Device at stage 2
'
cell() {	# cell PROFILE FIGURE KERNEL FORMAT -> "median [min-max]"
	awk -v k="$1 $2 $3" -v f="$4" '$1 " " $2 " " $3 == k {
		printf f " [" f "-" f "]", $5, $6, $7; found = 1 }
		END { if (!found) printf "n/a" }' "$tmp/stats"
}
csv=$BENCH_DIR/bench.csv
md=$BENCH_DIR/table.md
echo "profile,figure,description,base_n,base_median,base_min,base_max,patched_n,patched_median,patched_min,patched_max,ratio_n,ratio_median,ratio_min,ratio_max$(for k in $extra; do printf ',%s_n,%s_median,%s_min,%s_max' $k $k $k $k; done)" >"$csv"
{
	echo "$meta_date; $meta_machine; $meta_os; $meta_qemu; $meta_pairs rounds (${meta_kernels:-base patched}) per profile, booted in alternation"
	echo
	echo "| profile | figure | base: median [min-max] | patched: median [min-max] | patched/base, pair by pair |$(for k in $extra; do printf ' %s patched: median [min-max] |' $k; done)"
	echo "|---|---|---|---|---|$(for k in $extra; do printf -- '---|'; done)"
} >"$md"
printf '\n%-10s  %-57s  %-24s  %-24s  %-24s' profile figure "base: median [min-max]" "patched: median [min-max]" "patched/base per pair"
for k in $extra; do printf '  %-24s' "$k patched: median"; done
echo

# csv_row PROFILE FIGURE DESCRIPTION: one CSV row, n/median/min/max of
# base, patched and the pair-by-pair ratio (empty when not measured).
csv_row() {
	local row="$1,$2,\"$3\"" k
	for k in base patched ratio $extra; do
		row="$row,$(awk -v k="$1 $2 $k" '$1 " " $2 " " $3 == k { printf "%s,%s,%s,%s", $4, $5, $6, $7; f = 1 }
			END { if (!f) printf ",,," }' "$tmp/stats")"
	done
	echo "$row" >>"$csv"
}
for p in $meta_profiles; do
	while IFS='|' read -r id fmt desc; do
		[ -n "$id" ] || continue
		b=$(cell "$p" "$id" base "$fmt")
		pt=$(cell "$p" "$id" patched "$fmt")
		r=$(cell "$p" "$id" ratio "%.3f")
		case $b:$id in n/a:*:bar2m_leaves|n/a:*_pct) b="n/a (no dump)";; esac
		xs= xm=
		for k in $extra; do
			x=$(cell "$p" "$id" "$k" "$fmt")
			xs="$xs  $(printf '%-24s' "$x")" xm="$xm $x |"
		done
		printf '%-10s  %-57s  %-24s  %-24s  %-24s%s\n' "$p" "$desc" "$b" "$pt" "$r" "$xs"
		echo "| $p | $desc | $b | $pt | $r |$xm" >>"$md"
		csv_row "$p" "$id" "$desc"
	done <<<"$figures"
done
# CSV only: the second touch (nothing left to map) and the host interrupts.
for p in $meta_profiles; do
	for id in {wall,icount}:{bar2m_ns,bar_ns2,ram_ns2,bar_irqs,ram_irqs} \
		  wall:{bar_exits,ram_exits,bar2m_exits}; do
		csv_row "$p" "$id" ""
	done
done

# 5. The goal for a 2 MiB-aligned BAR: <= 32 faults, 2 MiB blocks, Normal-NC.
echo
for p in $meta_profiles; do
	for k in patched $extra; do
		kn=$k; [ $k = patched ] && kn="$BASE patched" || kn="$k patched"
		leaves=$(awk -v k="$p icount:bar2m_leaves $k" '$1 " " $2 " " $3 == k { print $5 }' "$tmp/stats")
		blocks=$(awk -v k="$p icount:bar2m_block_pct $k" '$1 " " $2 " " $3 == k { print $5 }' "$tmp/stats")
		faults=$(awk -v k="$p icount:bar2m_faults_lo $k" '$1 " " $2 " " $3 == k { print $5 }' "$tmp/stats")
		nc=$(awk -v k="$p icount:bar_nc_pct $k" '$1 " " $2 " " $3 == k { print $5 }' "$tmp/stats")
		if [ -n "$leaves" ] && awk -v l="$leaves" -v b="$blocks" -v n="$nc" 'BEGIN { exit !(l <= 32 && b == 100 && n == 100) }'; then
			line="$p, $kn: 2 MiB-aligned 64 MiB BAR: goal met ($leaves stage-2 leaves, ${faults:-?} exits less host IRQs, all 2 MiB blocks, all Normal-NC)"
		else
			line="$p, $kn: 2 MiB-aligned 64 MiB BAR: goal (<= 32 faults, 2 MiB blocks) not met: ${leaves:-?} stage-2 leaves, ${blocks:-?}% blocks, ${faults:-?} exits less host IRQs (README: Benchmark)"
		fi
		say "$line"
		printf '\n%s\n' "$line" >>"$md"
	done
done

# 5b. Beside the dump, what the architecture says: kvm_bench's alignment
# probe (an unaligned load faults where the combined type is Device, works
# where it is Normal), per kernel and clock, counted over every boot so
# that a boot that disagrees shows. Where the stage-1 Device control did
# not fault (QEMU's -icount), the probe cannot tell, and says so.
probe_says() {	# probe_says PROFILE KERNEL CLOCK
	local f
	for f in "$CONSOLES/$1-$3-$2-"*.log; do
		[ -f "$f" ] && sed -n 's/\r$//; s/^bench-probe: //p' "$f"
	done | awk '{
			split($1, d, "="); split($2, n, "=")
			if (d[2] == "works")
				o = "cannot tell: the stage-1 Device control did not fault"
			else if (n[2] == "works")
				o = "works: stage 2 is Normal"
			else if (n[2] == "kvm_efault")
				o = "KVM_RUN EFAULT: stage 2 is Device"
			else if (n[2] == "guest_abort")
				o = "alignment fault in the guest: stage 2 is Device"
			else
				o = "unreadable probe line: " $0
			c[o]++
		}
		END { for (o in c) s = s (s ? "; " : "") o " (" c[o] " boots)"; print s ? s : "no probe result" }'
}
for p in $meta_profiles; do
	for k in base patched $extra; do
		line="$p, $k: an unaligned load through the guest's ioremap_wc() mapping of the vfio BAR:"
		for c in $meta_clocks; do
			line="$line $c clock: $(probe_says "$p" $k $c);"
		done
		d=$(cell "$p" icount:bar_nc_pct $k "%.1f")
		[ "$d" = n/a ] && d=$(cell "$p" wall:bar_nc_pct $k "%.1f")
		line="$line the dump: $(echo "$d" | sed 's/^n\/a$/no dump/; s/^\([0-9.]*\) .*/\1% of the BAR ranges Normal-NC/')"
		say "$line"
		printf '\n%s\n' "$line" >>"$md"
	done
done

# 6. The plot: fault cost per profile and memslot, base against patched,
# one panel per clock (wall: microseconds; icount: thousands of
# instructions).
for c in wall icount; do
	for p in $meta_profiles; do
		for s in bar ram; do
			printf '"%s %s"' "$p" "$(echo $s | tr a-z A-Z)"
			for k in base patched; do
				awk -v k="$p $c:${s}_ns $k" '$1 " " $2 " " $3 == k {
					printf " %.3f %.3f %.3f", $5 / 1000, $6 / 1000, $7 / 1000; f = 1 }
					END { if (!f) printf " 0 0 0" }' "$tmp/stats"
			done
			echo
		done
	done >"$tmp/fault-cost-$c.dat"
done
png=$BENCH_DIR/bench-fault-cost.png
gnuplot -e "walldata='$tmp/fault-cost-wall.dat'; icountdata='$tmp/fault-cost-icount.dat'; outfile='$png'; subtitle='$meta_qemu; $meta_pairs pairs; $meta_date'" \
	"$HARNESS_DIR/tests/bench/fault-cost.gp" >>"$STEP_LOG" 2>&1 ||
	die "gnuplot failed on $tmp/fault-cost-*.dat"
rm -rf "$tmp"
step_end "$csv, $png, $md"
