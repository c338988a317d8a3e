// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_bench - stage-2 fault cost and mapping of a vfio-pci BAR
 *
 * Runs in the emulated arm64 host (as /tests/kvm_bench, started by
 * tests/bench/init) on the unpatched base kernel and on the patched one
 * alike: it uses no uAPI the series adds, and reads the series' stage-2
 * dump only when the kernel has it.
 *
 * One VM, one vCPU, three memslots of the same size S (the whole BAR2 of
 * the ivshmem device, 64 MiB), each mapped in the guest's stage 1 with
 * 2 MiB blocks so that the guest's own table walks need no new stage-2
 * mapping during a measurement:
 *
 *   bar    the vfio BAR, host mapping 4 KiB off a 2 MiB boundary while the
 *          IPA is 2 MiB aligned: KVM can only map it page by page, on any
 *          kernel, so the pass measures the per-page stage-2 fault path.
 *   ram    anonymous memory, populated by the VMM first and with THP off
 *          (MADV_NOHUGEPAGE): the same per-page fault path for RAM,
 *          without the cost of allocating host pages.
 *   bar2m  the vfio BAR again, host mapping and IPA both 2 MiB aligned:
 *          what KVM does when a block mapping is possible.
 *
 * Before the guest runs, the VMM reads every page of both BAR mappings:
 * vfio-pci then has filled the host page tables, and the emulator has
 * touched the file behind the BAR once, so neither lands on the first
 * measured pass. For each slot, the guest loads one word from every
 * 4 KiB page, once (first touch: every page faults at stage 2 unless KVM
 * mapped a block), then again (second touch: nothing left to map). Under
 * QEMU's -icount (scripts/bench.sh), the times are instruction counts of
 * the emulated machine. Around each pass the VMM
 * reads CLOCK_MONOTONIC, the vCPU's "exits" binary statistic and the
 * host interrupts taken by the CPU the vCPU runs on (the process is
 * pinned to one CPU): each host interrupt that arrives while the guest
 * runs is one exit that is not a stage-2 fault, so the number of stage-2
 * faults lies between exits - irqs and exits. The exit of the ucall that
 * ends a pass is not counted. With the dump (CONFIG_PTDUMP_STAGE2_DEBUGFS),
 * the stage-2 leaves in each slot's IPA range are counted per level and
 * per memory type after the passes: one leaf is installed per fault.
 *
 * After the passes, the memory type of the vfio BAR is checked without
 * the dump, by the architecture: an unaligned load faults where the
 * combined stage-1 and stage-2 type is Device, and works where it is
 * Normal. Each probe is one unaligned 8-byte load, the first access to
 * its page in a fresh VM (QEMU >= 9.0 checks alignment by memory type
 * when it walks the tables, not on a TLB hit): first through a stage-1
 * Device mapping, which must fault for the probe to mean anything, then
 * through stage-1 Normal-NC, the guest's ioremap_wc(). Under QEMU's
 * -icount the control does not fault (QEMU 10.0): there the probe cannot
 * tell, and scripts/bench-report.sh says so.
 *
 * Output, one line per slot, for scripts/bench-report.sh:
 *   bench: slot=NAME pages=N first_ns=.. first_exits=.. first_irqs=..
 *          second_ns=.. second_exits=.. second_irqs=.. dump=yes|no
 *          [leaves=.. l1=BYTES l2=BYTES l3=BYTES normal_nc=BYTES
 *           device=BYTES normal=BYTES other=BYTES unmapped=BYTES]
 * and one line for the probes, each OUTCOME one of works, kvm_efault
 * (KVM_RUN failed: a stage-2 alignment fault, which 6.1 does not
 * handle) or guest_abort (the guest took an alignment fault):
 *   bench-probe: s1_device=OUTCOME s1_normal_nc=OUTCOME
 * Timings are reported, never judged.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/align.h>
#include <linux/pci_regs.h>
#include <linux/sizes.h>
#include <linux/vfio.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"

#define BAR_INDEX		VFIO_PCI_BAR2_REGION_INDEX
#define BAR_MAX_SIZE		SZ_128M

/* AttrIndx values of DEFAULT_MAIR_EL1 */
#define MAIR_IDX_DEVICE_nGnRE	1
#define MAIR_IDX_NORMAL_NC	3
#define MAIR_IDX_NORMAL		4

