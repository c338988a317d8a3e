#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Target "send-dry-run": who the series goes to, and a ready-to-send copy
# of it. scripts/get_maintainer.pl (run on the applied tree) gives To (the
# maintainers) and Cc (reviewers and lists); the series is regenerated
# from build/linux into build/send/ with those headers, and
# `git send-email --dry-run` shows what would be sent. Nothing is sent:
# --dry-run, and the SMTP server is /bin/false.
STEP=send
. "$(dirname "$0")/lib.sh"

OUT=$BUILD_DIR/send
# The sender is the series' author (the project's identity), not whatever
# this machine's git configuration holds: a fresh machine has none, and
# git send-email needs one for its own committer identity too.
ident=$(git -C "$SRC_TREE" log -1 --format='%an%x09%ae' base..HEAD 2>/dev/null)
export GIT_COMMITTER_NAME=${ident%%	*} GIT_COMMITTER_EMAIL=${ident#*	}
export GIT_AUTHOR_NAME=$GIT_COMMITTER_NAME GIT_AUTHOR_EMAIL=$GIT_COMMITTER_EMAIL
FROM=${SEND_FROM:-$GIT_COMMITTER_NAME <$GIT_COMMITTER_EMAIL>}

step_begin "$OUT"
n=$(git -C "$SRC_TREE" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "the series is empty: nothing to send"
patches=$(ls "$PATCHES_DIR"/[0-9][0-9][0-9][0-9]-*.patch | grep -v '/0000-cover-letter')
gm="perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats --no-multiline"
to=$(cd "$SRC_TREE" && $gm --no-l --no-r $patches 2>>"$STEP_LOG") ||
	die "get_maintainer.pl failed"
cc=$(cd "$SRC_TREE" && $gm --no-m $patches 2>>"$STEP_LOG") || die "get_maintainer.pl failed"
[ -n "$to" ] || die "get_maintainer.pl found no maintainer"

rm -rf "$OUT" && mkdir -p "$OUT"
args=()
IFS=, read -ra tos <<<"$to"; for a in "${tos[@]}"; do args+=(--to="${a# }"); done
IFS=, read -ra ccs <<<"$cc"; for a in "${ccs[@]}"; do args+=(--cc="${a# }"); done
cover=$PATCHES_DIR/cover-letter.txt
COVER_FILE=$cover DEV_TREE=$SRC_TREE PATCHES_DIR=$OUT STEP_LOG=$STEP_LOG \
	FORMAT_PATCH_EXTRA="${args[*]@Q}" \
	"$HARNESS_DIR/scripts/series.sh" >/dev/null || die "cannot regenerate the series into $OUT"
rm -f "$OUT/series"

git send-email --dry-run --confirm=never --suppress-cc=all --from="$FROM" \
	--smtp-server=/bin/false "$OUT"/*.patch >"$OUT/dry-run.txt" 2>&1 ||
	die "git send-email --dry-run failed: $OUT/dry-run.txt"

echo "From: $FROM"
echo "To:   $to"
echo "Cc:   $cc"
echo "Dry-run messages: $(grep -c '^Dry-OK' "$OUT/dry-run.txt") of $(ls "$OUT"/*.patch | wc -l), nothing sent"
step_end "ready to send: $OUT/*.patch (git send-email $OUT/*.patch)"
