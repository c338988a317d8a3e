#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step "config": allnoconfig + the fragments in $KCONFIG_FRAGMENTS into
# $OBJ_DIR/.config, then check every requested option really is set.
STEP=${STEP:-config}
. "$(dirname "$0")/lib.sh"

OBJ_DIR=${OBJ_DIR:-$BUILD_DIR/obj/$KARCH}
# KCONFIG_FRAGMENTS: the base's (lib.sh), unless given

step_begin "$KARCH: $(for f in $KCONFIG_FRAGMENTS; do basename "$f"; done | tr '\n' ' ')"
need "${KCROSS}gcc" "gcc-${KCROSS%-}"
mkdir -p "$OBJ_DIR"
run kmake O="$OBJ_DIR" allnoconfig || die "allnoconfig failed"
( cd "$SRC_TREE" && ARCH=$KARCH CROSS_COMPILE=$KCROSS \
  scripts/kconfig/merge_config.sh -m -O "$OBJ_DIR" "$OBJ_DIR/.config" $KCONFIG_FRAGMENTS ) \
	>>"$STEP_LOG" 2>&1 || die "merge_config.sh failed"
run kmake O="$OBJ_DIR" olddefconfig || die "olddefconfig failed"

# Every line of the fragments must survive olddefconfig, unless this tree
# does not have the option at all (an option added by the series, while
# the plain base is built).
absent() {
	! git -C "$SRC_TREE" grep -q -E "^(menu)?config ${1#CONFIG_}\$" -- '*Kconfig*' 2>/dev/null
}
# A later fragment overrides an earlier one (as merge_config.sh does);
# CONFIG_VERIFY=last checks only the last fragment's lines (the build
# matrix: options that depend on what the last one turns off may drop).
verify=$KCONFIG_FRAGMENTS
[ "${CONFIG_VERIFY:-all}" = last ] && verify=${KCONFIG_FRAGMENTS##* }
missing=
notintree=
while IFS= read -r line; do
	opt=${line%%=*}
	case $line in
	CONFIG_*=n)
		grep -q "^$opt=" "$OBJ_DIR/.config" && missing="$missing $line";;
	CONFIG_*=*)
		grep -qxF "$line" "$OBJ_DIR/.config" && continue
		if absent "$opt"; then notintree="$notintree $opt"
		else missing="$missing $line"; fi;;
	esac
done < <(cat $verify | grep -E '^CONFIG_' | awk -F= '{ v[$1] = $0; if (!($1 in o)) o[$1] = NR; k[NR] = $1 }
	END { for (i = 1; i <= NR; i++) if (o[k[i]] == i) print v[k[i]] }')
[ -n "$notintree" ] && say "not in this tree, ignored:$notintree"
[ -z "$missing" ] || die "options not set after olddefconfig (missing dependency?):$missing"
step_end "$OBJ_DIR/.config"
