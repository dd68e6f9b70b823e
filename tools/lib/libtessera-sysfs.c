// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libtessera-sysfs: the GPUs, vGPUs and scheduler knobs of tessera.ko as
 * sysfs shows them (see libtessera.h). Functions return 0 (or a count) or
 * a negative errno.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libtessera.h"

int tsr_sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int tsr_sysfs_read_u64(const char *path, uint64_t *v)
{
	char buf[64], *end;
	int ret;

	ret = tsr_sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	return errno || end == buf ? -EINVAL : 0;
}

int tsr_sysfs_write(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

uint64_t tsr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Read <dir>/<name> as a number; 0 when absent (older drivers). */
static uint64_t rd_u64(const char *dir, const char *name)
{
	char path[PATH_MAX];
	uint64_t v = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (tsr_sysfs_read_u64(path, &v))
		return 0;
	return v;
}

static void rd_str(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (tsr_sysfs_read(path, buf, len))
		buf[0] = '\0';
}

/* Space-separated numbers of <dir>/<name> into v[0..max-1]; the count. */
static unsigned int rd_u64_list(const char *dir, const char *name,
				uint64_t *v, unsigned int max)
{
	char buf[512], *p, *end;
	unsigned int n = 0;

	rd_str(dir, name, buf, sizeof(buf));
	for (p = buf; *p && n < max; p = end) {
		v[n] = strtoull(p, &end, 0);
		if (end == p)
			break;
		n++;
	}
	return n;
}

int tsr_gpu_sample(struct tsr_gpu *g)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/tessera", g->path);
	if (access(dir, F_OK))
		return -ENODEV;
	g->contexts_in_use = rd_u64(dir, "contexts_in_use");
	g->vram_used = rd_u64(dir, "vram_used");
	g->vram_free = rd_u64(dir, "vram_free");
	g->vram_largest_free = rd_u64(dir, "vram_largest_free");
	g->gart_used = rd_u64(dir, "gart_used");
	g->gart_largest_free = rd_u64(dir, "gart_largest_free");
	memset(g->busy_ns, 0, sizeof(g->busy_ns));
	rd_u64_list(dir, "engine_busy_ns", g->busy_ns, TESSERA_MAX_ENGINES);
	g->t_ns = tsr_now_ns();
	return 0;
}

static int gpu_read(const char *bdf, struct tsr_gpu *g)
{
	char dir[PATH_MAX], cls[256], *tok, *save;
	unsigned int e;

	memset(g, 0, sizeof(*g));
	snprintf(g->bdf, sizeof(g->bdf), "%s", bdf);
	snprintf(g->path, sizeof(g->path), "/sys/bus/pci/devices/%s", bdf);
	snprintf(dir, sizeof(dir), "%s/tessera", g->path);
	if (access(dir, F_OK))
		return -ENODEV;
	rd_str(dir, "tessera_name", g->name, sizeof(g->name));
	g->index = -1;
	if (!strncmp(g->name, "tessera", 7) && g->name[7])
		g->index = atoi(g->name + 7);
	rd_str(dir, "mode", g->mode, sizeof(g->mode));
	rd_str(dir, "hw_version", g->hw_version, sizeof(g->hw_version));
	g->num_engines = rd_u64(dir, "num_engines");
	if (g->num_engines > TESSERA_MAX_ENGINES)
		g->num_engines = TESSERA_MAX_ENGINES;
	g->num_compute = rd_u64(dir, "num_compute_engines");
	g->num_copy = rd_u64(dir, "num_copy_engines");
	g->num_contexts = rd_u64(dir, "num_contexts");
	g->vram_size = rd_u64(dir, "vram_size");
	g->gart_entries = rd_u64(dir, "gart_entries");
	rd_str(dir, "engine_classes", cls, sizeof(cls));
	tok = strtok_r(cls, " ", &save);
	for (e = 0; e < g->num_engines; e++) {
		/* Without the attribute: compute engines come first. */
		snprintf(g->engine_class[e], sizeof(g->engine_class[e]), "%s",
			 tok ? tok : e < g->num_compute ? "compute" : "copy");
		if (tok)
			tok = strtok_r(NULL, " ", &save);
	}
	snprintf(dir, sizeof(dir), "%s/mdev_supported_types", g->path);
	g->has_mdev = !access(dir, F_OK);
	return tsr_gpu_sample(g);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

int tsr_gpu_list(struct tsr_gpu *gpus, int max)
{
	char names[TSR_MAX_GPUS][32];
	struct dirent *de;
	int n = 0, i, k = 0;
	DIR *d;

	d = opendir(TSR_SYSFS_PCI_DRV);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) && n < TSR_MAX_GPUS) {
		/* PCI addresses: dddd:bb:dd.f */
		if (strlen(de->d_name) != 12 || de->d_name[4] != ':')
			continue;
		snprintf(names[n++], sizeof(names[0]), "%s", de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n && k < max; i++)
		if (!gpu_read(names[i], &gpus[k]))
			k++;
	return k;
}

