# SPDX-License-Identifier: GPL-2.0
# The harness: get a base (bases/*.conf: Debian's linux-source-6.1 or
# linux-source-6.12), apply its series (patches/<base>/), cross-build an
# arm64 KVM host, boot it under QEMU with nested virtualisation and run
# the tests. Every step is a script in scripts/ with its own log in
# build/logs/. `make help` lists the targets and variables.

SHELL := /bin/bash
S := scripts

# Variables a user may set (see README.md):
# PROFILES: each profile is one boot, 2.5-5 minutes on 2 shared cores
# (measured in each profiles/*.conf). vhe-nofwb (VHE without FWB: the one
# VHE profile with the non-FWB encodings) and pkvm (protected mode: the
# hypervisor owns the host's stage 2) each run paths no other profile
# runs, so they are in the default: about 8 minutes more, a warm make
# check of ~24 minutes becomes ~32, inside CI's 90.
# vhe-fwb-qemu72 (Debian 12's QEMU 7.2) is left out of the default for
# CI's time: it runs the same stage-2 paths as vhe-fwb, and its alignment
# probes cannot fail there. PROFILES="... vhe-fwb-qemu72" adds it.
# BENCH_PROFILES: make bench's profiles (28 boots each), not PROFILES.
PROFILES      ?= vhe-fwb nvhe-nofwb vhe-nofwb pkvm
BENCH_PROFILES ?= vhe-fwb nvhe-nofwb
PROFILE       ?= vhe-fwb
# BASES: the bases make check runs, each in every profile; BASE: the one
# every other target works on (make shows 6.1, the mission;
# `BASE=6.12 make` shows 6.12). A base is a data file, bases/<base>.conf.
BASES         ?= 6.1 6.12
BASE          ?= 6.1
# make bench: the base's pair (unpatched, patched), then the patched
# kernels of these other bases, in the same alternation.
BENCH_BASES   ?= $(filter-out $(BASE),$(BASES))
BASE_MISMATCH ?= fallback
BOOT_TIMEOUT  ?= 1500
JOBS          ?= $(shell echo $$(( $$(nproc) + 1 )))
# Each base builds in $(BUILD_ROOT)/<base> (tree, objects, logs,
# results); what the bases share is in $(BUILD_ROOT)/shared.
BUILD_ROOT    ?= $(CURDIR)/build
BUILD_DIR     := $(BUILD_ROOT)/$(BASE)
CACHE_DIR     ?= /var/cache/kvm-nc-harness
export PROFILES BENCH_PROFILES BASE BASE_MISMATCH BOOT_TIMEOUT JOBS BUILD_ROOT CACHE_DIR
# Per base, so never passed down from here (scripts/lib.sh derives them
# from the base): BUILD_DIR, DEV_TREE, PATCHES_DIR.
unexport BUILD_DIR DEV_TREE PATCHES_DIR

