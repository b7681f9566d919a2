// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_control_parse_request: the input is one message as a local client sends it on the control socket. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "control_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *req = NULL;
	char *errmsg = NULL;
	char *buf;
	int r;

	/* The server never hands over more than this. */
	if (size > VW_CONTROL_MAX_REQUEST)
		return 0;
	/* size + 1: the parser owns buf[len], as in the server's buffer; an
	 * overread past it hits ASan's redzone. */
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = vw_control_parse_request(buf, size, &req, &errmsg);
	/* The contract: an object and no message, or a message and no object. */
	if (r == 0 && (!json_object_is_type(req, json_type_object) || errmsg))
		abort();
	if (r == -EINVAL && (req || !errmsg || !*errmsg))
		abort();
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	/* What the server does next with a request: serialise it for audit. */
	if (req && !json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN))
		abort();
	json_object_put(req);
	free(errmsg);
	free(buf);
	return 0;
}
