/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared pieces of the tessera command-line tool: option flags, the JSON
 * writer, error reporting, and the subcommands of each source file.
 */
#ifndef TESSERA_TOOL_H
#define TESSERA_TOOL_H

#include <stdint.h>
#include <stdio.h>

#include "libtessera.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

extern int opt_json;		/* --json: machine-readable output */

/* Print "tessera: <msg>" to stderr; returns 1 (the failure status). */
int fail(const char *fmt, ...);

/*
 * A minimal JSON writer to stdout: objects and arrays nest, commas and
 * string escapes are handled here. @key is NULL inside arrays.
 */
void j_obj(const char *key);
void j_end_obj(void);
void j_arr(const char *key);
void j_end_arr(void);
void j_str(const char *key, const char *val);
void j_u64(const char *key, uint64_t val);
void j_int(const char *key, long long val);
void j_dbl(const char *key, double val);
void j_null(const char *key);
void j_done(void);		/* newline after the top-level value */

/* Percentage of @d in @dt, clamped to 0..100. */
double pct(uint64_t d, uint64_t dt);

int cmd_status(int argc, char **argv);
int cmd_types(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_sched(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_soak(struct tsr_dev *d, int argc, char **argv);

#endif