ifeq ($(wildcard bases/$(BASE).conf),)
$(error unknown base '$(BASE)': no bases/$(BASE).conf (bases: $(patsubst bases/%.conf,%,$(wildcard bases/*.conf))))
endif
$(foreach b,$(BASES),$(if $(wildcard bases/$(b).conf),,$(error BASES names '$(b)', which has no bases/$(b).conf)))

RESULTS := $(BUILD_DIR)/results
# Every step's time (scripts/lib.sh step_begin, step_end), one file per
# make check: the table before the summary (scripts/step-times.sh), also
# in results/step-times.tsv, which is not a results file.
STEP_TIMES_FILE := $(BUILD_ROOT)/step-times.raw

.PHONY: all run check boot-tests bench all-locked run-locked check-locked check-base budget-base \
	boot-tests-locked bench-locked soak soak-locked fresh-check base-update deps base tree-apply config kernel selftests debs vmm qemu13 nested \
	initramfs images profile-kernels boot-tests-run \
	tree series send-dry-run clean help base-kernel bench

# The main job: build and boot the patched host, show the result.
# The user-facing targets hold the build folder's run lock (locked.sh):
# a second run in the same clone stops at once, naming the first.
all run check boot-tests bench soak:
	@$(S)/locked.sh $(MAKE) --no-print-directory $@-locked

all-locked run-locked: images
	@$(S)/show.sh $(PROFILE)

# The tests: per base in $(BASES), the base's own results, static checks
# of its series, negative variants, then every machine profile; the
# harness self-tests once; the differential table of the bases; ends with
# "N passed, N failed, N skipped". A group with no results, a group short
# of its plan, a profile short of its manifest or without the manifest's
# verdict: failures. Groups are named <base>/<group> (6.12/vhe-fwb).
# A base whose steps stop goes on to the next base, and the stop is a
# failed result of its own (<base>/check, check:base-steps).
check-locked:
	@rm -rf $(BUILD_ROOT)/results $(foreach b,$(BASES),$(BUILD_ROOT)/$(b)/results)
	@mkdir -p $(BUILD_ROOT)/results
	@: >$(STEP_TIMES_FILE)
	@for b in $(BASES); do \
		$(MAKE) --no-print-directory BASE=$$b check-base || { rc=$$?; \
			echo "[check] FAILED: base $$b stopped before all its results (its groups below say which are missing)"; \
			mkdir -p $(BUILD_ROOT)/$$b/results && \
			printf 'check\tfail\tcheck:base-steps\tmake check-base of base %s stopped (exit %s): a step failed (its message above, its log in %s/logs/), the steps after it did not run\n' \
				$$b $$rc $(BUILD_ROOT)/$$b >>$(BUILD_ROOT)/$$b/results/check.tsv || exit 1; }; \
	done
	@$(S)/harness-selftests.sh $(BUILD_ROOT)/results/harness.tsv
	@$(S)/differential.sh $(BUILD_ROOT)/results/differential.tsv $(BASES)
	@$(S)/step-times.sh -o $(BUILD_ROOT)/results/step-times.tsv $(STEP_TIMES_FILE) || true
	@GLOBIGNORE=$(BUILD_ROOT)/results/step-times.tsv; EXPECT_GROUPS="harness differential $(foreach b,$(BASES),$(foreach g,base static negative $(PROFILES),$(b)/$(g)))" \
		MANIFEST_GROUPS="$(foreach b,$(BASES),$(foreach g,$(PROFILES),$(b)/$(g)))" \
		$(S)/summary.sh $(BUILD_ROOT)/results/*.tsv $(foreach b,$(BASES),--base $(b) $(BUILD_ROOT)/$(b)/results/*.tsv)

# One base's part of check (BASE=...): its results in $(RESULTS).
# Under a CI deadline (HARNESS_DEADLINE), budget-base first: a base that
# cannot finish in the time left is not started, and says so.
check-base: budget-base images
	@mkdir -p $(RESULTS)
	@$(S)/base-newest.sh $(RESULTS)/base.tsv
	@$(S)/static-checks.sh $(RESULTS)/static.tsv
	@$(S)/negative.sh $(RESULTS)/negative.tsv
	@$(MAKE) --no-print-directory boot-tests-run

budget-base:
	@$(S)/budget-base.sh $(RESULTS)/budget.tsv

# The developer loop: only the machine profiles (no static checks).
boot-tests-locked: images
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory boot-tests-run
	@EXPECT_GROUPS="$(foreach g,$(PROFILES),$(BASE)/$(g))" MANIFEST_GROUPS="$(foreach g,$(PROFILES),$(BASE)/$(g))" \
		$(S)/summary.sh --base $(BASE) $(RESULTS)/*.tsv

# The soak (README): the end-to-end test's reset and decoding loop in
# $(PROFILE), bounded by SOAK_SECONDS and 200 cycles, with the backing
# file checked afterwards. Not part of check (CI time).
soak-locked: images
	@rm -rf $(BUILD_DIR)/soak-results && mkdir -p $(BUILD_DIR)/soak-results
	@$(S)/soak.sh $(PROFILE) $(BUILD_DIR)/soak-results/soak.tsv
	@EXPECT_GROUPS=$(BASE)/soak $(S)/summary.sh --base $(BASE) $(BUILD_DIR)/soak-results/soak.tsv

# Every profile runs, whatever an earlier one did; a profile-run.sh that
# stops is a failed result of its profile (profile:run), not only a line.
boot-tests-run:
	@for p in $(PROFILES); do \
		$(S)/profile-run.sh $$p $(RESULTS)/$$p.tsv || \
			printf '%s\tfail\tprofile:run\tscripts/profile-run.sh %s stopped (exit %s) before all its results: its message above, its logs in %s/logs/\n' \
				$$p $$p $$? $(BUILD_DIR) >>$(RESULTS)/$$p.tsv || exit 1; \
	done

# `make check` in a fresh, minimal Debian 12 root (what CI runs): only
# what the README's commands install is there. Needs root and mmdebstrap.
FRESH_ROOT ?= /var/tmp/kvm-nc-fresh-root
fresh-check:
	@$(S)/fresh-root.sh $(FRESH_ROOT)
	@$(S)/in-root.sh $(FRESH_ROOT) 'make check'

# Move bases/$(BASE).conf to the newest version of its package Debian
# serves, if the series applies to it.
base-update: deps
	@$(S)/base-update.sh

deps:
	@$(S)/deps.sh
base: deps
	@$(S)/base.sh
tree-apply: base
	@$(S)/tree.sh
config: tree-apply
	@$(S)/config.sh
kernel: config
	@$(S)/build-kernel.sh
selftests: kernel
	@$(S)/build-selftests.sh
debs: deps
	@$(S)/arm64-debs.sh busybox-static
vmm: deps
	@$(S)/vmm.sh
qemu13: deps
	@$(S)/qemu-debian13.sh
nested: kernel debs selftests
	@$(S)/nested.sh
initramfs: selftests debs vmm nested
	@$(S)/initramfs.sh
# The host kernel of each profile that names a kernel variant (its own
# config fragments, its own object folder), e.g. vhe-fwb-64k.
profile-kernels: tree-apply
	@$(S)/profile-kernel.sh $(sort $(PROFILES) $(PROFILE))
images: kernel initramfs qemu13 profile-kernels

# Developer workflow: an editable tree, and patches/ regenerated from it.
tree: base
	@$(S)/dev-tree.sh
series:
	@$(S)/series.sh
send-dry-run: tree-apply
	@$(S)/send-dry-run.sh

# The unpatched base with the same config (a control), and the benchmark:
# base against patched, booted in alternation, per profile.
base-kernel: base
	@$(S)/base-kernel.sh
bench-locked: selftests debs base-kernel
	@for b in $(BENCH_BASES); do $(MAKE) --no-print-directory BASE=$$b kernel || exit 1; done
	@BENCH_BASES="$(BENCH_BASES)" $(S)/bench.sh

clean:
	rm -rf $(BUILD_ROOT)

help:
	@sed -n '/^## Make targets/,/^## Layout/p' README.md | sed '$$d'