int tsr_gpu_find(const char *bdf, struct tsr_gpu *gpu)
{
	struct tsr_gpu *all;
	int n, i, ret = -ENODEV;

	if (bdf) {
		char full[32];

		/* Accept "00:03.0" for "0000:00:03.0". */
		snprintf(full, sizeof(full), "%s%s",
			 strlen(bdf) == 7 ? "0000:" : "", bdf);
		return gpu_read(full, gpu);
	}
	all = calloc(TSR_MAX_GPUS, sizeof(*all));
	if (!all)
		return -ENOMEM;
	n = tsr_gpu_list(all, TSR_MAX_GPUS);
	for (i = 0; i < n; i++)
		if (all[i].has_mdev || i == n - 1) {
			*gpu = all[i];
			ret = 0;
			break;
		}
	free(all);
	return ret;
}

int tsr_vgpu_sample(struct tsr_vgpu *v)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/tessera", v->path);
	if (access(dir, F_OK))
		return -ENODEV;
	rd_str(dir, "state", v->state, sizeof(v->state));
	v->weight = rd_u64(dir, "weight");
	v->faults = rd_u64(dir, "faults");
	v->resets = rd_u64(dir, "resets");
	v->irqs = rd_u64(dir, "irqs");
	v->csr_traps = rd_u64(dir, "csr_traps");
	v->gart_errors = rd_u64(dir, "gart_errors");
	v->irq_storms = rd_u64(dir, "irq_storms");
	memset(v->runtime_ns, 0, sizeof(v->runtime_ns));
	v->num_engines = rd_u64_list(dir, "engine_runtime_ns", v->runtime_ns,
				     TESSERA_MAX_ENGINES);
	if (!v->num_engines) {
		v->runtime_ns[0] = rd_u64(dir, "submits_runtime_ns");
		v->num_engines = 1;
	}
	v->t_ns = tsr_now_ns();
	return 0;
}

static int vgpu_read(const char *uuid, struct tsr_vgpu *v)
{
	char dir[PATH_MAX], link[PATH_MAX], *p;
	ssize_t n;

	memset(v, 0, sizeof(*v));
	snprintf(v->uuid, sizeof(v->uuid), "%s", uuid);
	snprintf(v->path, sizeof(v->path), "%s/%s", TSR_SYSFS_MDEV, uuid);
	snprintf(dir, sizeof(dir), "%s/tessera", v->path);
	if (access(dir, F_OK))
		return -ENODEV;	/* not a Tessera vGPU (or not probed) */
	/* The device's real path ends in .../<parent bdf>/<uuid>. */
	if (!realpath(v->path, link))
		return -errno;
	p = strrchr(link, '/');
	if (p) {
		*p = '\0';
		p = strrchr(link, '/');
		snprintf(v->parent, sizeof(v->parent), "%s", p ? p + 1 : link);
	}
	snprintf(dir, sizeof(dir), "%s/mdev_type", v->path);
	n = readlink(dir, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		p = strrchr(link, '/');
		snprintf(v->type, sizeof(v->type), "%s", p ? p + 1 : link);
	}
	snprintf(dir, sizeof(dir), "%s/tessera", v->path);
	if (!v->type[0]) {
		char t[24];

		rd_str(dir, "vgpu_type", t, sizeof(t));
		snprintf(v->type, sizeof(v->type), "tessera-%s", t);
	}
	v->hw_context = rd_u64(dir, "hw_context");
	v->vram_size = rd_u64(dir, "vram_size");
	v->gart_entries = rd_u64(dir, "gart_entries");
	return tsr_vgpu_sample(v);
}

