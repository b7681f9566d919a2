/* SPDX-License-Identifier: GPL-2.0-only */
/* Parsing of one control request message, apart from the server so that it
 * can be tested and fuzzed as a pure function: the bytes come from any
 * local user who can connect. */
#ifndef VW_CONTROL_REQUEST_H
#define VW_CONTROL_REQUEST_H

#include <stddef.h>
#include <json-c/json.h>

/*
 * Parses buf[0..len) into a JSON object. buf[len] must be writable (it is
 * overwritten). 0 and *out set (the caller owns it), or -EINVAL with a
 * malloc'ed *errmsg saying what is wrong (NULL when out of memory), or
 * -ENOMEM. *out is untouched on failure.
 */
int vw_control_parse_request(char *buf, size_t len, struct json_object **out, char **errmsg);

#endif
