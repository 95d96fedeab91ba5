/* The terminal: ncurses set-up and restore, signals through a self-pipe, keys. */
#ifndef CHARTGATE_TERM_H
#define CHARTGATE_TERM_H

#include <stddef.h>

/* Keys: ncurses KEY_* codes and characters, Alt+key flagged with KEY_ALT.
 * Characters from U+0100 up carry KEY_WCHAR so they never pass for a KEY_*
 * code (which live in 0401..0777); key_char() gives the code point or -1. */
#define KEY_ALT   0x40000000
#define KEY_WCHAR 0x20000000
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC   27
#define KEY_TAB   9
#define KEY_RET   13
#define KEY_LF    10
#define KEY_DEL   127

enum term_event {
	TERM_EV_NONE = 0,
	TERM_EV_RESIZE = 1,
	TERM_EV_QUIT = 2,
};

int term_init(void);		/* 0, or -1 with a message on stderr */
void term_fini(void);		/* idempotent */
int term_signal_fd(void);	/* readable after SIGWINCH/SIGINT/SIGTERM/SIGHUP */
int term_take_events(void);	/* drains the pipe: TERM_EV_* bits */
void term_resize(void);		/* re-reads the size after SIGWINCH */

/* Next key, or -1 when none is waiting. Never blocks. */
int term_read_key(void);
/* The printable character a key types, or -1 (controls, function keys, Alt). */
int key_char(int key);

#endif
