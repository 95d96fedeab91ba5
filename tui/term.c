/* The terminal: ncurses set-up and restore, signals through a self-pipe, keys. */
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int sigpipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t pending;
static struct termios saved_tio;
static int have_tio, active;

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	pending |= sig == SIGWINCH ? TERM_EV_RESIZE : TERM_EV_QUIT;
	if (sigpipe_fd[1] >= 0 && write(sigpipe_fd[1], &c, 1) < 0) {
		/* the pipe is full: a wake-up is already pending */
	}
	errno = saved;
}

/* A crash must not leave a clinician's cart in raw mode with the alternate
 * screen up: restore with async-signal-safe calls only, then die as before. */
static void
on_fatal(int sig)
{
	static const char restore[] = "\033[?1049l\033[?25h\033[0m\r\n";

	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	if (write(STDOUT_FILENO, restore, sizeof(restore) - 1) < 0) {
		/* nothing more can be done */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
set_handlers(void)
{
	static const int soft[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof(soft) / sizeof(soft[0]); i++)
		if (sigaction(soft[i], &sa, NULL) < 0)
			return -1;
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (sigaction(fatal[i], &sa, NULL) < 0)
			return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int
term_init(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "chartgate: needs a terminal on stdin and stdout\n");
		return -1;
	}
	/* Only what the client uses: LC_CTYPE (UTF-8 for ncursesw), LC_TIME (the lock
	 * screen's date), LC_MESSAGES (strerror). LC_ALL read every other category's
	 * file too, ~0.15 ms on the way to the lock screen; numbers stay "C". */
	setlocale(LC_CTYPE, "");
	setlocale(LC_TIME, "");
	setlocale(LC_MESSAGES, "");
	if (pipe2(sigpipe_fd, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "chartgate: pipe: %s\n", strerror(errno));
		return -1;
	}
	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = 1;
	if (set_handlers() < 0) {
		fprintf(stderr, "chartgate: sigaction: %s\n", strerror(errno));
		return -1;
	}
	/* Alt+key arrives as ESC+key in one read: keep the wait for it short. */
	set_escdelay(25);
	if (initscr() == NULL) {
		fprintf(stderr, "chartgate: cannot initialise the terminal\n");
		return -1;
	}
	active = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* A screen here is at most a few KiB: finish each refresh in one write instead of
	 * polling stdin between lines and flushing dozens of small writes. */
	typeahead(-1);
	/* ncurses 6.4 flushes after every cursor move until its screen has once
	 * been suspended and resumed (_nc_mvcur flushes while _endwin is still
	 * ewInitial): the worklist went out in ~40 writes, each waking the
	 * terminal's reader. endwin() now, before anything is drawn, and the first
	 * refresh resumes: a refresh is then one write. */
	endwin();
	curs_set(0);
	return 0;
}

void
term_fini(void)
{
	if (active) {
		endwin();
		active = 0;
	}
	if (sigpipe_fd[0] >= 0) {
		close(sigpipe_fd[0]);
		close(sigpipe_fd[1]);
		sigpipe_fd[0] = sigpipe_fd[1] = -1;
	}
}

int
term_signal_fd(void)
{
	return sigpipe_fd[0];
}

int
term_take_events(void)
{
	char buf[64];
	int ev;

	while (read(sigpipe_fd[0], buf, sizeof(buf)) > 0)
		;
	ev = pending;
	pending = 0;
	return ev;
}

void
term_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

int
term_read_key(void)
{
	wint_t wc;
	int r = wget_wch(stdscr, &wc);

	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES)
		return (int)wc;
	if (wc == KEY_ESC) {
		/* ESC followed at once by a printable key is Alt+key (xterm's
		 * meta-sends-escape). Anything else is a lone Esc and the next key
		 * stays queued for the next read: Esc then ^X must lock, not vanish. */
		wint_t next;
		int r2 = wget_wch(stdscr, &next);
		if (r2 == OK && next >= 0x20 && next != KEY_DEL && next != KEY_ESC)
			return KEY_ALT | (next >= 0x100 ? KEY_WCHAR : 0) | (int)next;
		if (r2 == OK)
			unget_wch((wchar_t)next);
		else if (r2 == KEY_CODE_YES)
			ungetch((int)next);
		return KEY_ESC;
	}
	return wc >= 0x100 ? KEY_WCHAR | (int)wc : (int)wc;
}

int
key_char(int key)
{
	if (key < 0 || (key & KEY_ALT))
		return -1;
	if (key & KEY_WCHAR)
		return key & ~KEY_WCHAR;
	if (key >= 0x20 && key < 0x100 && key != KEY_DEL && (key < 0x80 || key >= 0xa0))
		return key;
	return -1;
}