#define PTE_TABLE_ADDR_MASK	GENMASK(47, 12)
#define PTE_ATTRINDX_MASK	GENMASK(4, 2)
#define PTE_AF			BIT(10)
#define PTE_VALID_BLOCK		1UL
#define PTE_VALID_TABLE		3UL

/* ---------------------------------------------------------------------- */
/* Guest side */

static struct {
	uint64_t va;
	uint64_t nr;
} cmd;

static void guest_code(void)
{
	for (;;) {
		uint64_t va = READ_ONCE(cmd.va), nr = READ_ONCE(cmd.nr);
		uint64_t i, val, sum = 0;

		/* One aligned 64-bit load per 4 KiB page */
		for (i = 0; i < nr; i++) {
			asm volatile("ldr %0, [%1]"
				     : "=r" (val) : "r" (va + i * SZ_4K)
				     : "memory");
			sum += val;
		}
		GUEST_SYNC(sum);
	}
}

/* ---------------------------------------------------------------------- */
/* The device, through vfio */

struct bar_dev {
	const char *bdf;
	const char *group_name;
	int container;
	int group;
	int device;
	uint64_t cfg_off;
	uint64_t bar_off;
	uint64_t bar_size;
};

static void bar_dev_open(struct bar_dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info info = { .argsz = sizeof(info) };
	char path[64];
	uint16_t reg;
	int type;

	d->container = open("/dev/vfio/vfio", O_RDWR);
	TEST_ASSERT(d->container >= 0, "open(/dev/vfio/vfio) failed");
	TEST_ASSERT(ioctl(d->container, VFIO_GET_API_VERSION) == VFIO_API_VERSION,
		    "Unknown vfio API version");
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		type = VFIO_TYPE1v2_IOMMU;
	else
		type = VFIO_TYPE1_IOMMU;

	snprintf(path, sizeof(path), "/dev/vfio/%s", d->group_name);
	d->group = open(path, O_RDWR);
	TEST_ASSERT(d->group >= 0, "open(%s) failed", path);
	TEST_ASSERT(!ioctl(d->group, VFIO_GROUP_GET_STATUS, &status),
		    "VFIO_GROUP_GET_STATUS failed");
	TEST_ASSERT(status.flags & VFIO_GROUP_FLAGS_VIABLE,
		    "IOMMU group %s is not viable", d->group_name);
	TEST_ASSERT(!ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container),
		    "VFIO_GROUP_SET_CONTAINER failed");
	TEST_ASSERT(!ioctl(d->container, VFIO_SET_IOMMU, type),
		    "VFIO_SET_IOMMU(%d) failed", type);
	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->bdf);
	TEST_ASSERT(d->device >= 0, "VFIO_GROUP_GET_DEVICE_FD(%s) failed",
		    d->bdf);

	info.index = VFIO_PCI_CONFIG_REGION_INDEX;
	TEST_ASSERT(!ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, &info),
		    "VFIO_DEVICE_GET_REGION_INFO(config) failed");
	d->cfg_off = info.offset;

	info = (struct vfio_region_info){ .argsz = sizeof(info),
					  .index = BAR_INDEX };
	TEST_ASSERT(!ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, &info),
		    "VFIO_DEVICE_GET_REGION_INFO(BAR%d) failed", BAR_INDEX);
	TEST_ASSERT(info.flags & VFIO_REGION_INFO_FLAG_MMAP,
		    "BAR%d of %s cannot be mmapped", BAR_INDEX, d->bdf);
	TEST_ASSERT(info.size >= SZ_2M && !(info.size % SZ_2M) &&
		    info.size <= BAR_MAX_SIZE,
		    "BAR%d of %s: size %#llx, the benchmark needs a multiple of 2 MiB up to %#x",
		    BAR_INDEX, d->bdf, info.size, BAR_MAX_SIZE);
	d->bar_off = info.offset;
	d->bar_size = info.size;

	/* The BAR is only reachable, and mappable, with decoding on. */
	TEST_ASSERT(pread(d->device, &reg, 2, d->cfg_off + PCI_COMMAND) == 2,
		    "config read failed");
	reg |= PCI_COMMAND_MEMORY;
	TEST_ASSERT(pwrite(d->device, &reg, 2, d->cfg_off + PCI_COMMAND) == 2,
		    "config write failed");
}

