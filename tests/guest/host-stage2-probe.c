// SPDX-License-Identifier: GPL-2.0
/*
 * host-stage2-probe - runs in the emulated host itself (not in a guest):
 * asks the CPU what memory type the host's own stage 2 gives BAR2 of the
 * ivshmem device. Only meaningful under pKVM (kvm-arm.mode=protected),
 * where the hypervisor puts the host behind a stage 2 of its own, built
 * by host_stage2_idmap() with PKVM_HOST_MMIO_PROT for MMIO: Normal in the
 * non-FWB format, so that the host's stage 1 decides. /init runs it only
 * there.
 *
 * An unaligned 8-byte load as the first access to a fresh page:
 *  - through sysfs resource2_wc (Normal-NC at stage 1) it must work: the
 *    combined type is Normal, so the host's stage 2 is not Device;
 *  - through sysfs resource2 (Device-nGnRE at stage 1) it must take
 *    SIGBUS (BUS_ADRALN): the control that shows the check can fault in
 *    this run. (QEMU >= 9.0 checks alignment by memory type, as hardware
 *    does; QEMU 7.2 does not, and /init does not run this there.)
 * What it cannot tell: Normal-NC from Normal Write-Back at stage 2 (both
 * allow unaligned accesses); that rests on the code (profiles/pkvm.conf).
 *
 * Loads only: the backing file must stay zero here (the outside check).
 * The pages are at BAR2 + 40 MiB, which no other test touches. Until a
 * user opens it, a device bound to vfio-pci is not enabled: its memory
 * decoding (and its root port's) is off, and a load would read all ones
 * from nowhere. So the probe opens it through vfio (its IOMMU group, a
 * type1 container, the device fd), which enables it, and holds it open
 * for its two loads; the loads themselves go through sysfs.
 *
 * Usage: host-stage2-probe PCI_DEVICE_SYSFS_DIR IOMMU_GROUP
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <linux/vfio.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE		4096UL
#define PROBE_OFFSET	(40UL << 20)
#define PROBE_BYTE	0x101

static sigjmp_buf probe_jmp;
static volatile sig_atomic_t probe_armed, probe_code;

static void probe_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (!probe_armed)
		_exit(3);
	probe_armed = 0;
	probe_code = si->si_code;
	siglongjmp(probe_jmp, 1);
}

/* One ldr of 8 bytes: the compiler may not split an unaligned access. */
static uint64_t ldr64(volatile uint8_t *a)
{
	uint64_t v;

	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* 0 and the value, or 1 if the load took SIGBUS (code in probe_code) */
static int probe_load(const char *dir, const char *file, unsigned long off, uint64_t *v)
{
	volatile uint8_t *m;
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDWR | O_SYNC);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, off);
	if (m == MAP_FAILED) {
		printf("cannot map %s at 0x%lx: %s\n", path, off, strerror(errno));
		return -1;
	}
	close(fd);
	printf("# %s: ldr of 8 bytes at BAR2+0x%lx (first touch of its page)\n", file, off + PROBE_BYTE);
	probe_code = 0;
	if (sigsetjmp(probe_jmp, 1)) {
		munmap((void *)m, PAGE);
		return 1;
	}
	probe_armed = 1;
	*v = ldr64(m + PROBE_BYTE);
	probe_armed = 0;
	munmap((void *)m, PAGE);
	return 0;
}

/* Open the device through vfio: the device fd (>= 0), or -1 */
static int vfio_open(const char *dir, const char *group)
{
	char path[512], bdf[256];
	int container, grp, dev;

	snprintf(bdf, sizeof(bdf), "%s", dir);
	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	container = open("/dev/vfio/vfio", O_RDWR);
	grp = open(path, O_RDWR);
	if (container < 0 || grp < 0) {
		printf("cannot open /dev/vfio/vfio or %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (ioctl(grp, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		printf("cannot set up a vfio type1 container for %s: %s\n", path, strerror(errno));
		return -1;
	}
	dev = ioctl(grp, VFIO_GROUP_GET_DEVICE_FD, basename(bdf));
	if (dev < 0)
		printf("cannot get the vfio device fd of %s: %s\n", dir, strerror(errno));
	return dev;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = probe_sigbus, .sa_flags = SA_SIGINFO };
	uint64_t v = ~0ULL, d = 0;
	int wc, dev, dev_code;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PCI_DEVICE_SYSFS_DIR IOMMU_GROUP\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGBUS, &sa, NULL);

	/* Enables the device; closed when the program exits. */
	if (vfio_open(argv[1], argv[2]) < 0)
		return 1;
	printf("# %s opened through vfio (group %s): enabled while the probe runs\n", argv[1], argv[2]);

	wc = probe_load(argv[1], "resource2_wc", PROBE_OFFSET, &v);
	if (wc >= 0)
		printf("# resource2_wc (S1 Normal-NC): %s\n", wc ? "SIGBUS" : "the load worked");
	dev = wc < 0 ? -1 : probe_load(argv[1], "resource2", PROBE_OFFSET + PAGE, &d);
	dev_code = probe_code;
	if (wc < 0 || dev < 0)
		return 1;
	printf("# resource2 (S1 Device, control): %s\n",
	       dev ? (dev_code == BUS_ADRALN ? "SIGBUS (BUS_ADRALN)" : "SIGBUS (not BUS_ADRALN)") :
	       "the load worked");

	if (!dev || dev_code != BUS_ADRALN) {
		printf("control failed: an unaligned load through the host's stage-1 Device mapping (resource2) did not take an alignment fault: this run cannot tell a Device stage 2\n");
		return 1;
	}
	if (wc) {
		printf("alignment fault on an unaligned load through the host's stage-1 Normal-NC mapping (resource2_wc): the host's stage 2 maps BAR2 Device\n");
		return 1;
	}
	if (v) {
		printf("the load through resource2_wc returned 0x%016" PRIx64 ", not the 0 nothing wrote over%s\n",
		       v, v == ~0ULL ? " (all ones: the load reached no memory; memory decoding off?)" : "");
		return 1;
	}
	printf("the host's stage 2 maps BAR2 Normal (stage 1 decides): resource2_wc unaligned load worked (0), resource2 took SIGBUS (BUS_ADRALN)\n");
	return 0;
}
