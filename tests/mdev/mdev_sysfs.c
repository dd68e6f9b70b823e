// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_sysfs: vGPU types and lifecycle through sysfs: type attributes,
 * exact available_instances, filling each type until ENOSPC (with a log
 * line), duplicate UUIDs, per-mdev attributes, 1000 create/remove cycles
 * of mixed types leaving the same capacity.
 */
#include "kselftest_harness.h"
#include "mdev-common.h"

#define MAXT	16
#define MAXV	64

struct caps {
	int n;
	char names[MAXT][64];
	int avail[MAXT];
};

static void read_caps(struct __test_metadata *_metadata, struct caps *c)
{
	int i;

	c->n = mdev_types(mdev_parent(), c->names, MAXT);
	ASSERT_GE(c->n, 3);
	for (i = 0; i < c->n; i++) {
		c->avail[i] = mdev_available(mdev_parent(), c->names[i]);
		ASSERT_GE(c->avail[i], 0);
	}
}

FIXTURE(sysfs) {
	struct caps before;
};

FIXTURE_SETUP(sysfs)
{
	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	read_caps(_metadata, &self->before);
}

FIXTURE_TEARDOWN(sysfs)
{
}

TEST_F(sysfs, type_attributes)
{
	char buf[256];
	int i;

	for (i = 0; i < self->before.n; i++) {
		const char *t = self->before.names[i];

		ASSERT_EQ(0, mdev_type_attr(mdev_parent(), t, "device_api",
					    buf, sizeof(buf)));
		EXPECT_STREQ("vfio-pci", buf);
		ASSERT_EQ(0, mdev_type_attr(mdev_parent(), t, "name", buf,
					    sizeof(buf)));
		EXPECT_NE(0, strlen(buf));
		ASSERT_EQ(0, mdev_type_attr(mdev_parent(), t, "description",
					    buf, sizeof(buf)));
		EXPECT_NE(NULL, strstr(buf, "vram="));
		EXPECT_NE(NULL, strstr(buf, "weight="));
		EXPECT_GE(self->before.avail[i], 1);
		TH_LOG("%s: avail %d: %s", t, self->before.avail[i], buf);
	}
	/* Smallest type: at least 32 on the default 512 MiB. */
	EXPECT_GE(mdev_available(mdev_parent(), SMALL_TYPE), 32);
	EXPECT_LE(mdev_available(mdev_parent(), SMALL_TYPE), 63);
}

TEST_F(sysfs, fill_each_type_until_enospc)
{
	char uuids[MAXV][MDEV_UUID_LEN], u[MDEV_UUID_LEN];
	struct caps now;
	int i, n, k, avail, fd;

	for (i = 0; i < self->before.n; i++) {
		const char *t = self->before.names[i];

		avail = mdev_available(mdev_parent(), t);
		for (n = 0; n < avail; n++) {
			ASSERT_EQ(0, vgpu_create(t, uuids[n]));
			/* Exact: one fewer after each create. */
			ASSERT_EQ(avail - n - 1,
				  mdev_available(mdev_parent(), t));
		}
		ASSERT_EQ(0, mdev_available(mdev_parent(), t));
		fd = kmsg_mark();
		EXPECT_EQ(-ENOSPC, vgpu_create(t, u));
		EXPECT_EQ(1, kmsg_count(fd, "no room left"));
		if (fd >= 0)
			close(fd);
		TH_LOG("%s: created %d, next ENOSPC", t, n);
		for (k = 0; k < n; k++)
			ASSERT_EQ(0, mdev_remove(uuids[k]));
		read_caps(_metadata, &now);
		for (k = 0; k < now.n; k++)
			ASSERT_EQ(self->before.avail[k], now.avail[k]);
	}
}

TEST_F(sysfs, duplicate_uuid)
{
	char u[MDEV_UUID_LEN];

	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, u));
	EXPECT_EQ(-EEXIST, mdev_create(mdev_parent(), SMALL_TYPE, u));
	EXPECT_EQ(-EEXIST, mdev_create(mdev_parent(), "tessera-32m", u));
	ASSERT_EQ(0, mdev_remove(u));
	/* Gone: removing again fails. */
	EXPECT_NE(0, mdev_remove(u));
}

TEST_F(sysfs, mdev_attributes)
{
	char u[MDEV_UUID_LEN], u2[MDEV_UUID_LEN], buf[64];

	ASSERT_EQ(0, vgpu_create("tessera-32m", u));
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, u2));
	EXPECT_EQ(0, mdev_attr(u, "tessera/vgpu_type", buf, sizeof(buf)));
	EXPECT_STREQ("32m", buf);
	EXPECT_EQ(32ll << 20, mdev_attr_u64(u, "tessera/vram_size"));
	EXPECT_EQ(8ll << 20, mdev_attr_u64(u2, "tessera/vram_size"));
	EXPECT_EQ(4096, mdev_attr_u64(u, "tessera/gart_entries"));
	EXPECT_GE(mdev_attr_u64(u, "tessera/hw_context"), 1);
	EXPECT_NE(mdev_attr_u64(u, "tessera/hw_context"),
		  mdev_attr_u64(u2, "tessera/hw_context"));
	EXPECT_NE(mdev_attr_u64(u, "tessera/vram_base"),
		  mdev_attr_u64(u2, "tessera/vram_base"));
	EXPECT_EQ(2 * mdev_attr_u64(u2, "tessera/weight"),
		  mdev_attr_u64(u, "tessera/weight"));
	EXPECT_EQ(0, mdev_attr(u, "tessera/state", buf, sizeof(buf)));
	EXPECT_STREQ("closed", buf);
	EXPECT_EQ(0, mdev_attr_u64(u, "tessera/gart_pinned"));
	EXPECT_EQ(0, mdev_attr(u, "mdev_type/name", buf, sizeof(buf)));
	ASSERT_EQ(0, mdev_remove(u));
	ASSERT_EQ(0, mdev_remove(u2));
}

TEST_F_TIMEOUT(sysfs, cycles_1000_mixed, 1200)
{
	u64 t0 = tess_now_ms();

	char live[8][MDEV_UUID_LEN];
	int nlive = 0, i, t, ret;
	struct caps now;

	srand(42);
	for (i = 0; i < 1000; i++) {
		if (nlive == 8 || (nlive && (rand() & 1))) {
			int k = rand() % nlive;

			ASSERT_EQ(0, mdev_remove(live[k]));
			memcpy(live[k], live[--nlive], MDEV_UUID_LEN);
			continue;
		}
		t = rand() % self->before.n;
		ret = vgpu_create(self->before.names[t], live[nlive]);
		if (ret == -ENOSPC)
			continue;	/* big types may not fit now */
		ASSERT_EQ(0, ret);
		nlive++;
	}
	while (nlive)
		ASSERT_EQ(0, mdev_remove(live[--nlive]));
	TH_LOG("1000 cycles in %llu ms", (unsigned long long)(tess_now_ms() - t0));
	read_caps(_metadata, &now);
	for (t = 0; t < now.n; t++)
		EXPECT_EQ(self->before.avail[t], now.avail[t]);
}

TEST_HARNESS_MAIN
