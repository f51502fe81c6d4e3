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
