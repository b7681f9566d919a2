/* SPDX-License-Identifier: GPL-2.0-only */
/* Structured journal entries: build field by field, send once. */
#ifndef VW_JOURNAL_H
#define VW_JOURNAL_H

#include <stdarg.h>
#include <sys/uio.h>

#define VW_JOURNAL_MAX_FIELDS 40
/* Longest field value kept (bytes; MESSAGE: before escaping); longer ones
 * end in "...". */
#define VW_JOURNAL_MAX_VALUE  4096

struct vw_entry {
	struct iovec iov[VW_JOURNAL_MAX_FIELDS];
	int n;
	int err;       /* first failure while building; reported by send */
};

/* Starts an entry with MESSAGE_ID (may be NULL), PRIORITY and the
 * daemon's SYSLOG_IDENTIFIER. */
void vw_entry_init(struct vw_entry *e, const char *message_id, int priority);
/* Adds FIELD=value; fields past the limit set e->err to -E2BIG. MESSAGE is
 * escaped (escape.h), every value bounded by VW_JOURNAL_MAX_VALUE. */
void vw_entry_add(struct vw_entry *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sends (MESSAGE is required) and frees the entry; returns 0 or -errno. */
int vw_entry_send(struct vw_entry *e);
void vw_entry_free(struct vw_entry *e);

/* Plain log line at priority; mirrored to stderr unless stderr is already
 * the journal (JOURNAL_STREAM), so foreground runs stay readable. */
void vw_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vw_log_set_stderr(int enabled);

#endif
