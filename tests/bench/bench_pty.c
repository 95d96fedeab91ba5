/* Pty driver: runs a program at 80x24 under a libvterm screen model, sends keys and times screens. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vterm.h>

#include "tests/bench/stats.h"

#define ROWS 24
#define COLS 80
#define WAIT_MS 20000
#define MAX_STEPS 32
#define MAX_WANT 4

/* What a screen must show: every item, each on its row (-1: any row); any = at least one byte. */
struct want {
	int any;
	int n;
	int row[MAX_WANT];
	char text[MAX_WANT][128];
};

/* Keys to send, then what to wait for; name NULL = not timed. */
struct step {
	const char *name;
	const char *keys;
	struct want want;
	struct samples ms, bytes;
};

struct term {
	int fd;
	pid_t pid;
	VTerm *vt;
	VTermScreen *scr;
	size_t bytes;		/* read since the last key */
	double last_byte_ms;
};

static struct {
	int reps, warmup, settle_ms, gap_ms, report_bytes;
	const char *startup, *startup_keys, *rss;
	struct want ready;
	struct step setup[MAX_STEPS], cycle[MAX_STEPS];
	int n_setup, n_cycle;
	char **argv;
} opt = { .reps = 30, .warmup = 1, .settle_ms = 40, .gap_ms = 0 };

static void
die(const char *what)
{
	fprintf(stderr, "bench_pty: %s\n", what);
	exit(2);
}

static void
vt_output(const char *s, size_t len, void *arg)
{
	struct term *t = arg;

	while (len > 0) {
		ssize_t k = write(t->fd, s, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		s += k;
		len -= (size_t)k;
	}
}

static void
term_spawn(struct term *t, char **argv)
{
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };

	memset(t, 0, sizeof(*t));
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		die("forkpty failed");
	if (t->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
	t->vt = vterm_new(ROWS, COLS);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, vt_output, t);
	t->scr = vterm_obtain_screen(t->vt);
	vterm_screen_reset(t->scr, 1);
}

static void
term_close(struct term *t)
{
	int i, status;

	if (t->pid > 0) {
		kill(t->pid, SIGTERM);
		/* Keep reading: a program blocked on a full pty never gets to exit. */
		for (i = 0; i < 200 && waitpid(t->pid, &status, WNOHANG) == 0; i++) {
			char buf[4096];
			if (read(t->fd, buf, sizeof(buf)) <= 0)
				bench_sleep_ms(10);
		}
		if (i == 200) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &status, 0);
		}
	}
	if (t->vt != NULL)
		vterm_free(t->vt);
	close(t->fd);
	memset(t, 0, sizeof(*t));
}

static size_t
screen_row(struct term *t, int row, char *buf, size_t size)
{
	VTermRect r = { .start_row = row, .end_row = row + 1, .start_col = 0, .end_col = COLS };
	size_t n = vterm_screen_get_text(t->scr, buf, size - 1, r);

	buf[n < size ? n : size - 1] = '\0';
	return n;
}

static void
screen_dump(struct term *t, FILE *f)
{
	char line[COLS * 4 + 1];
	int r;

	for (r = 0; r < ROWS; r++) {
		screen_row(t, r, line, sizeof(line));
		fprintf(f, "    | %s\n", line);
	}
}

