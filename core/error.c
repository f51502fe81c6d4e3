/* error.c — see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

void br_error_clear(struct br_error *err)
{
	if (!err)
		return;
	err->code = BR_OK;
	err->msg[0] = '\0';
	err->file[0] = '\0';
	err->line = 0;
}

int br_error_set(struct br_error *err, enum br_code code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != BR_OK)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int br_error_prefix(struct br_error *err, const char *fmt, ...)
{
	char out[BR_ERROR_MSG_MAX];
	size_t n, rest, cap = sizeof(out) - 1;
	va_list ap;
	int k;

	if (!err || err->code == BR_OK)
		return err ? err->code : BR_OK;
	va_start(ap, fmt);
	k = vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	n = k < 0 ? 0 : (size_t)k > cap ? cap : (size_t)k;
	if (n < cap) {
		out[n++] = ':';
	}
	if (n < cap) {
		out[n++] = ' ';
	}
	rest = strnlen(err->msg, sizeof(err->msg));
	if (rest > cap - n)
		rest = cap - n;
	memcpy(out + n, err->msg, rest);
	out[n + rest] = '\0';
	memcpy(err->msg, out, n + rest + 1);
	return err->code;
}

void br_error_at(struct br_error *err, const char *file, long line)
{
	if (!err)
		return;
	if (file && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", file);
	if (line > 0 && err->line == 0)
		err->line = line;
}

int br_error_exit_status(enum br_code code)
{
	switch (code) {
	case BR_OK: return 0;
	case BR_EUSAGE: return 64;
	case BR_EINPUT: return 65;
	case BR_ENOINPUT: return 66;
	case BR_EIO: return 74;
	case BR_EBUSY: return 75;
	case BR_EFOUREYES: return 77;
	case BR_ECONFIG: return 78;
	case BR_EINTERNAL:
	case BR_ENOMEM:
	default: return 70;
	}
}
