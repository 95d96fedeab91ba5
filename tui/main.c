/* chartgate: the clinician's and reviewer's terminal client. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/term.h"
#include "tui/theme.h"

#define CHARTGATE_VERSION "0.1.0"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: chartgate --server URL [--softkey FILE] [--workstation ID] [--theme NAME]\n"
	    "\n"
	    "  --server URL        chartgated base URL (http:// only on loopback)\n"
	    "  --softkey FILE      use the demo software authenticator in FILE\n"
	    "                      (default: attached FIDO2 security keys)\n"
	    "  --workstation ID    this cart's id (default: the host name)\n"
	    "  --theme NAME|PATH   default, high-contrast, monochrome, or a theme file\n"
	    "  --help, --version\n");
}

/* No core file may ever hold a token or a chart. */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* A theme name is looked up next to the binary (source tree or install), or taken as a path. */
static int
load_theme(const char *name, struct theme *t, char *err, size_t errlen)
{
	static const char *const dirs[] = { "/../themes/", "/../share/chartgate/themes/" };
	char exe[PATH_MAX], path[PATH_MAX + 64];
	const char *env = getenv("CHARTGATE_THEME_DIR");
	ssize_t n;
	size_t i;
	char *slash;

	if (strchr(name, '/') != NULL)
		return theme_parse_file(name, t, err, errlen);
	if (env != NULL) {
		snprintf(path, sizeof(path), "%s/%s.theme", env, name);
		if (access(path, R_OK) == 0)
			return theme_parse_file(path, t, err, errlen);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			snprintf(path, sizeof(path), "%s%s%s.theme", exe, dirs[i], name);
			if (access(path, R_OK) == 0)
				return theme_parse_file(path, t, err, errlen);
		}
	}
	if (strcmp(name, "default") == 0) {
		theme_builtin_default(t);
		return THEME_OK;
	}
	if (strcmp(name, "monochrome") == 0) {
		theme_builtin_monochrome(t);
		return THEME_OK;
	}
	snprintf(err, errlen, "no theme named \"%s\"", name);
	return THEME_ERR_IO;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "softkey", required_argument, NULL, 'k' },
		{ "workstation", required_argument, NULL, 'w' },
		{ "theme", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct app_config cfg = { 0 };
	static struct app app;
	struct theme theme;
	char host[256], err[512];
	const char *theme_name = "default";
	int c, rc;

	no_core_dumps();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': cfg.server_url = optarg; break;
		case 'k': cfg.softkey_path = optarg; break;
		case 'w': cfg.workstation = optarg; break;
		case 't': theme_name = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("chartgate %s\n", CHARTGATE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || cfg.server_url == NULL) {
		fprintf(stderr, "chartgate: %s\n", optind != argc ?
		    "unexpected argument" : "--server URL is required");
		return 2;
	}
	if (cfg.workstation == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "workstation");
		host[sizeof(host) - 1] = '\0';
		cfg.workstation = host;
	}
	if (load_theme(theme_name, &theme, err, sizeof(err)) != THEME_OK) {
		fprintf(stderr, "chartgate: theme: %s\n", err);
		return 2;
	}
	if (app_init(&app, &cfg) != 0) {
		app_fini(&app);
		return 1;
	}
	if (term_init() != 0) {
		app_fini(&app);
		return 1;
	}
	draw_set_theme(&theme);
	rc = app_run(&app);
	term_fini();
	app_fini(&app);
	return rc == 0 ? 0 : 1;
}