/*
 * Map the BAR at a host address @skew bytes past a 2 MiB boundary:
 * reserve the range PROT_NONE, then map the BAR over it with MAP_FIXED.
 */
static void *bar_map(struct bar_dev *d, uint64_t skew)
{
	uint64_t len = d->bar_size + 2 * SZ_2M;
	uint8_t *area, *p, *at;

	area = mmap(NULL, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	TEST_ASSERT(area != MAP_FAILED, "mmap of %#lx bytes of VA space failed",
		    len);
	at = (uint8_t *)ALIGN((uintptr_t)area, SZ_2M) + skew;
	p = mmap(at, d->bar_size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, d->device, d->bar_off);
	TEST_ASSERT(p == at, "mmap of BAR%d at %p failed", BAR_INDEX, at);
	return p;
}

/* ---------------------------------------------------------------------- */
/* Counters */

struct counters {
	int stats_fd;
	uint64_t exits_off;
	int cpu;
};

/* The offset of the vCPU's "exits" counter in its binary stats file. */
static void counters_open(struct counters *c, struct kvm_vcpu *vcpu, int cpu)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *desc = NULL;
	size_t dsize;
	uint8_t *descs;
	uint32_t i;

	c->cpu = cpu;
	c->stats_fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, NULL);
	TEST_ASSERT(c->stats_fd >= 0, "KVM_GET_STATS_FD on the vCPU failed");
	TEST_ASSERT(pread(c->stats_fd, &h, sizeof(h), 0) == sizeof(h),
		    "Cannot read the vCPU stats header");
	dsize = sizeof(*desc) + h.name_size;
	descs = calloc(h.num_desc, dsize);
	TEST_ASSERT(descs, "Out of memory");
	TEST_ASSERT(pread(c->stats_fd, descs, h.num_desc * dsize,
			  h.desc_offset) == (ssize_t)(h.num_desc * dsize),
		    "Cannot read the vCPU stats descriptors");
	for (i = 0; i < h.num_desc; i++) {
		desc = (void *)(descs + i * dsize);
		if (!strcmp(desc->name, "exits"))
			break;
	}
	TEST_ASSERT(i < h.num_desc, "No 'exits' in the vCPU binary stats");
	c->exits_off = h.data_offset + desc->offset;
	free(descs);
}

static uint64_t read_exits(struct counters *c)
{
	uint64_t val;

	TEST_ASSERT(pread(c->stats_fd, &val, sizeof(val), c->exits_off) ==
		    sizeof(val), "Cannot read the vCPU exit counter");
	return val;
}

