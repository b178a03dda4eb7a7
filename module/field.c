// SPDX-License-Identifier: GPL-2.0
/*
 * field.c - the field writer's out-of-line part: a printf field, and SOCK
 * as %pK would show it to this reader. Like the inline helpers of
 * sockmap_row.h, everything here writes at a plain char pointer into room
 * the caller has made sure of and returns the end; nothing here calls back
 * into the files that assemble a row.
 */

#include <linux/kernel.h>
#include <linux/string.h>

#include "sockmap.h"
#include "sockmap_compat.h"
#include "sockmap_row.h"

/*
 * At most @max bytes from a printf format, for the fields only vsnprintf()
 * can write (%pK) or that are rare. vsnprintf() ends them with a NUL; that
 * byte is padding, so it is made a space again.
 */
char *sockmap_fmt_printf(char *p, size_t max, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	p += vscnprintf(p, max + 1, fmt, args);
	va_end(args);
	*p = ' ';
	return p;
}

/* @v in SOCKMAP_POINTER_DIGITS lowercase hex digits, as %pK pads it. */
static char *sockmap_fmt_pointer_digits(char *p, unsigned long v)
{
	int i;

	for (i = SOCKMAP_POINTER_DIGITS - 1; i >= 0; i--) {
		p[i] = hex_asc_lo(v);
		v >>= 4;
	}
	return p + SOCKMAP_POINTER_DIGITS;
}

/*
 * sockmap_kptr_mode - what %pK shows the current reader (see sockmap.h):
 * vsnprintf() is asked about an address we know, and its answer compared
 * with that address and with zeros. Call it where the reader is current,
 * in read(), as %pK itself must be: never from open() or a work item.
 */
enum sockmap_kptr sockmap_kptr_mode(void)
{
	static const char probe;	/* any address will do */
	char shown[SOCKMAP_POINTER_MAX + 1], raw[SOCKMAP_POINTER_DIGITS + 1];

	snprintf(shown, sizeof(shown), "%pK", &probe);
	*sockmap_fmt_pointer_digits(raw, (unsigned long)&probe) = '\0';
	if (!strcmp(shown, raw))
		return SOCKMAP_KPTR_RAW;
	*sockmap_fmt_pointer_digits(raw, 0) = '\0';
	if (!strcmp(shown, raw))
		return SOCKMAP_KPTR_ZERO;
	return SOCKMAP_KPTR_PRINTF;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_kptr_mode);

char *sockmap_fmt_kptr(char *p, const void *ptr, enum sockmap_kptr mode)
{
	switch (mode) {
	case SOCKMAP_KPTR_RAW:
		return sockmap_fmt_pointer_digits(p, (unsigned long)ptr);
	case SOCKMAP_KPTR_ZERO:
		return sockmap_fmt_pointer_digits(p, 0);
	default:
		return sockmap_fmt_printf(p, SOCKMAP_POINTER_MAX, "%pK", ptr);
	}
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_kptr);
