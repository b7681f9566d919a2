/* SPDX-License-Identifier: GPL-2.0-only */
/* Loading a state and making it the enforced one: at start and on reload. */
#ifndef VWD_RELOAD_H
#define VWD_RELOAD_H

#include "vwd.h"

/* Reads config_path alone, for what must start before the state is built
 * (the data plane's BpfRoot); problems go to the journal as a state's do. */
int vwd_config_read(const char *config_path, struct vw_daemon_conf *conf);
/* Builds the state of config_path (from conf when it was read already:
 * taken, see vw_state_opts); problems go to the journal (and the first to
 * *errmsg, may be NULL). prev is the state in force (NULL at start): its
 * registry rows are reused while the files are unchanged. */
int vwd_state_load(const char *config_path, struct vw_daemon_conf *conf,
		   const struct vw_state *prev, struct vw_state **out, char **errmsg);
/* What depends on the state enforced: fingerprint engine, profile list,
 * registry age. Called once d->st is st. */
void vwd_state_adopted(struct daemon *d);
/* Builds the new state aside, enforces it (all or nothing) and swaps it
 * in; a broken file or a failed write changes nothing. */
int vwd_reload(struct daemon *d, char **errmsg);

#endif
