// SPDX-License-Identifier: GPL-2.0-only
/* net-snmp transport for switch polling (see snmpwalk.h). */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "snmpwalk.h"

#define BULK_REPETITIONS 32

/* net-snmp's README.thread: the single-session API is thread-safe, its
 * SNMPv3 (USM) code is probably not. v3 session set-up and requests take
 * this lock, so a dead v3 switch delays another v3 switch by at most one
 * request's timeout per poll; v2c switches never wait on each other. */
static pthread_mutex_t usm_lock = PTHREAD_MUTEX_INITIALIZER;

/* net-snmp is loaded when the first switch is configured: linked, it and
 * the OpenSSL it brings cost every start ~6 ms in the dynamic loader, and
 * most gateways poll no switch. */
#define SNMP_FUNCS(X) X(init_snmp) X(netsnmp_ds_set_boolean) X(netsnmp_ds_set_string) \
	X(netsnmp_set_mib_directory) X(snmp_add_null_var) X(snmp_free_pdu) X(snmp_oid_compare) \
	X(snmp_pdu_create) X(snmp_sess_close) X(snmp_sess_error) X(snmp_sess_init) \
	X(snmp_sess_open) X(snmp_sess_synch_response) X(generate_Ku)
#define SNMP_OIDS(X) X(usmHMACSHA1AuthProtocol) X(usmHMAC192SHA256AuthProtocol) \
	X(usmHMAC384SHA512AuthProtocol) X(usmHMACMD5AuthProtocol) X(usmDESPrivProtocol) \
	X(usmAESPrivProtocol)
#define SNMP_MEMBER_FN(name) __typeof__(name) *name;
#define SNMP_MEMBER_OID(name) oid *name;

static struct {
	SNMP_FUNCS(SNMP_MEMBER_FN)
	SNMP_OIDS(SNMP_MEMBER_OID)
} S;

/* Resolves every symbol or none. The library stays loaded for the
 * process's life: its state is global. */
static int snmp_load(void)
{
	void *h = dlopen(VW_NETSNMP_SONAME, RTLD_NOW | RTLD_LOCAL);
	bool ok = true;

	if (!h)
		return -ENOENT;
#define SNMP_RESOLVE(name) \
	*(void **)&S.name = dlsym(h, #name); \
	ok = ok && S.name;
	SNMP_FUNCS(SNMP_RESOLVE)
	SNMP_OIDS(SNMP_RESOLVE)
#undef SNMP_RESOLVE
	if (!ok) {
		memset(&S, 0, sizeof(S));
		dlclose(h);
		return -ENOSYS;
	}
	return 0;
}

int vwd_snmp_global_init(const char *dir)
{
	int err = S.init_snmp ? 0 : snmp_load();

	if (err)
		return err;
	S.netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, dir);
	S.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	S.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	S.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	S.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	S.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	/* We ask by number: reading MIB files would only cost start-up time. */
	S.netsnmp_set_mib_directory("");
	setenv("MIBS", "", 1);
	S.init_snmp("vendorwalld");
	return 0;
}

static int set_v3_keys(netsnmp_session *s, const struct vw_switch_conf *c, char *err,
		       size_t errlen)
{
	oid *const auth[] = {
		[VW_SNMP_AUTH_SHA] = S.usmHMACSHA1AuthProtocol,
		[VW_SNMP_AUTH_SHA256] = S.usmHMAC192SHA256AuthProtocol,
		[VW_SNMP_AUTH_SHA512] = S.usmHMAC384SHA512AuthProtocol,
		[VW_SNMP_AUTH_MD5] = S.usmHMACMD5AuthProtocol,
	};

	s->version = SNMP_VERSION_3;
	s->securityName = c->user;
	s->securityNameLen = strlen(c->user);
	s->securityLevel = c->priv_password ? SNMP_SEC_LEVEL_AUTHPRIV : SNMP_SEC_LEVEL_AUTHNOPRIV;
	s->securityAuthProto = auth[c->auth_proto];
	s->securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (S.generate_Ku(s->securityAuthProto, s->securityAuthProtoLen,
			(const u_char *)c->auth_password, strlen(c->auth_password),
			s->securityAuthKey, &s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen, "cannot derive the authentication key");
		return -EIO;
	}
	if (!c->priv_password)
		return 0;
	s->securityPrivProto = c->priv_proto == VW_SNMP_PRIV_DES ? S.usmDESPrivProtocol
								 : S.usmAESPrivProtocol;
	s->securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (S.generate_Ku(s->securityAuthProto, s->securityAuthProtoLen,
			(const u_char *)c->priv_password, strlen(c->priv_password),
			s->securityPrivKey, &s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen, "cannot derive the privacy key");
		return -EIO;
	}
	return 0;
}

static void *open_session(const struct vw_switch_conf *c, char *err, size_t errlen)
{
	netsnmp_session s;
	char peer[300];
	void *h = NULL;

	S.snmp_sess_init(&s);
	snprintf(peer, sizeof(peer), strchr(c->address, ':') ? "udp6:[%s]:%u" : "udp:%s:%u",
		 c->address, c->port);
	s.peername = peer;
	s.timeout = (long)c->timeout_ms * 1000;
	s.retries = (int)c->retries;
	if (c->version == VW_SNMP_V2C) {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)c->community;
		s.community_len = strlen(c->community);
		h = S.snmp_sess_open(&s);
	} else {
		pthread_mutex_lock(&usm_lock);
		if (!set_v3_keys(&s, c, err, errlen))
			h = S.snmp_sess_open(&s);
		pthread_mutex_unlock(&usm_lock);
		explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
		explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
		if (!h && *err)
			return NULL;
	}
	if (!h)
		snprintf(err, errlen, "cannot open an SNMP session to %s: %s", peer,
			 errno == EAFNOSUPPORT || errno == EPERM || errno == EACCES ?
			 "IP sockets are not allowed (the unit's RestrictAddressFamilies=/IPAddressDeny=)" :
			 strerror(errno ? errno : EIO));
	return h;
}

