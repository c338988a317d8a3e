// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem_wc_test - a guest driver that maps a passed-through BAR the way
 * real drivers do, for the nested-VMM scenario of the harness.
 *
 * Bound to QEMU's ivshmem device (1af4:1110) inside a guest that a VMM
 * runs with the device assigned through vfio-pci, its probe:
 *  - maps BAR2 (shared memory) with ioremap_wc(), which is Normal-NC at
 *    stage 1, writes a pattern with __iowrite64_copy() and reads it back;
 *  - maps BAR0 (registers) with ioremap(), which is Device-nGnRE at
 *    stage 1, and checks that the interrupt mask register reads back what
 *    writel() put there.
 * It reports in KTAP through the kernel log. The pattern stays in the
 * device memory so that the host side can check it after the VM is gone.
 *
 * Loaded with align_probe=1, it does only the alignment probe of its
 * ioremap_wc() mapping (probe_driver_wc_unaligned): an unaligned 8-byte
 * load as the first access to one fresh page of BAR2, an unaligned 8-byte
 * store as the first access to the next. ioremap_wc() is Normal-NC at
 * stage 1, so the combined type is what stage 2 gives: Normal-NC lets
 * both work (on hardware and on QEMU >= 9.0); Device makes them take an
 * alignment fault. The load is copy_from_kernel_nofault(): on arm64
 * (HAVE_EFFICIENT_UNALIGNED_ACCESS) it is one 8-byte ldr whatever the
 * alignment, with an exception-table fixup (do_alignment_fault() ->
 * __do_kernel_fault() -> fixup_exception()), so an alignment abort the
 * guest takes returns -EFAULT instead of an oops. The store is the same
 * macro copy_to_kernel_nofault() uses, __put_kernel_nofault() (one str
 * with a fixup in this module's exception table): 6.1 does not export
 * copy_to_kernel_nofault(). (A stage-2
 * alignment fault KVM 6.1 does not handle never reaches the guest: the
 * VMM's KVM_RUN fails with EFAULT and the VM stops; the host reports it.)
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define IVSHMEM_BAR_REGS	0
#define IVSHMEM_BAR_SHM		2
#define IVSHMEM_REG_INTRMASK	0x00

/* Where the pattern goes in BAR2: see tests/host/ivshmem-check.c */
#define WC_OFFSET		(16 * SZ_1M)
#define WC_SIZE			SZ_1M
#define WC_TAG			0x4b57000000000000ULL	/* "KW" */
#define CHUNK_WORDS		512

/* The alignment probe: see tests/host/ivshmem-check.c */
#define PROBE_OFFSET		(28 * SZ_1M)
#define PROBE_BYTE		0x101	/* odd: unaligned for every size > 1 */
#define PROBE_TAG		0x31574b5f424f5250ULL	/* "PROB_KW1", little-endian */

static bool align_probe;
module_param(align_probe, bool, 0444);
MODULE_PARM_DESC(align_probe, "only probe unaligned access through ioremap_wc()");

#define ktap(fmt, ...)		pr_info(fmt "\n", ##__VA_ARGS__)

static int test_num;

static void report(bool ok, const char *name, const char *why)
{
	if (ok)
		ktap("ok %d %s", ++test_num, name);
	else
		ktap("not ok %d %s # %s", ++test_num, name, why);
}

static char wc_write_why[96];

/*
 * Write the pattern in chunks with __iowrite64_copy(), and check each
 * chunk right after it was written (after a wmb() drained the
 * write-combining buffer), so that this result fails on its own when the
 * write path loses or reorders data; bar2_wc_readback reads it all again
 * at the end.
 */
static bool test_wc_write(void __iomem *shm, u64 *buf)
{
	unsigned int i, j;
	u64 got;

	for (i = 0; i < WC_SIZE / 8; i += CHUNK_WORDS) {
		for (j = 0; j < CHUNK_WORDS; j++)
			buf[j] = WC_TAG | (i + j);
		__iowrite64_copy(shm + (size_t)i * 8, buf, CHUNK_WORDS);
		wmb();
		for (j = 0; j < CHUNK_WORDS; j++) {
			got = readq(shm + (size_t)(i + j) * 8);
			if (got != buf[j]) {
				snprintf(wc_write_why, sizeof(wc_write_why),
					 "word %u reads %#llx after the write, expected %#llx",
					 i + j, got, buf[j]);
				return false;
			}
		}
	}
	return true;
}

static bool test_wc_readback(void __iomem *shm)
{
	unsigned int i, bad = 0;
	u64 v;

	for (i = 0; i < WC_SIZE / 8; i++) {
		v = readq(shm + (size_t)i * 8);
		if (v == (WC_TAG | i))
			continue;
		if (!bad++)
			ktap("# word %u reads 0x%016llx, expected 0x%016llx",
			     i, v, WC_TAG | i);
	}
	if (bad)
		ktap("# %u of %u words wrong", bad, (unsigned int)(WC_SIZE / 8));
	return !bad;
}

static bool test_reg_writel(void __iomem *regs)
{
	static const u32 values[] = { 0xa5a5a5a5, 0x5a5a5a5a, 0x00000000 };
	unsigned int i;
	u32 v;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		writel(values[i], regs + IVSHMEM_REG_INTRMASK);
		v = readl(regs + IVSHMEM_REG_INTRMASK);
		if (v != values[i]) {
			ktap("# IntrMask reads 0x%08x after writel(0x%08x)",
			     v, values[i]);
			return false;
		}
	}
	return true;
}

/* One unaligned 8-byte str that an alignment abort cannot oops: -EFAULT. */
static long store_nofault(void *dst, u64 v)
{
	pagefault_disable();
	__put_kernel_nofault(dst, &v, u64, efault);
	pagefault_enable();
	return 0;
efault:
	pagefault_enable();
	return -EFAULT;
}

/* The unaligned load and store; one KTAP line, probe_driver_wc_unaligned. */
static void test_align_probe(struct pci_dev *pdev)
{
	static const char name[] = "probe_driver_wc_unaligned";
	resource_size_t start = pci_resource_start(pdev, IVSHMEM_BAR_SHM) + PROBE_OFFSET;
	u64 first = ~0ULL, v = ~0ULL, lo, hi, got, want = PROBE_TAG;
	void __iomem *m;
	long lret, sret;

	if (pci_resource_len(pdev, IVSHMEM_BAR_SHM) < PROBE_OFFSET + 2 * PAGE_SIZE) {
		ktap("not ok 1 %s # BAR2 too small", name);
		return;
	}
	m = devm_ioremap_wc(&pdev->dev, start, 2 * PAGE_SIZE);
	if (!m) {
		ktap("not ok 1 %s # ioremap_wc() failed", name);
		return;
	}
	/* First touch of page 0: the load. Nothing wrote there: 0. */
	lret = copy_from_kernel_nofault(&first, (const void __force *)(m + PROBE_BYTE), 8);
	ktap("# ldr of 8 bytes at BAR2+0x%x (first touch): %s, 0x%016llx",
	     PROBE_OFFSET + PROBE_BYTE, lret ? "FAULTED" : "worked", first);
	/* First touch of page 1: the store. */
	sret = store_nofault((void __force *)(m + PAGE_SIZE + PROBE_BYTE), want);
	ktap("# str of 0x%016llx at BAR2+0x%lx (first touch): %s", want,
	     PROBE_OFFSET + PAGE_SIZE + PROBE_BYTE, sret ? "FAULTED" : "worked");
	if (lret || sret) {
		ktap("not ok 1 %s # alignment fault (the guest's abort, fixed up) on the unaligned %s through ioremap_wc(): the combined stage-1 x stage-2 type is Device",
		     name, lret ? "load" : "store");
		return;
	}
	wmb();
	lo = readq(m + PAGE_SIZE + (PROBE_BYTE & ~7));
	hi = readq(m + PAGE_SIZE + (PROBE_BYTE & ~7) + 8);
	got = lo >> 8 * (PROBE_BYTE & 7) | hi << 8 * (8 - (PROBE_BYTE & 7));
	lret = copy_from_kernel_nofault(&v, (const void __force *)(m + PAGE_SIZE + PROBE_BYTE), 8);
	ktap("# aligned read-back 0x%016llx, unaligned re-load 0x%016llx%s", got, v,
	     lret ? " (FAULTED)" : "");
	if (!lret && first == 0 && got == want && v == want)
		ktap("ok 1 %s", name);
	else
		ktap("not ok 1 %s # wrong data: first load 0x%016llx (want 0), stored 0x%016llx, aligned read-back 0x%016llx, unaligned re-load 0x%016llx",
		     name, first, want, got, v);
}

static int ivshmem_wc_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	resource_size_t shm_start = pci_resource_start(pdev, IVSHMEM_BAR_SHM);
	resource_size_t shm_len = pci_resource_len(pdev, IVSHMEM_BAR_SHM);
	void __iomem *shm = NULL, *regs = NULL;
	u64 *buf;
	bool ok;
	int ret;

	if (align_probe) {
		ktap("KTAP version 1");
		ktap("1..1");
		if (pcim_enable_device(pdev))
			ktap("not ok 1 probe_driver_wc_unaligned # cannot enable the device");
		else
			test_align_probe(pdev);
		return 0;
	}
	ktap("KTAP version 1");
	ktap("1..3");
	ktap("# %s: BAR2 at %pa, %llu MiB; BAR0 at %pa", pci_name(pdev),
	     &shm_start, (u64)shm_len >> 20, &pdev->resource[IVSHMEM_BAR_REGS].start);

	ret = pcim_enable_device(pdev);
	if (!ret)
		ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret) {
		ktap("# cannot enable the device or claim its BARs: %d", ret);
		return ret;
	}
	if (shm_len >= WC_OFFSET + WC_SIZE)
		shm = devm_ioremap_wc(&pdev->dev, shm_start + WC_OFFSET, WC_SIZE);
	regs = devm_ioremap(&pdev->dev, pci_resource_start(pdev, IVSHMEM_BAR_REGS),
			    pci_resource_len(pdev, IVSHMEM_BAR_REGS));
	buf = devm_kmalloc(&pdev->dev, CHUNK_WORDS * 8, GFP_KERNEL);

	ok = shm && buf && test_wc_write(shm, buf);
	report(ok, "bar2_ioremap_wc_iowrite64_copy",
	       !shm ? "BAR2 too small or ioremap_wc() failed" :
	       !buf ? "no memory" : wc_write_why);
	report(ok && test_wc_readback(shm), "bar2_wc_readback", "data differs");
	report(regs && test_reg_writel(regs), "bar0_ioremap_writel_readl",
	       regs ? "register does not read back" : "ioremap() of BAR0 failed");
	return 0;
}

static const struct pci_device_id ivshmem_wc_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1110) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ivshmem_wc_ids);

static struct pci_driver ivshmem_wc_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= ivshmem_wc_ids,
	.probe		= ivshmem_wc_probe,
};
module_pci_driver(ivshmem_wc_driver);

MODULE_DESCRIPTION("Write-combining and register access to an assigned ivshmem BAR");
MODULE_LICENSE("GPL");
