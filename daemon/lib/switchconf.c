// SPDX-License-Identifier: GPL-2.0-only
/* Parses and checks [Switch NAME] sections (see switchconf.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "inifile.h"
#include "strv.h"
#include "switchconf.h"
#include "timeparse.h"

static const char *const auth_names[] = {
	[VW_SNMP_AUTH_SHA] = "SHA", [VW_SNMP_AUTH_SHA256] = "SHA-256",
	[VW_SNMP_AUTH_SHA512] = "SHA-512", [VW_SNMP_AUTH_MD5] = "MD5",
};
static const char *const priv_names[] = { [VW_SNMP_PRIV_AES] = "AES", [VW_SNMP_PRIV_DES] = "DES" };

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(names[i], s))
			return (int)i;
	return -EINVAL;
}

/* A host name or an address literal, nothing net-snmp would read as a
 * transport ("tcp:", "unix:") or a port suffix: those have their own keys. */
static bool valid_address(const char *s)
{
	size_t n = strlen(s), colons = 0;

	if (n == 0 || n > 253)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == ':')
			colons++;
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return false;
	}
	/* One colon is host:port (Port= says that); an IPv6 literal has two or more. */
	return colons != 1;
}

int vw_switchconf_open(struct vw_switch_conf **v, size_t *n, const char *name,
		       const char *file, int line, size_t *idx, struct vw_diag *diag)
{
	struct vw_switch_conf *nv, *s;

	if (!vw_valid_section_name(name, VW_SWITCH_NAME_MAX)) {
		vw_diag_add(diag, file, line, "invalid switch name \"%s\" (1-%d of A-Z a-z 0-9 - _ .)",
			    name, VW_SWITCH_NAME_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*v)[i].name, name)) {
			*idx = i;
			return 0;
		}
	}
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	s = &nv[*n];
	*s = (struct vw_switch_conf){
		.port = 161, .version = VW_SNMP_V2C, .interval_s = 300, .timeout_ms = 2000,
		.retries = 1, .max_rows = 50000, .max_bytes = 16u << 20, .line = line,
		.name = strdup(name), .file = strdup(file),
	};
	*idx = (*n)++;
	return s->name && s->file ? 0 : -ENOMEM;
}

static int bad(struct vw_diag *diag, const char *file, int line, const char *key,
	       const char *value, const char *hint)
{
	vw_diag_add(diag, file, line, "invalid %s=%s (%s)", key, value, hint);
	return -EINVAL;
}

/* Secrets belong in a file only root and the daemon's group can read;
 * the shipped vendorwall.conf is world-readable, so a community string
 * put there by habit is refused rather than exposed. */
static int secret_ok(const char *file, int line, const char *key, struct vw_diag *diag)
{
	struct stat st;

	if (stat(file, &st) < 0) {
		vw_diag_add(diag, file, line, "%s=: cannot check the file's permissions: %s",
			    key, strerror(errno));
		return -EINVAL;
	}
	if (st.st_mode & S_IROTH) {
		vw_diag_add(diag, file, line,
			    "%s= is a secret but this file is readable by every user (mode %04o): "
			    "chmod o-r it, or put the [Switch] section in a drop-in of mode 0640",
			    key, (unsigned)(st.st_mode & 07777));
		return -EINVAL;
	}
	return 0;
}

static int set_secret(char **dst, const char *value)
{
	if (*dst) {
		explicit_bzero(*dst, strlen(*dst));
		free(*dst);
		*dst = NULL;
	}
	return *value ? vw_set_str(dst, value) : 0;
}

static int span_key(const char *key, const char *value, uint32_t *out, uint32_t unit_ms,
		    const char *file, int line, struct vw_diag *diag)
{
	int64_t secs;

	/* Timeout= takes milliseconds too ("500ms"): vw_parse_timespan does
	 * seconds, so a bare "ms" suffix is handled here. */
	if (unit_ms == 1) {
		uint32_t ms;
		size_t n = strlen(value);

		if (n > 2 && !strcmp(value + n - 2, "ms")) {
			char num[16];

			snprintf(num, sizeof(num), "%.*s", (int)(n - 2), value);
			if (n - 2 < sizeof(num) && !vw_parse_u32(num, &ms) && ms > 0 && ms <= 600000) {
				*out = ms;
				return 0;
			}
			return bad(diag, file, line, key, value, "expected 1ms..10min");
		}
	}
	if (vw_parse_timespan(value, &secs) < 0 || secs <= 0 ||
	    secs > (unit_ms == 1 ? 600 : 7 * 86400))
		return bad(diag, file, line, key, value,
			   unit_ms == 1 ? "expected a time span 1ms..10min (500ms, 2s)"
					: "expected a time span 1s..7d (30s, 5min, 1h)");
	*out = (uint32_t)(unit_ms == 1 ? secs * 1000 : secs);
	return 0;
}

