/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 64-bit register read as two 32-bit halves. Pure logic: the same code
 * runs in the kernel (tessera_rd64()) and in tests/unit/test-rd64.c.
 */
#ifndef TESSERA_RD64_H
#define TESSERA_RD64_H

#include <linux/types.h>

/* Reads of LO (each followed by one of HI) before tessera_split_rd64() gives up. */
#define TESSERA_RD64_TRIES	4

/* Reads the 32-bit register at @reg of the device @arg. */
typedef u32 (*tessera_rd32_fn)(void *arg, u32 reg);

/**
 * tessera_split_rd64() - read a 64-bit register as HI, LO, HI
 * @rd: reads one 32-bit half
 * @arg: @rd's device argument
 * @reg_lo: offset of the low half; the high half follows it
 * @torn: set to true when the value could not be read consistently (left
 *        alone otherwise)
 *
 * HI is read before and after LO; when the two differ (a carry from LO,
 * or a new value) the read is retried, at most %TESSERA_RD64_TRIES times:
 * a register that changes on every read (a ring that keeps rewriting its
 * own fence) must not keep the caller spinning under its locks. Then the
 * value is built from the last LO and the HI read on its side of the
 * carry: LO's top bit set means LO was read before a carry (take the HI
 * before it), clear means after (the HI after it). For a counter that is
 * a value it held between the first and the last read.
 *
 * Return: the value.
 */
static inline u64 tessera_split_rd64(tessera_rd32_fn rd, void *arg, u32 reg_lo,
				     bool *torn)
{
	u32 hi, lo = 0, hi2 = 0;
	int i;

	hi = rd(arg, reg_lo + 4);
	for (i = 0; i < TESSERA_RD64_TRIES; i++) {
		lo = rd(arg, reg_lo);
		hi2 = rd(arg, reg_lo + 4);
		if (hi == hi2)
			return ((u64)hi << 32) | lo;
		if (i + 1 < TESSERA_RD64_TRIES)
			hi = hi2;
	}
	*torn = true;
	return ((u64)(lo & 0x80000000u ? hi : hi2) << 32) | lo;
}

#endif /* TESSERA_RD64_H */
