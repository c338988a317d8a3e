// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-user - the user-space half of the nested-VMM scenario: in the
 * guest, map BAR2 of the ivshmem device through sysfs, once through
 * resource2_wc (write-combining: Normal-NC at stage 1) and once through
 * resource2 (uncached: Device-nGnRE at stage 1), write a pattern with
 * aligned 64-bit stores, read it back, and report in KTAP.
 *
 * Only aligned 64-bit volatile accesses touch the BAR: memcpy() and
 * memset() may use unaligned accesses or DC ZVA, which fault on Device
 * memory on real hardware.
 *
 * With "probe wc" or "probe device", it does instead the alignment probe
 * of one mapping: an unaligned 8-byte load (ldr) as the first access to
 * one fresh page, and an unaligned 8-byte store (str) as the first access
 * to the next one. Memory whose combined stage-1 x stage-2 type is Device
 * takes an alignment fault (SIGBUS here); Normal memory does not, on
 * hardware and on QEMU >= 9.0.
 *  - wc: resource2_wc is Normal-NC at stage 1, so the combined type is
 *    what stage 2 gives: the accesses must work and the data arrive
 *    (probe_user_wc_unaligned). With a Device stage 2, the first touch
 *    makes KVM 6.1 fail KVM_RUN (EFAULT) and the VM stops here.
 *  - device: resource2 is Device at stage 1: both accesses must take
 *    SIGBUS (probe_user_device_sigbus), the control that shows the probe
 *    can fault.
 * Each probe uses pages nothing touched before in this VM: QEMU does not
 * re-check a cached translation the way a first touch is checked.
 *
 * Usage: ivshmem-user PCI_DEVICE_SYSFS_DIR [probe wc|device]
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#define SZ_1M		(1UL << 20)

/* Where the patterns go in BAR2: see tests/host/ivshmem-check.c */
static const struct {
	const char *file;
	const char *name;
	unsigned long offset;
	uint64_t tag;
} maps[] = {
	/* tags: "UW" and "UD" */
	{ "resource2_wc", "user_resource2_wc", 20 * SZ_1M, 0x5557000000000000ULL },
	{ "resource2", "user_resource2", 24 * SZ_1M, 0x5544000000000000ULL },
};
#define MAP_LEN		SZ_1M
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int run(const char *dir, int i)
{
	volatile uint64_t *p;
	char path[512];
	unsigned long w, bad = 0;
	uint64_t v;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, maps[i].file);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	p = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, maps[i].offset);
	close(fd);
	if (p == MAP_FAILED) {
		printf("# mmap of %s at 0x%lx: %s\n", path, maps[i].offset, strerror(errno));
		return -1;
	}
	for (w = 0; w < MAP_LEN / 8; w++)
		p[w] = maps[i].tag | w;
	__asm__ __volatile__("dsb st" ::: "memory");
	for (w = 0; w < MAP_LEN / 8; w++) {
		v = p[w];
		if (v == (maps[i].tag | w))
			continue;
		if (!bad++)
			printf("# %s: word %lu reads 0x%016" PRIx64
			       ", expected 0x%016" PRIx64 "\n",
			       maps[i].file, w, v, maps[i].tag | w);
	}
	munmap((void *)p, MAP_LEN);
	if (bad)
		printf("# %s: %lu of %lu words wrong\n", maps[i].file, bad, MAP_LEN / 8);
	return bad ? -1 : 0;
}

/*
 * The alignment probes: see tests/host/ivshmem-check.c for the offsets.
 * The driver's probe (tests/nested/ivshmem_wc_test.c) uses the two pages
 * at PROBE_OFFSET; these use the next four.
 */
#define PROBE_OFFSET	(28 * SZ_1M)
#define PAGE		4096UL
#define PROBE_BYTE	0x101		/* odd: unaligned for every size > 1 */
#define PROBE_TAG	0x3157555f424f5250ULL	/* "PROB_UW1", little-endian */

static sigjmp_buf probe_jmp;
static volatile sig_atomic_t probe_code, probe_armed;

static void probe_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	if (!probe_armed)
		_exit(99);
	probe_code = si->si_code;
	siglongjmp(probe_jmp, 1);
}

