// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-wc-map - what the bus layer of a user-space driver (DPDK's vfio
 * bus, for instance) does to map a BAR write-combining with the series'
 * uAPI (6.1 patch 13, 6.12 patch 7), run in the nested guest after vfio_pci_wc_mmap:
 *
 *  1. open the device through its vfio group (no-IOMMU mode here: the
 *     nested guest has no IOMMU), and turn memory decoding on;
 *  2. VFIO_DEVICE_GET_REGION_INFO of the BAR, with its capability chain;
 *     a VFIO_REGION_INFO_CAP_BAR_ALIAS names another region;
 *  3. that region's VFIO_REGION_INFO_CAP_TYPE must be
 *     VFIO_REGION_TYPE_PCI_BAR_ALIAS / VFIO_REGION_SUBTYPE_PCI_BAR_ALIAS_WC;
 *  4. mmap() at that region's offset instead of the BAR's.
 *
 * It then loads one word from every page of [OFFSET, OFFSET + LENGTH) of
 * the BAR through that mapping (loads only: the backing file keeps what
 * the test wrote there), prints "NESTED-VFIO-MAPPED ...", creates
 * /tmp/vfio-wc-mapped (for the nested guest's /init), and keeps the
 * mapping until it is killed: the host reads the stage-2 dump of that
 * window while the guest's write-combining mapping of it exists
 * (vfio_pci_wc_mmap itself unmaps, and its device reset at close unmaps
 * stage 2 too). On any error it prints "NESTED-ERROR ..." and exits 1.
 *
 * Usage: vfio-wc-map BDF BAR OFFSET LENGTH
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

static int fd;

static void die(const char *what)
{
	printf("NESTED-ERROR vfio-wc-map: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct vfio_region_info *region_info(unsigned int index)
{
	struct vfio_region_info *info = NULL;
	size_t size = sizeof(*info);

	for (;;) {
		info = realloc(info, size);
		if (!info)
			die("realloc");
		memset(info, 0, size);
		info->argsz = size;
		info->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info))
			die("VFIO_DEVICE_GET_REGION_INFO");
		if (info->argsz <= size)
			return info;
		size = info->argsz;
	}
}

/* The first capability ID after PREV (NULL: from the start) in INFO */
static struct vfio_info_cap_header *cap(struct vfio_region_info *info,
					struct vfio_info_cap_header *prev, uint16_t id)
{
	uint32_t off = prev ? prev->next : info->cap_offset;
	struct vfio_info_cap_header *h;

	if (!(info->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return NULL;
	for (; off && off + sizeof(*h) <= info->argsz; off = h->next) {
		h = (void *)info + off;
		if (h->id == id)
			return h;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_info_cap_header *h = NULL;
	struct vfio_region_info *bar, *alias = NULL, *cfg;
	char path[PATH_MAX], link[PATH_MAX], *grp;
	unsigned long off, len, i, sum = 0;
	int container, group, index;
	volatile uint64_t *p;
	uint16_t cmd;
	ssize_t n;

	if (argc != 5) {
		fprintf(stderr, "usage: %s BDF BAR OFFSET LENGTH\n", argv[0]);
		return 2;
	}
	index = atoi(argv[2]);
	off = strtoul(argv[3], NULL, 0);
	len = strtoul(argv[4], NULL, 0);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", argv[1]);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = '\0';
	grp = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	snprintf(path, sizeof(path), "/dev/vfio/noiommu-%.32s", grp);
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0)
		die("open /dev/vfio/vfio or the no-IOMMU group");
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) ||
	    ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU))
		die("group and container");
	fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[1]);
	if (fd < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");

	cfg = region_info(VFIO_PCI_CONFIG_REGION_INDEX);
	if (pread(fd, &cmd, 2, cfg->offset + PCI_COMMAND) != 2)
		die("config read");
	cmd |= PCI_COMMAND_MEMORY;
	if (pwrite(fd, &cmd, 2, cfg->offset + PCI_COMMAND) != 2)
		die("config write");

	/* The discovery step of a bus driver: BAR -> alias -> its type */
	bar = region_info(index);
	while ((h = cap(bar, h, VFIO_REGION_INFO_CAP_BAR_ALIAS))) {
		struct vfio_region_info_cap_bar_alias *l = (void *)h;
		struct vfio_region_info_cap_type *type;

		alias = region_info(l->index);
		type = (void *)cap(alias, NULL, VFIO_REGION_INFO_CAP_TYPE);
		if (type && type->type == VFIO_REGION_TYPE_PCI_BAR_ALIAS &&
		    type->subtype == VFIO_REGION_SUBTYPE_PCI_BAR_ALIAS_WC)
			break;
		free(alias);
		alias = NULL;
	}
	if (!alias) {
		errno = ENOENT;
		die("BAR has no write-combining alias");
	}

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, alias->offset + off);
	if (p == MAP_FAILED)
		die("mmap of the alias");
	for (i = 0; i < len / 8; i += 4096 / 8)
		sum += p[i];
	printf("NESTED-VFIO-MAPPED BAR%d [0x%lx, 0x%lx) through alias region %u, WC; %lu pages loaded (sum 0x%lx); holding it\n",
	       index, off, off + len, alias->index, len / 4096, sum);
	fflush(stdout);
	close(open("/tmp/vfio-wc-mapped", O_CREAT | O_WRONLY, 0644));
	for (;;)
		pause();
}
