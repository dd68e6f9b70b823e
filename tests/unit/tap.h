/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 producer for Tessera's host-side unit tests.
 *
 *	static void test_foo(void) { TAP_CHECK(1 + 1 == 2); }
 *	int main(void) { TAP_RUN(test_foo); return tap_done(); }
 *
 * Each TAP_RUN is one test point; TAP_CHECK failures inside it are printed
 * as diagnostics and make the point "not ok".
 */
#ifndef TESSERA_UNIT_TAP_H
#define TESSERA_UNIT_TAP_H

#include <stdio.h>

static int tap_count, tap_failed, tap_cur_failed;

#define TAP_CHECK(cond) do {						\
	if (!(cond)) {							\
		tap_cur_failed = 1;					\
		printf("#   %s:%d: check failed: %s\n",		\
		       __FILE__, __LINE__, #cond);			\
	}								\
} while (0)

#define TAP_CHECK_EQ(a, b) do {						\
	unsigned long long _a = (unsigned long long)(a);		\
	unsigned long long _b = (unsigned long long)(b);		\
	if (_a != _b) {							\
		tap_cur_failed = 1;					\
		printf("#   %s:%d: %s == %s: 0x%llx != 0x%llx\n",		\
		       __FILE__, __LINE__, #a, #b, _a, _b);		\
	}								\
} while (0)

#define TAP_RUN(fn) do {						\
	if (!tap_count)							\
		printf("TAP version 13\n");				\
	tap_cur_failed = 0;						\
	fn();								\
	tap_count++;							\
	if (tap_cur_failed)						\
		tap_failed++;						\
	printf("%sok %d %s\n", tap_cur_failed ? "not " : "",		\
	       tap_count, #fn);						\
	fflush(stdout);							\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	printf("# %d passed, %d failed\n", tap_count - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif /* TESSERA_UNIT_TAP_H */
