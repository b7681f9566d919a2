/* SPDX-License-Identifier: GPL-2.0-only */
/* POSIX ERE to PCRE syntax, one pass over the pattern; every construct whose meaning differs between the two is rewritten or refused (see ere.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ere.h"

struct out {
	char *s;
	size_t n;
	char *why;
	size_t whylen;
};

static void put(struct out *o, const char *s)
{
	size_t l = strlen(s);

	memcpy(o->s + o->n, s, l);
	o->n += l;
}

static void put_byte(struct out *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c < 0x7F) {
		o->s[o->n++] = (char)c;
		return;
	}
	/* Controls and high bytes: PCRE (non-UTF) reads \xHH as that byte. */
	o->s[o->n++] = '\\';
	o->s[o->n++] = 'x';
	o->s[o->n++] = hex[c >> 4];
	o->s[o->n++] = hex[c & 15];
}

static int refuse(struct out *o, size_t at, const char *fmt, ...)
{
	va_list ap;
	size_t l;

	snprintf(o->why, o->whylen, "at offset %zu: ", at);
	l = strlen(o->why);
	va_start(ap, fmt);
	vsnprintf(o->why + l, o->whylen - l, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool class_name_ok(const char *s, size_t n)
{
	static const char *const names[] = { "alpha", "digit", "alnum", "upper", "lower", "space",
		"blank", "punct", "print", "graph", "cntrl", "xdigit" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return true;
	return false;
}

/* [...] starting at p[*i] == '['; *i ends after the closing ']'. */
static int bracket(struct out *o, const char *p, size_t *i)
{
	size_t k = *i + 1, start = *i;

	put(o, "[");
	if (p[k] == '^') {
		put(o, "^");
		k++;
	}
	if (p[k] == ']') {         /* first: a literal ']' in both dialects */
		put(o, "\\]");
		k++;
	}
	for (; p[k] && p[k] != ']'; k++) {
		if (p[k] == '[' && (p[k + 1] == '.' || p[k + 1] == '='))
			return refuse(o, k, "collating element [%c %c] is not supported", p[k + 1], p[k + 1]);
		if (p[k] == '[' && p[k + 1] == ':') {
			const char *end = strstr(p + k + 2, ":]");

			if (!end || !class_name_ok(p + k + 2, (size_t)(end - p - k - 2)))
				return refuse(o, k, "unknown character class");
			memcpy(o->s + o->n, p + k, (size_t)(end + 2 - p) - k);
			o->n += (size_t)(end + 2 - p) - k;
			k = (size_t)(end + 1 - p);
			continue;
		}
		if (p[k] == '\\' || p[k] == '[') {
			/* Literal inside a POSIX bracket; PCRE needs it escaped. */
			o->s[o->n++] = '\\';
			o->s[o->n++] = p[k];
			continue;
		}
		put_byte(o, (unsigned char)p[k]);
	}
	if (p[k] != ']')
		return refuse(o, start, "unterminated [");
	put(o, "]");
	*i = k + 1;
	return 0;
}

/* {n}, {n,} or {n,m} at p[*i] == '{'. */
static int interval(struct out *o, const char *p, size_t *i)
{
	size_t k = *i + 1;
	long lo = -1, hi = -1;

	if (isdigit((unsigned char)p[k]))
		lo = strtol(p + k, NULL, 10);
	while (isdigit((unsigned char)p[k]))
		k++;
	if (p[k] == ',') {
		k++;
		if (isdigit((unsigned char)p[k]))
			hi = strtol(p + k, NULL, 10);
		while (isdigit((unsigned char)p[k]))
			k++;
	} else {
		hi = lo;
	}
	if (lo < 0 || p[k] != '}' || lo > 255 || hi > 255 || (hi >= 0 && hi < lo))
		return refuse(o, *i, "'{' must open an interval {n}, {n,} or {n,m} with n <= m <= 255");
	memcpy(o->s + o->n, p + *i, k + 1 - *i);
	o->n += k + 1 - *i;
	*i = k + 1;
	return 0;
}

/* What the previous token allows a quantifier to apply to. */
enum prev { P_NONE, P_ATOM, P_QUANT };

/* *, +, ? or an interval at p[*i]. */
static int quantifier(struct out *o, const char *p, size_t *i, enum prev prev)
{
	char c = p[*i];

	if (prev == P_NONE)
		return refuse(o, *i, "'%c' has nothing to repeat", c);
	if (prev == P_QUANT)
		return refuse(o, *i, "'%c' right after another repetition (write (x*)%c)", c, c);
	if (c == '{')
		return interval(o, p, i);
	o->s[o->n++] = p[(*i)++];
	return 0;
}

/* A backslash at p[i] and the byte after it: a literal, or refused. */
static int escape(struct out *o, const char *p, size_t i)
{
	unsigned char c = (unsigned char)p[i + 1];

	if (!c)
		return refuse(o, i, "trailing backslash");
	if (isalnum(c))
		return refuse(o, i, "'\\%c' is a GNU extension or back-reference, not POSIX ERE", c);
	if (c >= 0x80 || c < 0x20) {
		put_byte(o, c);
	} else {
		o->s[o->n++] = '\\';
		o->s[o->n++] = (char)c;
	}
	return 0;
}

int vw_ere_to_pcre(const char *ere, char **res, char *why, size_t whylen)
{
	struct out o = { .why = why, .whylen = whylen };
	enum prev prev = P_NONE;
	int depth = 0, rc = 0;
	size_t i = 0;

	*res = NULL;
	/* The longest rewrite of one byte is '.' -> "[^\x00]" (7). */
	o.s = malloc(strlen(ere) * 8 + 1);
	if (!o.s)
		return -ENOMEM;
	while (!rc && ere[i]) {
		char c = ere[i];

		switch (c) {
		case '*': case '+': case '?': case '{':
			rc = quantifier(&o, ere, &i, prev);
			prev = P_QUANT;
			continue;
		case '(':
			if (ere[i + 1] == '*' || ere[i + 1] == '?')
				rc = refuse(&o, i, "'(%c' opens nothing to repeat", ere[i + 1]);
			depth++;
			put(&o, "(");
			prev = P_NONE;
			break;
		case ')':
			/* glibc reads an unmatched ')' as a literal. */
			put(&o, depth ? ")" : "\\)");
			prev = P_ATOM;
			depth -= depth > 0;
			break;
		case '|':
			put(&o, "|");
			prev = P_NONE;
			break;
		case '^':
			put(&o, "^");
			prev = P_NONE;
			break;
		case '$':
			put(&o, "\\z");
			prev = P_NONE;
			break;
		case '.':
			put(&o, "[^\\x00]");
			prev = P_ATOM;
			break;
		case '[':
			rc = bracket(&o, ere, &i);
			prev = P_ATOM;
			continue;
		case '\\':
			rc = escape(&o, ere, i);
			i += 2;
			prev = P_ATOM;
			continue;
		default:
			put_byte(&o, (unsigned char)c);
			prev = P_ATOM;
			break;
		}
		i++;
	}
	if (rc) {
		free(o.s);
		return rc;
	}
	o.s[o.n] = '\0';
	*res = o.s;
	return 0;
}