int tsr_vgpu_list(const char *parent, struct tsr_vgpu *vgpus, int max)
{
	char (*names)[40];
	struct dirent *de;
	int n = 0, i, k = 0;
	DIR *d;

	d = opendir(TSR_SYSFS_MDEV);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	names = calloc(TSR_MAX_VGPUS, sizeof(*names));
	if (!names) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d)) && n < TSR_MAX_VGPUS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= 40)
			continue;
		snprintf(names[n++], sizeof(names[0]), "%s", de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n && k < max; i++) {
		if (vgpu_read(names[i], &vgpus[k]))
			continue;
		if (parent && strcmp(parent, vgpus[k].parent))
			continue;
		k++;
	}
	free(names);
	return k;
}

int tsr_vgpu_find(const char *uuid, struct tsr_vgpu *vgpu)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", TSR_SYSFS_MDEV, uuid);
	if (strchr(uuid, '/') || access(path, F_OK))
		return -ENOENT;
	return vgpu_read(uuid, vgpu);
}

static void type_parse(struct tsr_vgpu_type *t)
{
	const char *p;

	p = strstr(t->description, "vram=");
	if (p)
		t->vram_mb = strtoul(p + 5, NULL, 10);
	p = strstr(t->description, "entries");
	if (p) {
		while (p > t->description && p[-1] == ' ')
			p--;
		while (p > t->description && p[-1] >= '0' && p[-1] <= '9')
			p--;
		t->gart_entries = strtoul(p, NULL, 10);
	}
	p = strstr(t->description, "weight=");
	if (p)
		t->weight = strtoul(p + 7, NULL, 10);
}

static int type_read(const struct tsr_gpu *gpu, const char *id,
		     struct tsr_vgpu_type *t)
{
	char dir[PATH_MAX];

	memset(t, 0, sizeof(*t));
	snprintf(dir, sizeof(dir), "%s/mdev_supported_types/%s", gpu->path, id);
	if (access(dir, F_OK))
		return -ENOENT;
	snprintf(t->id, sizeof(t->id), "%s", id);
	rd_str(dir, "name", t->name, sizeof(t->name));
	rd_str(dir, "description", t->description, sizeof(t->description));
	t->available = rd_u64(dir, "available_instances");
	type_parse(t);
	return 0;
}

static int cmp_type(const void *a, const void *b)
{
	const struct tsr_vgpu_type *x = a, *y = b;

	return x->vram_mb != y->vram_mb ? (x->vram_mb > y->vram_mb) -
	       (x->vram_mb < y->vram_mb) : strcmp(x->id, y->id);
}

int tsr_type_list(const struct tsr_gpu *gpu, struct tsr_vgpu_type *types,
		  int max)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/mdev_supported_types", gpu->path);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max)
		if (de->d_name[0] != '.' &&
		    !type_read(gpu, de->d_name, &types[n]))
			n++;
	closedir(d);
	qsort(types, n, sizeof(*types), cmp_type);
	return n;
}

int tsr_type_get(const struct tsr_gpu *gpu, const char *type,
		 struct tsr_vgpu_type *t)
{
	char id[64];

	if (strchr(type, '/') || strlen(type) > 40)
		return -EINVAL;
	snprintf(id, sizeof(id), "%s%s",
		 strncmp(type, "tessera-", 8) ? "tessera-" : "", type);
	return type_read(gpu, id, t);
}

int tsr_vgpu_create(const struct tsr_gpu *gpu, const char *type,
		    const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/mdev_supported_types/%s/create",
		 gpu->path, type);
	return tsr_sysfs_write(path, uuid);
}

int tsr_vgpu_remove(const char *uuid)
{
	char path[PATH_MAX];

	if (strchr(uuid, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s/remove", TSR_SYSFS_MDEV, uuid);
	return tsr_sysfs_write(path, "1");
}

int tsr_uuid_gen(char *uuid, size_t len)
{
	return tsr_sysfs_read("/proc/sys/kernel/random/uuid", uuid, len);
}

int tsr_sched_read(const struct tsr_gpu *gpu, const char *knob, char *buf,
		   size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sched/%s", gpu->path, knob);
	return tsr_sysfs_read(path, buf, len);
}

int tsr_sched_write(const struct tsr_gpu *gpu, const char *knob,
		    const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sched/%s", gpu->path, knob);
	return tsr_sysfs_write(path, val);
}