/* One explicit 8-byte ldr/str: no compiler or libc splitting. */
static inline uint64_t ldr64(const volatile void *a)
{
	uint64_t v;

	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void str64(volatile void *a, uint64_t v)
{
	__asm__ __volatile__("str %0, [%1]" :: "r"(v), "r"(a) : "memory");
}

/* probe_access LOAD?, ADDR, VALUE*: 0, or 1 if it took SIGBUS. */
static int probe_access(int load, volatile uint8_t *a, uint64_t *v)
{
	probe_code = 0;
	if (sigsetjmp(probe_jmp, 1))
		return 1;
	probe_armed = 1;
	if (load)
		*v = ldr64(a);
	else
		str64(a, *v);
	probe_armed = 0;
	return 0;
}

static const char *bus_code(int code)
{
	return code == BUS_ADRALN ? "BUS_ADRALN" : code == BUS_ADRERR ? "BUS_ADRERR" :
	       code == BUS_OBJERR ? "BUS_OBJERR" : "si_code?";
}

static int probe(const char *dir, const char *which)
{
	int wc = !strcmp(which, "wc");
	const char *name = wc ? "probe_user_wc_unaligned" : "probe_user_device_sigbus";
	unsigned long off = PROBE_OFFSET + (wc ? 2 : 4) * PAGE;
	struct sigaction sa = { .sa_sigaction = probe_sigbus, .sa_flags = SA_SIGINFO };
	volatile uint8_t *m;
	uint64_t v = 0, first, lo, hi, got, want = PROBE_TAG;
	int load_bus, store_bus, fd, ok;
	char path[512];

	if (!wc && strcmp(which, "device")) {
		fprintf(stderr, "probe: 'wc' or 'device', not '%s'\n", which);
		return 2;
	}
	printf("KTAP version 1\n1..1\n");
	snprintf(path, sizeof(path), "%s/%s", dir, wc ? "resource2_wc" : "resource2");
	fd = open(path, O_RDWR | O_SYNC);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (m == MAP_FAILED) {
		printf("not ok 1 %s # cannot map %s at 0x%lx: %s\n", name, path, off, strerror(errno));
		return 1;
	}
	close(fd);
	sigaction(SIGBUS, &sa, NULL);

	/* First touch of page 0: an unaligned load. Nothing wrote there: 0. */
	printf("# %s: ldr of 8 bytes at BAR2+0x%lx (first touch of its page)\n", which, off + PROBE_BYTE);
	load_bus = probe_access(1, m + PROBE_BYTE, &v);
	if (load_bus)
		printf("# %s: the load took SIGBUS (%s)\n", which, bus_code(probe_code));
	else
		printf("# %s: the load returned 0x%016" PRIx64 "\n", which, v);
	/* First touch of page 1: an unaligned store. */
	printf("# %s: str of 0x%016" PRIx64 " at BAR2+0x%lx (first touch of its page)\n",
	       which, want, off + PAGE + PROBE_BYTE);
	store_bus = probe_access(0, m + PAGE + PROBE_BYTE, &want);
	if (store_bus)
		printf("# %s: the store took SIGBUS (%s)\n", which, bus_code(probe_code));

	if (!wc) {
		/*
		 * A store that did not fault (QEMU < 9.0, or a failure) is
		 * undone with aligned stores, which Device memory allows, so
		 * that the outside check finds nothing stray.
		 */
		if (!store_bus) {
			*(volatile uint64_t *)(m + PAGE + (PROBE_BYTE & ~7UL)) = 0;
			*(volatile uint64_t *)(m + PAGE + (PROBE_BYTE & ~7UL) + 8) = 0;
			printf("# device: the store worked: undone with aligned stores\n");
		}
		ok = load_bus && store_bus && probe_code == BUS_ADRALN;
		if (ok)
			printf("ok 1 %s # both took SIGBUS (BUS_ADRALN): stage-1 Device faults\n", name);
		else
			printf("not ok 1 %s # no alignment fault through stage-1 Device: load %s, store %s\n",
			       name, load_bus ? "SIGBUS" : "worked", store_bus ? "SIGBUS" : "worked");
		munmap((void *)m, 2 * PAGE);
		return !ok;
	}
	if (load_bus || store_bus) {
		printf("not ok 1 %s # alignment fault (SIGBUS %s) on the unaligned %s through Normal-NC at stage 1: the combined type is Device, so stage 2 is Device\n",
		       name, bus_code(probe_code), load_bus ? "load" : "store");
		munmap((void *)m, 2 * PAGE);
		return 1;
	}
	/* The stored bytes, read back with aligned loads, then unaligned. */
	__asm__ __volatile__("dsb st" ::: "memory");
	lo = *(volatile uint64_t *)(m + PAGE + (PROBE_BYTE & ~7UL));
	hi = *(volatile uint64_t *)(m + PAGE + (PROBE_BYTE & ~7UL) + 8);
	got = lo >> 8 * (PROBE_BYTE & 7) | hi << 8 * (8 - (PROBE_BYTE & 7));
	first = v;
	probe_access(1, m + PAGE + PROBE_BYTE, &v);
	munmap((void *)m, 2 * PAGE);
	ok = first == 0 && got == want && v == want;
	printf("# wc: aligned read-back 0x%016" PRIx64 ", unaligned re-load 0x%016" PRIx64 "\n", got, v);
	if (ok)
		printf("ok 1 %s\n", name);
	else
		printf("not ok 1 %s # wrong data: first load 0x%016" PRIx64 " (want 0), stored 0x%016" PRIx64 ", aligned read-back 0x%016" PRIx64 ", unaligned re-load 0x%016" PRIx64 "\n",
		       name, first, want, got, v);
	return !ok;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc == 4 && !strcmp(argv[2], "probe")) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		return probe(argv[1], argv[3]);
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s PCI_DEVICE_SYSFS_DIR [probe wc|device]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%zu\n", ARRAY_SIZE(maps));
	for (i = 0; i < (int)(ARRAY_SIZE(maps)); i++) {
		if (run(argv[1], i)) {
			printf("not ok %d %s\n", i + 1, maps[i].name);
			failed++;
		} else {
			printf("ok %d %s\n", i + 1, maps[i].name);
		}
	}
	return failed ? 1 : 0;
}