/* All interrupts CPU @c->cpu took so far, from /proc/interrupts. */
static uint64_t read_irqs(struct counters *c)
{
	char *line = NULL, *p, *end;
	uint64_t sum = 0, val;
	size_t len = 0;
	FILE *f;
	int col;

	f = fopen("/proc/interrupts", "r");
	TEST_ASSERT(f, "Cannot open /proc/interrupts");
	TEST_ASSERT(getline(&line, &len, f) > 0, "Empty /proc/interrupts");
	while (getline(&line, &len, f) > 0) {
		p = strchr(line, ':');
		if (!p)
			continue;
		p++;
		for (col = 0; ; col++) {
			val = strtoull(p, &end, 10);
			if (end == p)
				break;
			if (col == c->cpu) {
				sum += val;
				break;
			}
			p = end;
		}
	}
	free(line);
	fclose(f);
	return sum;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---------------------------------------------------------------------- */
/* The VM */

struct slot {
	const char *name;
	uint32_t id;
	uint64_t gpa;
	uint64_t gva;
	uint64_t attr;
	void *hva;
	/* results */
	uint64_t ns[2], exits[2], irqs[2];
	uint64_t level_bytes[4], leaves;
	uint64_t nc, device, normal, other;
};

/*
 * The stage-1 descriptor for @va at the level whose entries map
 * 1 << @leaf_shift bytes (21: a 2 MiB block, page_shift: a page).
 */
static uint64_t *s1_entry(struct kvm_vm *vm, uint64_t va,
			  unsigned int leaf_shift)
{
	unsigned int bits = vm->page_shift - 3;
	vm_paddr_t table = vm->pgd;
	uint64_t *ptep;
	int level;

	for (level = vm->pgtable_levels - 1; level >= 0; level--) {
		unsigned int shift = vm->page_shift + level * bits;

		ptep = (uint64_t *)addr_gpa2hva(vm, table) +
		       ((va >> shift) & (BIT(bits) - 1));
		if (shift == leaf_shift)
			return ptep;
		TEST_ASSERT((*ptep & 3) == PTE_VALID_TABLE,
			    "No stage-1 table for va %#lx at level %d", va,
			    level);
		table = *ptep & PTE_TABLE_ADDR_MASK;
	}
	TEST_FAIL("No level mapping 1 << %u bytes in the guest's stage 1",
		  leaf_shift);
}

/* Map [gva, gva + size) to [gpa, ...) at stage 1 with 2 MiB blocks. */
static void s1_map_blocks(struct kvm_vm *vm, uint64_t gva, uint64_t gpa,
			  uint64_t size, uint64_t attr)
{
	uint64_t off, *ptep;

	for (off = 0; off < size; off += SZ_2M) {
		ptep = s1_entry(vm, gva + off, 21);
		TEST_ASSERT(!*ptep, "Guest va %#lx is mapped already",
			    gva + off);
		*ptep = (gpa + off) | PTE_AF | (attr << 2) | PTE_VALID_BLOCK;
	}
}

/* One pass of the guest over @nr pages at @gva, measured. */
static void touch(struct kvm_vcpu *vcpu, struct counters *c, uint64_t gva,
		  uint64_t nr, uint64_t *ns, uint64_t *exits, uint64_t *irqs)
{
	uint64_t t0, t1, e0, e1, i0, i1;
	struct ucall uc;

	cmd.va = gva;
	cmd.nr = nr;
	sync_global_to_guest(vcpu->vm, cmd);

	e0 = read_exits(c);
	i0 = read_irqs(c);
	t0 = now_ns();
	vcpu_run(vcpu);
	t1 = now_ns();
	e1 = read_exits(c);
	i1 = read_irqs(c);

	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
	default:
		TEST_FAIL("Unexpected exit %s (ucall %lu) touching va %#lx",
			  exit_reason_str(vcpu->run->exit_reason), uc.cmd, gva);
	}
	*ns = t1 - t0;
	/* The ucall that ends the pass is one exit: not a fault. */
	*exits = e1 - e0 - 1;
	*irqs = i1 - i0;
}

/* ---------------------------------------------------------------------- */
/* The stage-2 dump of the series (absent on the base kernel) */

static const uint64_t level_size[4] = { 0, SZ_1G, SZ_2M, SZ_4K };

/* Add what the dump shows in each slot's IPA range; false: no dump. */
static bool dump_account(struct kvm_vm *vm, struct slot *slots, int nr,
			 uint64_t size)
{
	char path[96], *line = NULL, *type, sz[16];
	uint64_t start, end, lo, hi;
	size_t len = 0;
	int i, level, pos;
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/kvm/%d-%d/stage2_page_tables", getpid(),
		 vm->fd);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (getline(&line, &len, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "---[", 4) || !line[0])
			continue;
		pos = 0;
		TEST_ASSERT(sscanf(line, "0x%lx-0x%lx %15s %d%n", &start, &end,
				   sz, &level, &pos) == 4 && pos > 0 &&
			    level >= 0 && level <= 3,
			    "%s: malformed line '%s'", path, line);
		/*
		 * A run of invalid entries: nothing after the level (the 6.1
		 * series' dump), or "F" first (6.12's, whose first column is
		 * the valid bit).
		 */
		pos += strspn(line + pos, " ");
		if (!line[pos] || (line[pos] == 'F' &&
				   (!line[pos + 1] || line[pos + 1] == ' ')))
			continue;
		TEST_ASSERT(level >= 1, "%s: level-0 leaf '%s'", path, line);
		/* The memory type is the last field. */
		type = strrchr(line, ' ') + 1;
		for (i = 0; i < nr; i++) {
			struct slot *s = &slots[i];

			lo = max(start, s->gpa);
			hi = min(end, s->gpa + size);
			if (lo >= hi)
				continue;
			s->level_bytes[level] += hi - lo;
			s->leaves += (hi - lo) / level_size[level];
			if (!strcmp(type, "NORMAL_NC"))
				s->nc += hi - lo;
			else if (!strcmp(type, "DEVICE_nGnRE"))
				s->device += hi - lo;
			else if (!strcmp(type, "NORMAL"))
				s->normal += hi - lo;
			else
				s->other += hi - lo;
		}
	}
	free(line);
	fclose(f);
	return true;
}

