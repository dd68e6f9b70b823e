// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_soak: the whole life of a vGPU, over and over. Each cycle creates a
 * vGPU, opens it through VFIO (container, group, device, BAR mappings,
 * MSI-X), runs a checked job (FILL of a VRAM window, CHECKSUM of it into
 * another, a FENCE with an interrupt), closes it and removes it. Every
 * 100 cycles, and at the end, the host driver's accounting (debugfs) is
 * back where it started and the parent offers as many vGPUs as before.
 * On the debug kernel the suite's kmemleak scan follows (run-vm-tests.sh):
 * a cycle that leaks shows up there as 1000 identical reports.
 *
 * TESSERA_SOAK_CYCLES sets the number of cycles (default 1000).
 *
 * unload_while_open: with a vGPU open and a job queued, neither module
 * can be unloaded (delete_module(2) is refused, as rmmod would be), and
 * the vGPU goes on working.
 */
#include <endian.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "mdev-common.h"

#define SOAK_WINDOW	(64 * 1024)
#define SOAK_SUM_OFF	(1024 * 1024)
#define SOAK_TIMEOUT_S	1800

static unsigned long soak_cycles(void)
{
	const char *s = getenv("TESSERA_SOAK_CYCLES");
	unsigned long n = s ? strtoul(s, NULL, 0) : 0;

	return n ? n : 1000;
}

/* The hash CHECKSUM writes for @bytes of the 32-bit @pattern (LE). */
static u32 fill_hash(u32 pattern, u32 bytes)
{
	static u32 buf[SOAK_WINDOW / 4];
	u32 k;

	for (k = 0; k < bytes / 4; k++)
		buf[k] = htole32(pattern);
	return tess_fnv1a(buf, bytes);
}

/* The first accounting line that differs, or -1. */
static int acct_diff(const long long *a, const long long *b)
{
	int k;

	for (k = 0; k < VGPU_NR_ACCT; k++)
		if (a[k] != b[k])
			return k;
	return -1;
}

/*
 * One cycle; 0, or the step that failed (negative) with @why set. The
 * pattern changes every cycle, so that a window left from an earlier
 * vGPU (another tenant's data) cannot pass for this one's result.
 */
