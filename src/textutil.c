#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "textutil.h"

void text_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool text_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

const char *text_trim(const char *s, size_t *n)
{
	while (*n > 0 && text_is_wsp(s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && text_is_wsp(s[*n - 1]))
		(*n)--;
	return s;
}