/* ---------------------------------------------------------------------- */
/* The alignment probe */

#define PROBE_GPA		(4UL << 30)
#define PROBE_GVA		0x28000000UL
#define PROBE_BYTE		0x101	/* not 8-byte aligned */
#define PROBE_TIMEOUT_S		10
#define ESR_EC_DABT_CUR		0x25

/*
 * One unaligned load from page @page of the BAR mapped at @hva, through
 * stage-1 @attr, in a fresh VM. The library's exception vectors report a
 * guest abort as UCALL_UNHANDLED; the alarm ends a guest that never
 * exits.
 */
static const char *probe(void *hva, uint64_t size, uint64_t attr,
			 uint64_t page)
{
	const char *outcome;
	struct kvm_vcpu *vcpu;
	uint64_t *ptep;
	struct ucall uc;
	struct kvm_vm *vm;
	int r;

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	ucall_init(vm, NULL);
	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(vcpu);
	vm_set_user_memory_region(vm, 1, 0, PROBE_GPA, size, hva);
	/* One 4 KiB page at stage 1, as the selftest's probes map it. */
	virt_pg_map(vm, PROBE_GVA + page * SZ_4K, PROBE_GPA + page * SZ_4K);
	ptep = s1_entry(vm, PROBE_GVA + page * SZ_4K, vm->page_shift);
	*ptep = (*ptep & ~PTE_ATTRINDX_MASK) | (attr << 2);

	cmd.va = PROBE_GVA + page * SZ_4K + PROBE_BYTE;
	cmd.nr = 1;
	sync_global_to_guest(vm, cmd);
	alarm(PROBE_TIMEOUT_S);
	r = __vcpu_run(vcpu);
	alarm(0);
	if (r == -1 && errno == EFAULT) {
		outcome = "kvm_efault";
	} else {
		TEST_ASSERT(!r, "KVM_RUN of the probe: ret %d errno %d", r,
			    errno);
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			outcome = "works";
			break;
		case UCALL_UNHANDLED:
			TEST_ASSERT(uc.args[1] == ESR_EC_DABT_CUR,
				    "Probe: guest exception, vector %#lx EC %#lx; expected a data abort (EC %#x)",
				    uc.args[0], uc.args[1], ESR_EC_DABT_CUR);
			outcome = "guest_abort";
			break;
		default:
			TEST_FAIL("Probe: unexpected exit %s (ucall %lu)",
				  exit_reason_str(vcpu->run->exit_reason),
				  uc.cmd);
		}
	}
	kvm_vm_free(vm);
	return outcome;
}

/* ---------------------------------------------------------------------- */