static int count_key(const char *key, const char *value, uint32_t *out, uint32_t min,
		     uint32_t max, const char *file, int line, struct vw_diag *diag)
{
	uint32_t u;
	char hint[64];

	if (vw_parse_u32(value, &u) < 0 || u < min || u > max) {
		snprintf(hint, sizeof(hint), "expected a number %u..%u", min, max);
		return bad(diag, file, line, key, value, hint);
	}
	*out = u;
	return 0;
}

static int secret_key(struct vw_switch_conf *s, const char *key, const char *value,
		      const char *file, int line, struct vw_diag *diag)
{
	char **dst = !strcmp(key, "Community") ? &s->community :
		     !strcmp(key, "AuthPassword") ? &s->auth_password : &s->priv_password;

	if (*value && secret_ok(file, line, key, diag) < 0)
		return -EINVAL;
	/* RFC 3414: a password shorter than 8 characters is refused by agents. */
	if (dst != &s->community && *value && strlen(value) < 8) {
		vw_diag_add(diag, file, line, "%s= is shorter than 8 characters (RFC 3414)", key);
		return -EINVAL;
	}
	return set_secret(dst, value);
}

int vw_switchconf_key(struct vw_switch_conf *s, const char *key, const char *value,
		      const char *file, int line, struct vw_diag *diag)
{
	uint32_t u;
	int v;

	if (!strcmp(key, "Community") || !strcmp(key, "AuthPassword") ||
	    !strcmp(key, "PrivPassword"))
		return secret_key(s, key, value, file, line, diag);
	if (!strcmp(key, "Address")) {
		if (!valid_address(value))
			return bad(diag, file, line, key, value,
				   "expected an IPv4 or IPv6 address or a host name, without port");
		return vw_set_str(&s->address, value);
	}
	if (!strcmp(key, "Port")) {
		if (vw_parse_u32(value, &u) < 0 || u < 1 || u > 65535)
			return bad(diag, file, line, key, value, "expected 1..65535");
		s->port = (uint16_t)u;
		return 0;
	}
	if (!strcmp(key, "Version")) {
		if (strcmp(value, "2c") && strcmp(value, "3"))
			return bad(diag, file, line, key, value, "expected 2c or 3");
		s->version = value[0] == '3' ? VW_SNMP_V3 : VW_SNMP_V2C;
		return 0;
	}
	if (!strcmp(key, "User")) {
		if (!*value || strlen(value) > 32)
			return bad(diag, file, line, key, value, "expected 1-32 characters");
		return vw_set_str(&s->user, value);
	}
	if (!strcmp(key, "AuthProtocol") || !strcmp(key, "PrivProtocol")) {
		bool auth = key[0] == 'A';

		v = auth ? lookup(auth_names, 4, value) : lookup(priv_names, 2, value);
		if (v < 0)
			return bad(diag, file, line, key, value,
				   auth ? "expected SHA, SHA-256, SHA-512 or MD5" : "expected AES or DES");
		*(auth ? &s->auth_proto : &s->priv_proto) = (uint8_t)v;
		return 0;
	}
	if (!strcmp(key, "Interval"))
		return span_key(key, value, &s->interval_s, 1000, file, line, diag);
	if (!strcmp(key, "Timeout"))
		return span_key(key, value, &s->timeout_ms, 1, file, line, diag);
	if (!strcmp(key, "Retries"))
		return count_key(key, value, &s->retries, 0, 10, file, line, diag);
	if (!strcmp(key, "MaxRows"))
		return count_key(key, value, &s->max_rows, 1, 10000000, file, line, diag);
	if (!strcmp(key, "MaxBytes"))
		return count_key(key, value, &s->max_bytes, 1024, 1u << 30, file, line, diag);
	vw_diag_add(diag, file, line, "unknown key %s= in [Switch %s]", key, s->name);
	return -EINVAL;
}

int vw_switchconf_validate(const struct vw_switch_conf *s, struct vw_diag *diag)
{
	const char *missing = NULL;

	if (!s->address)
		missing = "Address=";
	else if (s->version == VW_SNMP_V2C && !s->community)
		missing = "Community= (Version=2c)";
	else if (s->version == VW_SNMP_V3 && !s->user)
		missing = "User= (Version=3)";
	else if (s->version == VW_SNMP_V3 && !s->auth_password)
		missing = "AuthPassword= (Version=3 polls with authentication at least)";
	if (missing) {
		vw_diag_add(diag, s->file, s->line, "[Switch %s] lacks %s", s->name, missing);
		return -EINVAL;
	}
	if (s->version == VW_SNMP_V3 && s->community) {
		vw_diag_add(diag, s->file, s->line, "[Switch %s] has Community= but Version=3",
			    s->name);
		return -EINVAL;
	}
	return 0;
}

void vw_switchconf_free(struct vw_switch_conf *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		set_secret(&v[i].community, "");
		set_secret(&v[i].auth_password, "");
		set_secret(&v[i].priv_password, "");
		free(v[i].name);
		free(v[i].address);
		free(v[i].user);
		free(v[i].file);
	}
	free(v);
}
