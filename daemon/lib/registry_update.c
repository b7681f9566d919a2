// SPDX-License-Identifier: GPL-2.0-only
/* Choice, validation and atomic installation of IEEE registry copies. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mac.h"
#include "ouiset.h"
#include "registry_update.h"

static const char *const kind_file[VW_REG_KINDS] = {
	[VW_REG_MAL] = "oui.csv", [VW_REG_MAM] = "mam.csv",
	[VW_REG_MAS] = "oui36.csv", [VW_REG_IAB] = "iab.csv",
};

int vw_registry_load_best(struct vw_registry *reg, char **path, const char *state_dir,
			  const char *floor_dir, struct vw_diag *diag)
{
	struct vw_registry upd = { 0 };
	struct vw_diag udiag = { 0 };
	char *upath = NULL;
	int r;

	*path = NULL;
	if (state_dir && asprintf(&upath, "%s/%s", state_dir, VW_REGISTRY_LINK) < 0)
		return -ENOMEM;
	/* The updated copy counts only when it loads without a single
	 * complaint: it was validated on install, so anything else is damage. */
	if (upath && access(upath, F_OK) == 0 &&
	    (vw_registry_load(&upd, upath, &udiag) < 0 || udiag.n))
		vw_registry_free(&upd);
	vw_diag_free(&udiag);
	/* A floor that states an older date is not even read: it could not
	 * win (and its diagnostics would be dropped). */
	if (upd.n && vw_registry_lastupdate(floor_dir) &&
	    upd.date >= vw_registry_lastupdate(floor_dir)) {
		*reg = upd;
		*path = upath;
		return 0;
	}
	r = vw_registry_load(reg, floor_dir, diag);
	if (upd.n && (r < 0 || upd.date >= reg->date)) {
		if (r == 0)
			vw_registry_free(reg);
		*reg = upd;
		*path = upath;
		return 0;
	}
	vw_registry_free(&upd);   /* older than the floor, or empty */
	free(upath);
	if (r < 0)
		return r;
	*path = strdup(floor_dir);
	if (!*path) {
		vw_registry_free(reg);
		return -ENOMEM;
	}
	return 0;
}

static int all_profiles(const struct vw_policy *pol, const char ***ids)
{
	*ids = calloc(pol->n_profiles + 1, sizeof(**ids));
	if (!*ids)
		return -ENOMEM;
	for (size_t i = 0; i < pol->n_profiles; i++)
		(*ids)[i] = pol->profiles[i].id;
	return 0;
}

/* Per vendor group: blocks of cur missing from cand, one example named. */
static int check_vendors(const struct vw_ouiset *cur, const struct vw_ouiset *cand,
			 const struct vw_policy *pol, const char *dir, struct vw_diag *diag)
{
	int bad = 0;

	for (size_t s = 0; s < cur->n_stats; s++) {
		uint16_t vendor = cur->stats[s].vendor;
		const struct vw_vendor *v = vw_policy_vendor_by_code(pol, vendor);
		size_t total = 0, missing = 0;
		const struct vw_ouiset_entry *example = NULL;

		for (size_t i = 0; i < cur->n; i++) {
			const struct vw_ouiset_entry *e = &cur->v[i], *f;

			if (!e->restricted || e->vendor != vendor)
				continue;
			total++;
			f = bsearch(e, cand->v, cand->n, sizeof(*e), vw_ouiset_entry_cmp);
			if (f && f->restricted && f->vendor == vendor)
				continue;
			missing++;
			example = example ? example : e;
		}
		if (!missing)
			continue;
		char mac[18];
		uint8_t b[6];

		for (int k = 0; k < 6; k++)
			b[k] = example->prefix >> (40 - 8 * k);
		vw_format_mac(b, mac);
		vw_diag_add(diag, dir, 0,
			    "%zu of the %zu blocks of vendor group %s in the registry in use are missing (e.g. %s/%u); rejected",
			    missing, total, v ? v->id : "?", mac, example->plen);
		bad = 1;
	}
	return bad ? -EBADMSG : 0;
}

static int check_restricted(const struct vw_registry *cand, const char *dir,
			    const struct vw_registry *cur, const struct vw_policy *pol,
			    struct vw_diag *diag)
{
	struct vw_ouiset scur = { 0 }, scand = { 0 };
	struct vw_diag ignore = { 0 };
	const char **ids = NULL;
	int r;

	r = all_profiles(pol, &ids);
	if (r < 0)
		return r;
	/* Shadowing notes of the policy build are not the candidate's fault. */
	r = vw_ouiset_build(&scur, cur, pol, ids, pol->n_profiles, &ignore);
	if (r == 0)
		r = vw_ouiset_build(&scand, cand, pol, ids, pol->n_profiles, &ignore);
	if (r == 0)
		r = check_vendors(&scur, &scand, pol, dir, diag);
	vw_ouiset_free(&scand);
	vw_ouiset_free(&scur);
	vw_diag_free(&ignore);
	free(ids);
	return r;
}