int main(void)
{
	struct bar_dev d = {};
	struct slot slots[] = {
		{ "bar",   1, 1UL << 30, 0x10000000, MAIR_IDX_NORMAL_NC },
		{ "ram",   2, 2UL << 30, 0x18000000, MAIR_IDX_NORMAL },
		{ "bar2m", 3, 3UL << 30, 0x20000000, MAIR_IDX_NORMAL_NC },
	};
	struct kvm_vcpu *vcpu;
	struct counters c;
	struct kvm_vm *vm;
	uint64_t size, npages, off, ignore;
	const char *dev, *nc;
	cpu_set_t cpus;
	uint8_t *ram;
	bool dump;
	int i, cpu;

	setbuf(stdout, NULL);
	d.bdf = getenv("VFIO_BDF");
	d.group_name = getenv("VFIO_GROUP");
	TEST_ASSERT(d.bdf && d.group_name,
		    "Set VFIO_BDF and VFIO_GROUP to a device bound to vfio-pci");

	/* Every pass runs on one CPU, whose interrupts are counted. */
	cpu = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	CPU_ZERO(&cpus);
	CPU_SET(cpu, &cpus);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(cpus), &cpus),
		    "Cannot pin to CPU %d", cpu);

	bar_dev_open(&d);
	size = d.bar_size;
	npages = size / SZ_4K;

	slots[0].hva = bar_map(&d, SZ_4K);
	ram = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	TEST_ASSERT(ram != MAP_FAILED, "mmap of %#lx bytes of RAM failed",
		    size);
	ram = (uint8_t *)ALIGN((uintptr_t)ram, SZ_2M);
	TEST_ASSERT(!madvise(ram, size, MADV_NOHUGEPAGE),
		    "madvise(MADV_NOHUGEPAGE) failed");
	for (off = 0; off < size; off += SZ_4K)
		ram[off] = 1;
	slots[1].hva = ram;
	slots[2].hva = bar_map(&d, 0);
	/*
	 * The VMM reads every page of both BAR mappings first: vfio-pci
	 * then has filled the host page tables, and the emulator the memory
	 * behind the BAR (a file on the outer machine, first touched
	 * here), so the guest's passes measure KVM and nothing else.
	 */
	for (off = 0; off < size; off += SZ_4K)
		ignore += READ_ONCE(*(uint64_t *)((uint8_t *)slots[0].hva + off)) +
			  READ_ONCE(*(uint64_t *)((uint8_t *)slots[2].hva + off));

	printf("bench-info: device=%s bar_size=%lu pages=%lu cpu=%d bar_hva=%p ram_hva=%p bar2m_hva=%p\n",
	       d.bdf, size, npages, cpu, slots[0].hva, slots[1].hva,
	       slots[2].hva);

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	ucall_init(vm, NULL);
	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		vm_set_user_memory_region(vm, slots[i].id, 0, slots[i].gpa,
					  size, slots[i].hva);
		s1_map_blocks(vm, slots[i].gva, slots[i].gpa, size,
			      slots[i].attr);
	}
	counters_open(&c, vcpu, cpu);

	/* Warm up: the guest's code, data and stage-1 tables get mapped. */
	touch(vcpu, &c, slots[0].gva, 0, &ignore, &ignore, &ignore);
	touch(vcpu, &c, slots[0].gva, 0, &ignore, &ignore, &ignore);

	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		struct slot *s = &slots[i];

		touch(vcpu, &c, s->gva, npages, &s->ns[0], &s->exits[0],
		      &s->irqs[0]);
		touch(vcpu, &c, s->gva, npages, &s->ns[1], &s->exits[1],
		      &s->irqs[1]);
	}

	dump = dump_account(vm, slots, ARRAY_SIZE(slots), size);
	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		struct slot *s = &slots[i];

		printf("bench: slot=%s pages=%lu first_ns=%lu first_exits=%lu first_irqs=%lu second_ns=%lu second_exits=%lu second_irqs=%lu dump=%s",
		       s->name, npages, s->ns[0], s->exits[0], s->irqs[0],
		       s->ns[1], s->exits[1], s->irqs[1], dump ? "yes" : "no");
		if (dump)
			printf(" leaves=%lu l1=%lu l2=%lu l3=%lu normal_nc=%lu device=%lu normal=%lu other=%lu unmapped=%lu",
			       s->leaves, s->level_bytes[1], s->level_bytes[2],
			       s->level_bytes[3], s->nc, s->device, s->normal,
			       s->other,
			       size - s->level_bytes[1] - s->level_bytes[2] -
			       s->level_bytes[3]);
		printf("\n");
	}

	/* The stats fd holds the VM: close it, or the VM outlives kvm_vm_free(). */
	close(c.stats_fd);
	kvm_vm_free(vm);

	/*
	 * Pages 0 and 1 of the BAR: fresh VMs, first touches. One printf,
	 * after both, so that the host's log lines (KVM reports the stage-2
	 * alignment fault) do not land inside the line.
	 */
	dev = probe(slots[0].hva, size, MAIR_IDX_DEVICE_nGnRE, 0);
	nc = probe(slots[0].hva, size, MAIR_IDX_NORMAL_NC, 1);
	printf("bench-probe: s1_device=%s s1_normal_nc=%s\n", dev, nc);
	return 0;
}