static int
want_met(struct term *t, const struct want *w)
{
	char line[COLS * 4 + 1];
	int i, r, found;

	if (w->any && t->bytes == 0)
		return 0;
	for (i = 0; i < w->n; i++) {
		found = 0;
		for (r = w->row[i] < 0 ? 0 : w->row[i]; r < ROWS && !found; r++) {
			screen_row(t, r, line, sizeof(line));
			found = strstr(line, w->text[i]) != NULL;
			if (w->row[i] >= 0)
				break;
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* Read until the screen shows w and then stays quiet for the settle window.
 * *done_ms: the time of the last byte of that paint. */
static int
term_wait(struct term *t, const struct want *w, double *done_ms)
{
	double deadline = bench_now_ms() + WAIT_MS;
	char buf[65536];
	int met = 0;

	for (;;) {
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		double now = bench_now_ms();
		int timeout, r;
		ssize_t n;

		if (!met)
			met = want_met(t, w);
		timeout = met ? opt.settle_ms : (int)(deadline - now);
		if (!met && timeout <= 0)
			return -1;
		r = poll(&p, 1, timeout > 0 ? timeout : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && met) {
			*done_ms = t->last_byte_ms;
			return 0;
		}
		if (r <= 0)
			continue;
		n = read(t->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {		/* the program is gone */
			*done_ms = t->last_byte_ms;
			return met ? 0 : -1;
		}
		t->last_byte_ms = bench_now_ms();
		t->bytes += (size_t)n;
		vterm_input_write(t->vt, buf, (size_t)n);
	}
}

/* Keys: plain characters and <Down> <Up> <PgDn> <PgUp> <Home> <End> <Enter> <Esc> <C-x> <M-x>. */
static int
send_keys(struct term *t, const char *keys)
{
	static const struct {
		const char *name;
		VTermKey key;
	} named[] = {
		{ "<Down>", VTERM_KEY_DOWN }, { "<Up>", VTERM_KEY_UP },
		{ "<PgDn>", VTERM_KEY_PAGEDOWN }, { "<PgUp>", VTERM_KEY_PAGEUP },
		{ "<Home>", VTERM_KEY_HOME }, { "<End>", VTERM_KEY_END },
		{ "<Enter>", VTERM_KEY_ENTER }, { "<Esc>", VTERM_KEY_ESCAPE },
	};
	const char *p = keys;
	size_t i, len;

	while (*p != '\0') {
		for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
			len = strlen(named[i].name);
			if (strncmp(p, named[i].name, len) == 0) {
				vterm_keyboard_key(t->vt, named[i].key, VTERM_MOD_NONE);
				p += len;
				break;
			}
		}
		if (i < sizeof(named) / sizeof(named[0]))
			continue;
		if ((strncmp(p, "<C-", 3) == 0 || strncmp(p, "<M-", 3) == 0) && p[3] && p[4] == '>') {
			vterm_keyboard_unichar(t->vt, (uint32_t)(unsigned char)p[3],
			    p[1] == 'C' ? VTERM_MOD_CTRL : VTERM_MOD_ALT);
			p += 5;
			continue;
		}
		if (*p == '<')
			return -1;
		vterm_keyboard_unichar(t->vt, (uint32_t)(unsigned char)*p++, VTERM_MOD_NONE);
	}
	return 0;
}

/* WANT: "*" (any output) or items joined by "&&", each "TEXT" or "ROW:TEXT". */
static void
want_parse(const char *spec, struct want *w)
{
	const char *p = spec, *end;

	memset(w, 0, sizeof(*w));
	if (strcmp(spec, "*") == 0) {
		w->any = 1;
		return;
	}
	while (*p != '\0') {
		size_t len;
		char *colon;

		if (w->n == MAX_WANT)
			die("too many items in a WANT");
		end = strstr(p, "&&");
		len = end ? (size_t)(end - p) : strlen(p);
		if (len >= sizeof(w->text[0]))
			die("WANT text too long");
		memcpy(w->text[w->n], p, len);
		w->text[w->n][len] = '\0';
		w->row[w->n] = -1;
		colon = strchr(w->text[w->n], ':');
		if (colon != NULL && colon > w->text[w->n] &&
		    strspn(w->text[w->n], "0123456789") == (size_t)(colon - w->text[w->n])) {
			w->row[w->n] = atoi(w->text[w->n]);
			memmove(w->text[w->n], colon + 1, strlen(colon + 1) + 1);
		}
		w->n++;
		p += len + (end ? 2 : 0);
	}
}

/* Drop what is still coming (a clock tick, a late fetch) so a key's bytes are its own. */
static void
term_drain(struct term *t, int quiet_ms)
{
	char buf[65536];
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	ssize_t n;

	while (poll(&p, 1, quiet_ms) > 0) {
		if ((n = read(t->fd, buf, sizeof(buf))) <= 0)
			break;
		t->last_byte_ms = bench_now_ms();
		vterm_input_write(t->vt, buf, (size_t)n);
	}
}

/* One step; timed says whether a named step's figures count (not in a warm-up). */
static int
run_step(struct term *t, struct step *s, int timed)
{
	double t0, done;

	if (opt.gap_ms > 0)
		bench_sleep_ms(opt.gap_ms);
	term_drain(t, 2);
	t->bytes = 0;
	t0 = bench_now_ms();
	if (send_keys(t, s->keys) != 0)
		die("bad key notation");
	if (term_wait(t, &s->want, &done) != 0) {
		fprintf(stderr, "bench_pty: keys \"%s\": the screen did not show \"%s\" in time:\n",
		    s->keys, s->want.n ? s->want.text[0] : "*");
		screen_dump(t, stderr);
		return -1;
	}
	if (s->name != NULL && timed) {
		samples_add(&s->ms, done - t0);
		samples_add(&s->bytes, (double)t->bytes);
	}
	return 0;
}

/* One "Key: N kB" line of a /proc/PID file, or -1. */
static long
proc_kib(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			kib = atol(line + klen + 1);
			break;
		}
	fclose(f);
	return kib;
}

/* RSS is the figure; beside it, PSS (shared library pages divided among the
 * processes that map them) and RssAnon (heap, stacks: this process's alone),
 * because RSS counts every page of a shared library the process touched. */
static void
memory_json(pid_t pid, const char *name)
{
	char extra[160];

	value_json(stdout, name, "KiB", (double)proc_kib(pid, "status", "VmRSS"));
	snprintf(extra, sizeof(extra), "%s_pss", name);
	value_json(stdout, extra, "KiB", (double)proc_kib(pid, "smaps_rollup", "Pss"));
	snprintf(extra, sizeof(extra), "%s_anon", name);
	value_json(stdout, extra, "KiB", (double)proc_kib(pid, "status", "RssAnon"));
}

static int
run_startup(void)
{
	struct samples ms = { 0 };
	struct term t;
	double t0, done;
	int i;

	for (i = -opt.warmup; i < opt.reps; i++) {	/* i < 0: a start whose time is not kept */
		t0 = bench_now_ms();
		term_spawn(&t, opt.argv);
		/* Typed at once, as by someone tapping while the program starts: the terminal
		 * holds them until the program reads. */
		if (opt.startup_keys != NULL && send_keys(&t, opt.startup_keys) != 0)
			die("bad key notation");
		if (term_wait(&t, &opt.ready, &done) != 0) {
			fprintf(stderr, "bench_pty: %s never showed \"%s\":\n", opt.argv[0],
			    opt.ready.n ? opt.ready.text[0] : "*");
			screen_dump(&t, stderr);
			term_close(&t);
			return 1;
		}
		if (i >= 0)
			samples_add(&ms, done - t0);
		term_close(&t);
		if (opt.gap_ms > 0)
			bench_sleep_ms(opt.gap_ms);
	}
	samples_json(stdout, opt.startup, "ms", &ms);
	samples_free(&ms);
	return 0;
}

/* The first cycle step that has the name of step i. */
static struct step *
first_named(int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (opt.cycle[i].name != NULL && opt.cycle[j].name != NULL &&
		    strcmp(opt.cycle[i].name, opt.cycle[j].name) == 0)
			return &opt.cycle[j];
	return &opt.cycle[i];
}

static int
run_session(void)
{
	struct term t;
	double done;
	int i, j, rc = 1;
	char name[160];

	term_spawn(&t, opt.argv);
	if (term_wait(&t, &opt.ready, &done) != 0) {
		fprintf(stderr, "bench_pty: %s never showed \"%s\":\n", opt.argv[0],
		    opt.ready.n ? opt.ready.text[0] : "*");
		screen_dump(&t, stderr);
		goto out;
	}
	for (i = 0; i < opt.n_setup; i++)
		if (run_step(&t, &opt.setup[i], 0) != 0)
			goto out;
	/* The first cycles of a fresh process are its first assertion, first paint of each
	 * screen...: that is the cold tap's figure, not these. */
	for (j = 0; opt.n_cycle > 0 && j < opt.warmup + opt.reps; j++)
		for (i = 0; i < opt.n_cycle; i++)
			if (run_step(&t, &opt.cycle[i], j >= opt.warmup) != 0)
				goto out;
	/* Steps of one name (Down, then Up) are one figure. */
	for (i = 0; i < opt.n_cycle; i++) {
		struct step *s = &opt.cycle[i], *first = first_named(i);
		size_t k;

		if (s->name == NULL || first == s)
			continue;
		for (k = 0; k < s->ms.n; k++) {
			samples_add(&first->ms, s->ms.v[k]);
			samples_add(&first->bytes, s->bytes.v[k]);
		}
		s->name = NULL;
	}
	for (i = 0; i < opt.n_cycle; i++) {
		if (opt.cycle[i].name == NULL)
			continue;
		samples_json(stdout, opt.cycle[i].name, "ms", &opt.cycle[i].ms);
		if (opt.report_bytes) {
			snprintf(name, sizeof(name), "%s_bytes", opt.cycle[i].name);
			samples_json(stdout, name, "bytes", &opt.cycle[i].bytes);
		}
	}
	if (opt.rss != NULL) {
		term_drain(&t, 100);
		memory_json(t.pid, opt.rss);
	}
	rc = 0;
out:
	term_close(&t);
	for (i = 0; i < opt.n_cycle; i++) {
		samples_free(&opt.cycle[i].ms);
		samples_free(&opt.cycle[i].bytes);
	}
	return rc;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bench_pty [options] -- PROGRAM ARGS...\n"
	    "  --ready WANT            what the program shows once started (default *)\n"
	    "  --startup NAME          time spawn -> ready, --reps spawns\n"
	    "  --startup-keys KEYS     with --startup: keys typed right after the spawn\n"
	    "  --step KEYS WANT        untimed setup step\n"
	    "  --cycle NAME KEYS WANT  timed step (NAME - : untimed), the cycle runs --reps times\n"
	    "  --reps N  --warmup N (untimed cycles or starts first, default 1)\n"
	    "  --gap MS  --settle MS  --bytes  --rss NAME\n"
	    "WANT: * (any output) or TEXT / ROW:TEXT items joined by &&.\n"
	    "KEYS: characters, <Down> <Up> <PgDn> <PgUp> <Home> <End> <Enter> <Esc> <C-x> <M-x>.\n"
	    "Prints one JSON line per figure.\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int i;

	opt.ready.any = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
#define NEED(k) do { if (i + (k) >= argc) usage(); } while (0)
		if (strcmp(a, "--") == 0) {
			opt.argv = argv + i + 1;
			break;
		} else if (strcmp(a, "--ready") == 0) {
			NEED(1);
			want_parse(argv[++i], &opt.ready);
		} else if (strcmp(a, "--startup") == 0) {
			NEED(1);
			opt.startup = argv[++i];
		} else if (strcmp(a, "--startup-keys") == 0) {
			NEED(1);
			opt.startup_keys = argv[++i];
		} else if (strcmp(a, "--step") == 0 || strcmp(a, "--cycle") == 0) {
			int cyc = a[2] == 'c';
			struct step *s;
			if (cyc ? opt.n_cycle == MAX_STEPS : opt.n_setup == MAX_STEPS)
				die("too many steps");
			s = cyc ? &opt.cycle[opt.n_cycle++] : &opt.setup[opt.n_setup++];
			NEED(cyc ? 3 : 2);
			if (cyc) {
				s->name = strcmp(argv[++i], "-") == 0 ? NULL : argv[i];
			}
			s->keys = argv[++i];
			want_parse(argv[++i], &s->want);
		} else if (strcmp(a, "--reps") == 0) {
			NEED(1);
			opt.reps = atoi(argv[++i]);
		} else if (strcmp(a, "--warmup") == 0) {
			NEED(1);
			opt.warmup = atoi(argv[++i]);
		} else if (strcmp(a, "--gap") == 0) {
			NEED(1);
			opt.gap_ms = atoi(argv[++i]);
		} else if (strcmp(a, "--settle") == 0) {
			NEED(1);
			opt.settle_ms = atoi(argv[++i]);
		} else if (strcmp(a, "--bytes") == 0) {
			opt.report_bytes = 1;
		} else if (strcmp(a, "--rss") == 0) {
			NEED(1);
			opt.rss = argv[++i];
		} else {
			usage();
		}
#undef NEED
	}
	if (opt.argv == NULL || opt.argv[0] == NULL || opt.reps < 1 || opt.warmup < 0)
		usage();
	signal(SIGPIPE, SIG_IGN);
	return opt.startup != NULL ? run_startup() : run_session();
}
