# SPDX-License-Identifier: GPL-2.0
# The fault cost plot of `make bench` (scripts/bench-report.sh): the cost
# of a first touch of a 4 KiB page (one stage-2 fault each), per profile
# and memslot, base against patched: median bars, min-max error bars.
# Left: wall clock (microseconds); right: QEMU icount, 1 ns = 1 emulated
# instruction (thousands of instructions).
# Variables: walldata, icountdata, outfile, subtitle. Data columns:
# label, base median/min/max, patched median/min/max.
set terminal pngcairo size 1400,560 noenhanced font ",10"
set output outfile
set multiplot layout 1,2 title "Stage-2 fault cost per first touch of a 4 KiB page, base vs patched\n".subtitle
set yrange [0:*]
set grid ytics
set key top left
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xtics font ",9"

set title "wall clock (median, min-max)"
set ylabel "microseconds per first touch"
plot walldata using 2:3:4:xtic(1) title "base (unpatched 6.1.192)" lc rgb "#7f7f7f", \
     '' using 5:6:7 title "patched (series applied)" lc rgb "#1f77b4"

set title "QEMU icount: emulated instructions (median, min-max)"
set ylabel "thousands of instructions per first touch"
plot icountdata using 2:3:4:xtic(1) title "base (unpatched 6.1.192)" lc rgb "#7f7f7f", \
     '' using 5:6:7 title "patched (series applied)" lc rgb "#1f77b4"
unset multiplot
