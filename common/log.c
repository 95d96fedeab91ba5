/* Operational logging: a small formatter that only knows safe conversions, then syslog or stderr. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/log.h"

#define LOG_LINE_MAX	1024
#define LOG_ARG_MAX	128	/* bytes of one %s argument */

const char *const log_target_names[] = { "syslog", "stderr", "none", NULL };

/* Set once by log_open before any thread starts; only read afterwards. */
static const char *log_ident = "chartgate";
static enum log_target log_to = LOG_TARGET_STDERR;
static int log_debug;

void
log_open(const char *ident, enum log_target target, int verbose)
{
	log_ident = ident != NULL ? ident : "chartgate";
	log_to = target;
	log_debug = verbose;
	if (target == LOG_TARGET_SYSLOG)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_USER);
}

void
log_close(void)
{
	if (log_to == LOG_TARGET_SYSLOG)
		closelog();
	log_to = LOG_TARGET_NONE;
}

int
log_verbose(void)
{
	return log_debug;
}

struct line {
	char buf[LOG_LINE_MAX];
	size_t n;
};

static void
put(struct line *l, char ch)
{
	if (l->n + 1 < sizeof(l->buf))
		l->buf[l->n++] = ch;
}

static void
put_str(struct line *l, const char *s)
{
	size_t i;

	if (s == NULL)
		s = "(null)";
	for (i = 0; s[i] != '\0'; i++) {
		if (i == LOG_ARG_MAX) {
			put(l, '.'), put(l, '.'), put(l, '.');
			return;
		}
		put(l, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
	}
}

static void
put_num(struct line *l, unsigned long long v, int neg, unsigned base)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (neg)
		put(l, '-');
	while (n > 0)
		put(l, tmp[--n]);
}

/* Length modifier: 0 none, 1 l, 2 ll, 3 z. Returns the modifier, advancing *p. */
static int
length_mod(const char **p)
{
	if ((*p)[0] == 'l' && (*p)[1] == 'l')
		return *p += 2, 2;
	if ((*p)[0] == 'l')
		return *p += 1, 1;
	if ((*p)[0] == 'z')
		return *p += 1, 3;
	return 0;
}

static void
put_signed(struct line *l, int mod, va_list *ap)
{
	long long v;

	switch (mod) {
	case 1: v = va_arg(*ap, long); break;
	case 2: v = va_arg(*ap, long long); break;
	case 3: v = (long long)va_arg(*ap, size_t); break;
	default: v = va_arg(*ap, int); break;
	}
	put_num(l, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0, 10);
}

static void
put_unsigned(struct line *l, int mod, unsigned base, va_list *ap)
{
	unsigned long long v;

	switch (mod) {
	case 1: v = va_arg(*ap, unsigned long); break;
	case 2: v = va_arg(*ap, unsigned long long); break;
	case 3: v = va_arg(*ap, size_t); break;
	default: v = va_arg(*ap, unsigned); break;
	}
	put_num(l, v, 0, base);
}

/* Returns 0, or -1 at the first conversion we do not support. */
static int
format_line(struct line *l, const char *fmt, va_list *ap)
{
	const char *p;
	int mod;

	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			put(l, *p);
			continue;
		}
		p++;
		mod = length_mod(&p);
		switch (*p) {
		case '%': if (mod) return -1; put(l, '%'); break;
		case 's': if (mod) return -1; put_str(l, va_arg(*ap, const char *)); break;
		case 'd': case 'i': put_signed(l, mod, ap); break;
		case 'u': put_unsigned(l, mod, 10, ap); break;
		case 'x': put_unsigned(l, mod, 16, ap); break;
		default: return -1;
		}
	}
	return 0;
}

static const char *const level_word[] = {
	[LOG_LEVEL_ERROR] = "error: ",
	[LOG_LEVEL_WARNING] = "warning: ",
	[LOG_LEVEL_NOTICE] = "",
	[LOG_LEVEL_INFO] = "",
	[LOG_LEVEL_DEBUG] = "debug: ",
};

static const int level_prio[] = {
	[LOG_LEVEL_ERROR] = LOG_ERR,
	[LOG_LEVEL_WARNING] = LOG_WARNING,
	[LOG_LEVEL_NOTICE] = LOG_NOTICE,
	[LOG_LEVEL_INFO] = LOG_INFO,
	[LOG_LEVEL_DEBUG] = LOG_DEBUG,
};

void
log_emit_(enum log_level level, const char *fmt, ...)
{
	struct line l;
	va_list ap;
	size_t prefix;
	int rc;

	if (log_to == LOG_TARGET_NONE || (unsigned)level > LOG_LEVEL_DEBUG ||
	    (level == LOG_LEVEL_DEBUG && !log_debug))
		return;
	l.n = 0;
	if (log_to == LOG_TARGET_STDERR) {
		put_str(&l, log_ident);
		put(&l, ':'), put(&l, ' ');
		put_str(&l, level_word[level]);
	}
	prefix = l.n;
	va_start(ap, fmt);
	rc = format_line(&l, fmt, &ap);
	va_end(ap);
	if (rc != 0) {
		l.n = prefix;
		put_str(&l, "log: refused a line with an unsupported conversion: ");
		put_str(&l, fmt);
	}
	if (log_to == LOG_TARGET_SYSLOG) {
		l.buf[l.n] = '\0';
		syslog(level_prio[level], "%s", l.buf);
		return;
	}
	/* One write per line: request threads must not interleave halves. */
	if (l.n + 1 >= sizeof(l.buf))
		l.n = sizeof(l.buf) - 2;
	l.buf[l.n++] = '\n';
	if (write(STDERR_FILENO, l.buf, l.n) < 0)
		return;
}
