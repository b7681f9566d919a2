// SPDX-License-Identifier: GPL-2.0-only
/* The control socket's request envelope: one JSON object per message. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "control_request.h"

int vw_control_parse_request(char *buf, size_t len, struct json_object **out, char **errmsg)
{
	struct json_tokener *tok = json_tokener_new_ex(32);
	struct json_object *obj = NULL;
	enum json_tokener_error jerr;
	size_t end;
	int r = -EINVAL;

	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
				    JSON_TOKENER_VALIDATE_UTF8);
	/* A space after the message ends a top-level number or literal, which
	 * json-c would otherwise report as incomplete; only a truly cut-off
	 * value still asks for more. */
	buf[len] = ' ';
	obj = json_tokener_parse_ex(tok, buf, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	if (!obj && jerr == json_tokener_continue) {
		*errmsg = strdup("request: truncated JSON");
		goto out;
	}
	if (jerr != json_tokener_success) {
		if (asprintf(errmsg, "request: not JSON (%s)", json_tokener_error_desc(jerr)) < 0)
			*errmsg = NULL;
		goto out;
	}
	/* Trailing whitespace is harmless; anything else is a second value
	 * or garbage, and guessing which part was meant is unsafe. */
	for (end = json_tokener_get_parse_end(tok); end < len && isspace((unsigned char)buf[end]); end++)
		;
	if (end < len) {
		*errmsg = strdup("request: trailing data after the JSON value");
		goto out;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		*errmsg = strdup("request: expected a JSON object");
		goto out;
	}
	*out = obj;
	obj = NULL;
	r = 0;
out:
	json_object_put(obj);
	json_tokener_free(tok);
	return r;
}
