/* SPDX-License-Identifier: GPL-2.0-only */
/* The words vendorwall uses for the data plane's enums, one table each.
 *
 * Every word has one spelling, used as it is in the journal (field values
 * and MESSAGE), in JSON string values, in the inventory and in the CLI's
 * cells. Where a word is a JSON key (a counter), it is the same word in
 * snake_case ("would-drop" -> "would_drop"); as a CLI column heading it is
 * the same word in capitals ("WOULD-DROP"). */
#ifndef VW_NAMES_H
#define VW_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Segment modes, indexed by enum vw_mode. */
#define VW_N_MODES 3
extern const char *const vw_mode_names[VW_N_MODES];
const char *vw_mode_name(uint8_t mode);   /* "unknown" when out of range */
int vw_mode_from_name(const char *s);     /* enum vw_mode or -EINVAL */

/* What vendorwall holds about a device. */
enum vw_verdict_word {
	VW_V_BENIGN = 0,      /* no verdict source says anything */
	VW_V_RESTRICTED,      /* a restricted vendor's OUI or fingerprint */
	VW_V_WAIVED,          /* operator allow */
	VW_V_QUARANTINED,     /* operator quarantine */
	VW_V_CLEARED,         /* fingerprint: a look-alike, not restricted */
	VW_V_DISPUTED,        /* restricted OUI, but claims to be a look-alike */
	VW_N_VERDICTS
};
const char *vw_verdict_word(unsigned v);          /* "unknown" when out of range */
int vw_verdict_from_word(const char *s);          /* enum vw_verdict_word or -EINVAL */
/* The verdict a data-plane reason (enum vw_reason) stands for. */
enum vw_verdict_word vw_verdict_of_reason(uint8_t reason);

/* What happened to a frame: the data plane's enum vw_verdict (its events
 * carry it) is an outcome. */
#define VW_N_OUTCOMES 5
const char *vw_outcome_name(uint8_t verdict);     /* "would-drop"; "unknown" */
const char *vw_outcome_key(uint8_t verdict);      /* "would_drop"; "unknown" */
int vw_outcome_from_name(const char *s);          /* enum vw_verdict or -EINVAL */

/* Reasons (enum vw_reason), as the counters of include/vendorwall.h name them. */
const char *vw_reason_name(uint8_t reason);       /* "unknown" when out of range */

/* Writes names[0..n) separated by sep into buf (truncated to len); returns
 * buf. For messages such as "expected one of off, monitor, block". */
char *vw_names_join(char *buf, size_t len, const char *const *names, size_t n,
		    const char *sep);

#endif