/* The answer as the pure table code takes it. */
static bool to_vb(const netsnmp_variable_list *v, uint32_t *oidbuf, struct vw_snmp_vb *vb)
{
	if (v->name_length > VW_SNMP_OID_MAX)
		return false;
	for (size_t i = 0; i < v->name_length; i++)
		oidbuf[i] = (uint32_t)v->name[i];
	*vb = (struct vw_snmp_vb){ .oid = oidbuf, .oid_len = v->name_length, .type = VW_SNMP_T_OTHER };
	switch (v->type) {
	case ASN_INTEGER: case ASN_COUNTER: case ASN_GAUGE: case ASN_TIMETICKS:
		vb->type = VW_SNMP_T_INT;
		vb->num = v->type == ASN_INTEGER ? (int64_t)*v->val.integer
						 : (int64_t)(uint32_t)*v->val.integer;
		break;
	case ASN_OCTET_STR: case ASN_IPADDRESS: case ASN_OPAQUE:
		vb->type = VW_SNMP_T_OCTETS;
		vb->bytes = v->val.string;
		vb->len = v->val_len;
		break;
	default:
		break;
	}
	return true;
}

static int request(void *h, bool v3, const oid *name, size_t len, netsnmp_pdu **resp)
{
	netsnmp_pdu *pdu = S.snmp_pdu_create(SNMP_MSG_GETBULK);
	int st;

	if (!pdu)
		return -ENOMEM;
	pdu->non_repeaters = 0;
	pdu->max_repetitions = BULK_REPETITIONS;
	S.snmp_add_null_var(pdu, name, len);
	if (v3)
		pthread_mutex_lock(&usm_lock);
	st = S.snmp_sess_synch_response(h, pdu, resp);
	if (v3)
		pthread_mutex_unlock(&usm_lock);
	if (st == STAT_TIMEOUT)
		return -ETIMEDOUT;
	if (st != STAT_SUCCESS || !*resp)
		return -EIO;
	return 0;
}

/* Takes one response's varbinds; 1 when the column is done. */
static int take(struct vw_snmp_tables *t, size_t col, const netsnmp_pdu *resp, oid *cur,
		size_t *cur_len)
{
	uint32_t oidbuf[VW_SNMP_OID_MAX];
	struct vw_snmp_vb vb;
	int r;

	for (const netsnmp_variable_list *v = resp->variables; v; v = v->next_variable) {
		if (v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
		    v->type == SNMP_NOSUCHINSTANCE || !to_vb(v, oidbuf, &vb))
			return 1;
		/* An agent answering with a smaller OID would walk us in circles. */
		if (S.snmp_oid_compare(v->name, v->name_length, cur, *cur_len) <= 0)
			return 1;
		r = vw_snmp_tables_add(t, col, &vb);
		if (r == -ENOMSG)
			return 1;
		if (r < 0)
			return r;
		memcpy(cur, v->name, v->name_length * sizeof(oid));
		*cur_len = v->name_length;
	}
	return 0;
}

static int walk_column(void *h, const struct vw_switch_conf *c, struct vw_snmp_tables *t,
		       size_t col, const atomic_bool *stop, char *err, size_t errlen)
{
	const struct vw_snmp_column *cd = &vw_snmp_columns[col];
	oid cur[MAX_OID_LEN];
	size_t cur_len = cd->oid_len;
	netsnmp_pdu *resp = NULL;
	int r = 0;

	for (size_t i = 0; i < cd->oid_len; i++)
		cur[i] = cd->oid[i];
	while (r == 0) {
		if (atomic_load(stop))
			return -ECANCELED;
		r = request(h, c->version == VW_SNMP_V3, cur, cur_len, &resp);
		if (r == -EIO) {
			char *msg = NULL;
			int liberr, syserr;

			S.snmp_sess_error(h, &liberr, &syserr, &msg);
			snprintf(err, errlen, "%s: %s", cd->name, msg ? msg : "request failed");
			free(msg);
		}
		if (r < 0)
			break;
		if (resp->errstat != SNMP_ERR_NOERROR) {
			/* noSuchName from a v1-minded agent: the column is absent. */
			r = 1;
		} else {
			r = take(t, col, resp, cur, &cur_len);
		}
		S.snmp_free_pdu(resp);
		resp = NULL;
	}
	return r < 0 ? r : 0;
}

int vwd_snmp_walk(const struct vw_switch_conf *c, struct vw_snmp_tables *t,
		  const atomic_bool *stop, char *err, size_t errlen)
{
	void *h;
	int r = 0;

	err[0] = 0;
	h = open_session(c, err, errlen);
	if (!h)
		return -EIO;
	for (size_t col = 0; col < vw_snmp_n_columns && !r; col++)
		r = walk_column(h, c, t, col, stop, err, errlen);
	if (r == -ENOSPC)
		r = 0;   /* truncated: t says so */
	if (r == -ETIMEDOUT)
		snprintf(err, errlen, "no answer within %u ms x %u tries", c->timeout_ms,
			 c->retries + 1);
	if (c->version == VW_SNMP_V3)
		pthread_mutex_lock(&usm_lock);
	S.snmp_sess_close(h);
	if (c->version == VW_SNMP_V3)
		pthread_mutex_unlock(&usm_lock);
	vw_snmp_tables_finish(t);
	return r;
}
