// SPDX-License-Identifier: GPL-2.0-only
/* Structured journal entries: build field by field, send once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "escape.h"
#include "journal.h"

#define VW_IDENT "vendorwalld"

static int mirror_stderr = -1;

void vw_log_set_stderr(int enabled)
{
	mirror_stderr = enabled;
}

static int want_stderr(void)
{
	if (mirror_stderr < 0)
		mirror_stderr = getenv("JOURNAL_STREAM") == NULL;
	return mirror_stderr;
}

static void mirror(const struct vw_entry *e)
{
	static const char *const names[] = { "emerg", "alert", "crit", "error",
					     "warning", "notice", "info", "debug" };
	const char *msg = NULL;
	int prio = LOG_INFO;

	if (!want_stderr())
		return;
	for (int i = 0; i < e->n; i++) {
		const char *f = e->iov[i].iov_base;

		if (!strncmp(f, "MESSAGE=", 8))
			msg = f + 8;
		else if (!strncmp(f, "PRIORITY=", 9))
			prio = atoi(f + 9) & 7;
	}
	if (msg)
		fprintf(stderr, "vendorwalld[%s]: %s\n", names[prio], msg);
}

void vw_entry_init(struct vw_entry *e, const char *message_id, int priority)
{
	memset(e, 0, sizeof(*e));
	if (message_id)
		vw_entry_add(e, "MESSAGE_ID", "%s", message_id);
	vw_entry_add(e, "PRIORITY", "%d", priority);
	vw_entry_add(e, "SYSLOG_IDENTIFIER", "%s", VW_IDENT);
}

static void entry_addv(struct vw_entry *e, const char *field, const char *fmt,
		       va_list ap)
{
	char *val = NULL, *kv = NULL;

	if (e->err)
		return;
	if (e->n >= VW_JOURNAL_MAX_FIELDS) {
		e->err = -E2BIG;
		return;
	}
	if (vasprintf(&val, fmt, ap) < 0) {
		e->err = -ENOMEM;
		return;
	}
	/* MESSAGE is what journalctl shows on a terminal: text a device or a
	 * local user chose in it is escaped. Structured fields keep the raw
	 * value for the SIEM, bounded. */
	if (!strcmp(field, "MESSAGE")) {
		char *esc = vw_escape_dup(val, VW_JOURNAL_MAX_VALUE);

		free(val);
		val = esc;
	} else if (strlen(val) > VW_JOURNAL_MAX_VALUE) {
		strcpy(val + VW_JOURNAL_MAX_VALUE - 3, "...");
	}
	if (!val || asprintf(&kv, "%s=%s", field, val) < 0) {
		free(val);
		e->err = -ENOMEM;
		return;
	}
	free(val);
	e->iov[e->n].iov_base = kv;
	e->iov[e->n].iov_len = strlen(kv);
	e->n++;
}

void vw_entry_add(struct vw_entry *e, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	entry_addv(e, field, fmt, ap);
	va_end(ap);
}

void vw_entry_free(struct vw_entry *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->iov[i].iov_base);
	e->n = 0;
}

int vw_entry_send(struct vw_entry *e)
{
	int err = e->err;

	if (!err) {
		mirror(e);
		err = sd_journal_sendv(e->iov, e->n);
	}
	vw_entry_free(e);
	return err;
}

void vw_log(int priority, const char *fmt, ...)
{
	struct vw_entry e;
	va_list ap;

	vw_entry_init(&e, NULL, priority);
	va_start(ap, fmt);
	entry_addv(&e, "MESSAGE", fmt, ap);
	va_end(ap);
	/* Nowhere left to report a failed log line. */
	(void)vw_entry_send(&e);
}