int vw_registry_validate(const struct vw_registry *cand, size_t cand_problems,
			 const char *cand_dir, const struct vw_registry *cur,
			 const struct vw_policy *pol, struct vw_diag *diag)
{
	int bad = 0, r;

	if (cand_problems) {
		vw_diag_add(diag, cand_dir, 0, "%zu problems while parsing; rejected", cand_problems);
		bad = 1;
	}
	for (int k = 0; k < VW_REG_KINDS; k++) {
		if ((double)cand->count[k] >= VW_REGISTRY_MIN_RATIO * (double)cur->count[k])
			continue;
		vw_diag_add(diag, cand_dir, 0,
			    "%s: %zu rows, the registry in use has %zu (less than %.0f%%); truncated? rejected",
			    kind_file[k], cand->count[k], cur->count[k], VW_REGISTRY_MIN_RATIO * 100);
		bad = 1;
	}
	r = check_restricted(cand, cand_dir, cur, pol, diag);
	if (r == -ENOMEM)
		return r;
	return bad || r ? -EBADMSG : 0;
}

/* Removes the regular files of dir, then dir. */
static int remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) < 0 && !r)
			r = -errno;
	}
	closedir(d);
	if (rmdir(dir) < 0 && !r)
		r = -errno;
	return r;
}

void vw_registry_unstage(const char *staging)
{
	remove_tree(staging);
}

int vw_registry_stage(const char *state_dir, char **staging)
{
	int r;

	if (asprintf(staging, "%s/%s", state_dir, VW_REGISTRY_STAGING) < 0) {
		*staging = NULL;
		return -ENOMEM;
	}
	/* A leftover is an update that died half way: never resume it. */
	r = remove_tree(*staging);
	if (r == 0 && mkdir(*staging, 0700) < 0)
		r = -errno;
	if (r < 0) {
		free(*staging);
		*staging = NULL;
	}
	return r;
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

static int write_lastupdate(const char *staging, time_t date)
{
	char *path = NULL;
	FILE *f;
	int r = 0;

	if (asprintf(&path, "%s/.lastupdate", staging) < 0)
		return -ENOMEM;
	f = fopen(path, "we");
	if (!f) {
		r = -errno;
	} else {
		fprintf(f, "%lld\n", (long long)date);
		if (fclose(f) != 0)
			r = -errno;
	}
	free(path);
	return r;
}

/* Every file of staging and staging itself reach the disk before the
 * rename publishes them. */
static int sync_staging(const char *staging)
{
	DIR *d = opendir(staging);
	struct dirent *e;
	int r = 0;

	if (!d)
		return -errno;
	while (!r && (e = readdir(d))) {
		int fd;

		if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) < 0)
			r = -errno;
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return r ? r : fsync_path(staging, O_DIRECTORY);
}

/* Keeps the version in use and the one before it (for a manual rollback). */
static void prune_versions(const char *state_dir, const char *keep1, const char *keep2)
{
	DIR *d = opendir(state_dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *p = NULL;

		if (strncmp(e->d_name, VW_REGISTRY_LINK "-", sizeof(VW_REGISTRY_LINK)) ||
		    (keep1 && !strcmp(e->d_name, keep1)) || (keep2 && !strcmp(e->d_name, keep2)))
			continue;
		if (asprintf(&p, "%s/%s", state_dir, e->d_name) >= 0)
			remove_tree(p);
		free(p);
	}
	closedir(d);
}

/* Points state_dir/registry at name (relative) by renaming a fresh symlink
 * over it, so a reader sees the old or the new directory, never neither. */
static int swap_link(const char *state_dir, const char *name)
{
	char *tmp = NULL, *link = NULL;
	int r = 0;

	if (asprintf(&tmp, "%s/%s.tmp", state_dir, VW_REGISTRY_LINK) < 0)
		return -ENOMEM;
	if (asprintf(&link, "%s/%s", state_dir, VW_REGISTRY_LINK) < 0) {
		free(tmp);
		return -ENOMEM;
	}
	unlink(tmp);
	if (symlink(name, tmp) < 0 || rename(tmp, link) < 0) {
		r = -errno;
		unlink(tmp);
	}
	free(tmp);
	free(link);
	return r ? r : fsync_path(state_dir, O_DIRECTORY);
}

int vw_registry_commit(const char *state_dir, const char *staging, time_t date,
		       char **installed)
{
	char old[256] = "", *name = NULL, *link = NULL;
	struct timespec now;
	ssize_t n;
	int r;

	*installed = NULL;
	r = write_lastupdate(staging, date);
	if (r == 0)
		r = sync_staging(staging);
	if (r < 0)
		return r;
	if (asprintf(&link, "%s/%s", state_dir, VW_REGISTRY_LINK) < 0)
		return -ENOMEM;
	n = readlink(link, old, sizeof(old) - 1);
	old[n > 0 ? n : 0] = '\0';
	free(link);
	clock_gettime(CLOCK_REALTIME, &now);
	if (asprintf(&name, "%s-%lld.%09ld-%d", VW_REGISTRY_LINK, (long long)now.tv_sec,
		     now.tv_nsec, (int)getpid()) < 0)
		return -ENOMEM;
	if (asprintf(installed, "%s/%s", state_dir, name) < 0) {
		*installed = NULL;
		free(name);
		return -ENOMEM;
	}
	if (rename(staging, *installed) < 0)
		r = -errno;
	if (r == 0)
		r = swap_link(state_dir, name);
	if (r == 0)
		prune_versions(state_dir, name, old[0] ? old : NULL);
	free(name);
	if (r < 0) {
		free(*installed);
		*installed = NULL;
	}
	return r;
}
