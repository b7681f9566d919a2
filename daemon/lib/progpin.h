/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The data plane's programs pinned next to its maps, so that a restart of
 * the same daemon (systemctl restart, a crash) takes them over instead of
 * loading and verifying the same object again.
 *
 * Under <root>/progs: one pin per program and a record (a one-entry array
 * map) of what they are: the identity of the object they were loaded from
 * (a hash of the embedded BPF object, the libbpf and vendorwall versions)
 * and their program ids. They are taken over only when the identity is
 * this daemon's, the pinned programs are the ones recorded, and every map
 * they use is one of the maps pinned under <root>/maps (or a read-only map
 * of their own object: .kconfig, .rodata). Anything else (another build,
 * an upgrade, a replaced pin, a half-written record, a converted map set)
 * means a fresh load, which then replaces the pins.
 */
#ifndef VW_PROGPIN_H
#define VW_PROGPIN_H

#include <stddef.h>
#include <stdint.h>

struct bpf_object;

#define VW_PIN_PROGS_DIR   "progs"
#define VW_PIN_PROG_RECORD "record"
#define VW_PROG_IDENT_LEN  16

/* The programs, in the order of every fds[] and ids[] below. */
enum vw_prog { VW_PROG_XDP, VW_PROG_TC, VW_PROG_N };

/* The pin names, which are also the programs' names in the object. */
const char *vw_prog_name(enum vw_prog p);

/* The identity of the programs that elf (the embedded object) loads into. */
void vw_prog_ident(const void *elf, size_t len, uint8_t out[VW_PROG_IDENT_LEN]);

/* Takes over the programs pinned under root if they are what obj would
 * load (see above); obj's maps (whose pin paths are set) then use the
 * pinned maps' fds and fds[] are the programs' (the caller's to close).
 * Returns 1 when taken over, 0 when obj must be loaded (nothing changed),
 * or -errno. */
int vw_progpin_adopt(const char *root, const uint8_t ident[VW_PROG_IDENT_LEN],
		     struct bpf_object *obj, int fds[VW_PROG_N]);
/* Pins freshly loaded programs and their record, replacing earlier ones;
 * the record goes first and comes back last, so an interrupted save is
 * never taken over. */
int vw_progpin_save(const char *root, const uint8_t ident[VW_PROG_IDENT_LEN],
		    const int fds[VW_PROG_N]);
/* Removes the pinned programs and record; missing is fine. */
int vw_progpin_remove(const char *root);

#endif