static int soak_cycle(unsigned long i, char *why, size_t len)
{
	u32 pattern = 0x50a50000u ^ (u32)(i * 2654435761u);
	char uuid[MDEV_UUID_LEN];
	struct tess_dev t = { 0 };
	struct tess_ring r;
	u32 sum = 0, want;
	long bad;
	int ret;

	ret = vgpu_create(SMALL_TYPE, uuid);
	if (ret) {
		snprintf(why, len, "create: %s", strerror(-ret));
		return -1;
	}
	ret = tess_open_mdev(&t, uuid);
	if (ret) {
		snprintf(why, len, "open: %s", t.err);
		goto out_remove;
	}
	ret = vgpu_setup(&t, &r, 0, 0);
	if (ret) {
		snprintf(why, len, "setup: %s", strerror(-ret));
		goto out_close;
	}
	/* A fresh vGPU's VRAM is zero: nothing of the last tenant's. */
	bad = tess_vram_check32(&t, 8192, SOAK_WINDOW, 0);
	if (bad >= 0) {
		snprintf(why, len, "fresh VRAM not zero at +0x%lx", bad);
		ret = -EIO;
		goto out_close;
	}
	/* Eventfds on every vector, the fence interrupt of engine 0 on. */
	ret = vfio_irq_enable(&t.vfio, VFIO_PCI_MSIX_IRQ_INDEX, 1 + t.engines);
	if (ret) {
		snprintf(why, len, "MSI-X: %s", strerror(-ret));
		goto out_close;
	}
	tess_eng_wr(&t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	tess_wr32(&t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	ret = tess_emit_fill(&r, 8192, SOAK_WINDOW, pattern);
	if (!ret)
		ret = tess_emit_checksum(&r, SOAK_SUM_OFF, 8192, SOAK_WINDOW);
	if (!ret)
		ret = vgpu_fence_wait(&r, i + 1);
	if (ret) {
		snprintf(why, len, "job: %s", strerror(-ret));
		goto out_close;
	}
	ret = vfio_irq_wait(&t.vfio, TESSERA_MSIX_VECTOR_ENGINE(0), 5000);
	if (ret <= 0) {
		snprintf(why, len, "no fence interrupt: %s",
			 strerror(ret ? -ret : EIO));
		ret = -EIO;
		goto out_close;
	}
	ret = 0;
	ret = tess_vram_read(&t, SOAK_SUM_OFF, &sum, sizeof(sum));
	want = fill_hash(pattern, SOAK_WINDOW);
	if (!ret && le32toh(sum) != want) {
		snprintf(why, len, "checksum 0x%08x, want 0x%08x",
			 le32toh(sum), want);
		ret = -EIO;
	}
out_close:
	/* Closed with the eventfds still attached: the release tears down. */
	tess_close(&t);
out_remove:
	if (mdev_remove(uuid) && !ret) {
		snprintf(why, len, "remove %s failed", uuid);
		ret = -EBUSY;
	}
	return ret;
}

FIXTURE(soak) {
};

FIXTURE_SETUP(soak)
{
}

FIXTURE_TEARDOWN(soak)
{
}

/* About 15 ms a cycle on the stock kernel; the debug kernel is slower. */
TEST_F_TIMEOUT(soak, create_open_job_close_remove, SOAK_TIMEOUT_S)
{
	long long acct0[VGPU_NR_ACCT], acct[VGPU_NR_ACCT];
	unsigned long n = soak_cycles(), i;
	int avail0, have_acct, k;
	u64 t0 = tess_now_ms(), ms;
	char why[512];

	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	avail0 = mdev_available(mdev_parent(), SMALL_TYPE);
	ASSERT_LT(0, avail0);
	have_acct = !vgpu_accounting(acct0);
	if (!have_acct)
		TH_LOG("no debugfs accounting: only the available count is checked");
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, soak_cycle(i, why, sizeof(why))) {
			TH_LOG("cycle %lu: %s", i, why);
		}
		if ((i + 1) % 100 && i + 1 != n)
			continue;
		ASSERT_EQ(avail0, mdev_available(mdev_parent(), SMALL_TYPE)) {
			TH_LOG("after %lu cycles", i + 1);
		}
		if (!have_acct)
			continue;
		ASSERT_EQ(0, vgpu_accounting(acct));
		k = acct_diff(acct0, acct);
		ASSERT_EQ(-1, k) {
			TH_LOG("after %lu cycles: %s %lld, was %lld", i + 1,
			       vgpu_acct_keys[k], acct[k], acct0[k]);
		}
	}
	ms = tess_now_ms() - t0;
	TH_LOG("%lu cycles in %.1f s (%.1f ms each), accounting back to the start",
	       n, ms / 1e3, (double)ms / n);
}

/* delete_module(2) without waiting: 0, or -errno. */
static int try_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* The module is in /proc/modules. */
static int module_loaded(const char *name)
{
	char line[256];
	size_t n = strlen(name);
	int found = 0;
	FILE *fp = fopen("/proc/modules", "r");

	if (!fp)
		return 0;
	while (!found && fgets(line, sizeof(line), fp))
		found = !strncmp(line, name, n) && line[n] == ' ';
	fclose(fp);
	return found;
}

TEST(unload_while_open)
{
	static const char *const mods[] = { "tessera_vgpu", "tessera" };
	char uuid[MDEV_UUID_LEN];
	struct tess_dev t = { 0 };
	struct tess_ring r;
	u32 sum = 0;
	int k, ret;

	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, uuid));
	ASSERT_EQ(0, tess_open_mdev(&t, uuid)) {
		TH_LOG("open: %s", t.err);
		mdev_remove(uuid);
	}
	ASSERT_EQ(0, vgpu_setup(&t, &r, 0, 0));
	ASSERT_EQ(0, tess_emit_fill(&r, 8192, SOAK_WINDOW, 0x0dd0beefu));
	for (k = 0; k < 2; k++) {
		ret = try_unload(mods[k]);
		/* In use: EWOULDBLOCK (refcount or a user module), or EBUSY. */
		EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY) {
			TH_LOG("delete_module(%s): %s", mods[k],
			       ret ? strerror(-ret) : "succeeded");
		}
		EXPECT_TRUE(module_loaded(mods[k]));
	}
	/* The vGPU still runs its work. */
	ASSERT_EQ(0, tess_emit_checksum(&r, SOAK_SUM_OFF, 8192, SOAK_WINDOW));
	ASSERT_EQ(0, vgpu_fence_wait(&r, 1));
	ASSERT_EQ(0, tess_vram_read(&t, SOAK_SUM_OFF, &sum, sizeof(sum)));
	EXPECT_EQ(fill_hash(0x0dd0beefu, SOAK_WINDOW), le32toh(sum));
	tess_close(&t);
	EXPECT_EQ(0, mdev_remove(uuid));
}

TEST_HARNESS_MAIN
