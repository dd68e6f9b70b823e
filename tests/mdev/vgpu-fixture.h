/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vGPU of a test fixture (tests/mdev, kselftest harness): created,
 * then opened through VFIO as a VMM opens it. Include after
 * kselftest_harness.h and mdev-common.h.
 *
 *	FIXTURE(x) { struct vgpu_fix v; };
 *	FIXTURE_SETUP(x) { if (!vgpu_fix_open(_metadata, &self->v)) return; }
 *	FIXTURE_TEARDOWN(x) { vgpu_fix_close(&self->v); }
 */
#ifndef TESSERA_TESTS_VGPU_FIXTURE_H
#define TESSERA_TESTS_VGPU_FIXTURE_H

#include <stdbool.h>

#include "mdev-common.h"

/**
 * struct vgpu_fix - a test fixture's vGPU
 * @uuid: its mdev UUID
 * @t: the open device
 * @created: @uuid exists and is this fixture's to remove
 */
struct vgpu_fix {
	char uuid[MDEV_UUID_LEN];
	struct tess_dev t;
	bool created;
};

/*
 * Create a vGPU of SMALL_TYPE into @f and open it. Without a Tessera mdev
 * parent the test is skipped; a failure of either step fails it (the
 * harness then runs no teardown: the vGPU is removed here).
 * Return: true when @f is open, false when the test is skipped.
 */
static inline bool vgpu_fix_open(struct __test_metadata *_metadata,
				 struct vgpu_fix *f)
{
	int ret;

	if (!mdev_parent())
		SKIP(return false, "no Tessera mdev parent (module loaded?)");
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, f->uuid));
	f->created = true;
	ret = tess_open_mdev(&f->t, f->uuid);
	if (ret)
		mdev_remove(f->uuid);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", f->t.err);
	}
	return true;
}

/* Close @f and remove its vGPU, unless the test removed it already. */
static inline void vgpu_fix_close(struct vgpu_fix *f)
{
	tess_close(&f->t);
	if (f->created && mdev_exists(f->uuid))
		mdev_remove(f->uuid);
	f->created = false;
}

#endif /* TESSERA_TESTS_VGPU_FIXTURE_H */
