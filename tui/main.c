/* chartgate: the clinician's and reviewer's terminal client. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/conf.h"
#include "common/log.h"
#include "common/version.h"
#include "auth/crypto_dl.h"
#include "net/curl_dl.h"
#include "net/wipe_alloc.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/term.h"
#include "tui/theme.h"

#define EXIT_USAGE 2

/* The keys of chartgate.conf(5), in table order. */
enum {
	K_SERVER, K_WORKSTATION, K_CA, K_CERT, K_KEY, K_IDLE_LOCK, K_THEME, K_SOFTKEY, K_LOG,
	K_COUNT
};

static const char *const theme_names[] = { "default", "high-contrast", "monochrome", NULL };

static const struct conf_key client_keys[K_COUNT] = {
	[K_SERVER] = { .name = "server", .type = CONF_URL },
	[K_WORKSTATION] = { .name = "workstation", .type = CONF_STRING },
	[K_CA] = { .name = "ca", .type = CONF_PATH },
	[K_CERT] = { .name = "cert", .type = CONF_PATH },
	[K_KEY] = { .name = "key", .type = CONF_PATH },
	[K_IDLE_LOCK] = { .name = "idle_lock", .type = CONF_SECONDS, .min = 10, .max = 86400 },
	[K_THEME] = { .name = "theme", .type = CONF_ENUM, .choices = theme_names, .path_ok = 1 },
	[K_SOFTKEY] = { .name = "softkey", .type = CONF_PATH },
	[K_LOG] = { .name = "log", .type = CONF_ENUM, .choices = log_target_names },
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: chartgate [--server URL] [--softkey FILE] [--workstation ID] [--theme NAME]\n"
	    "                 [--idle-lock SECONDS] [--ca FILE] [--cert FILE --key FILE]\n"
	    "                 [--config FILE] [--check-config] [--verbose]\n"
	    "\n"
	    "  --server URL          chartgated base URL (http:// only on loopback)\n"
	    "  --softkey FILE        use the demo software authenticator in FILE\n"
	    "                        (default: attached FIDO2 security keys)\n"
	    "  --workstation ID      this cart's id (default: the host name)\n"
	    "  --theme NAME|PATH     default, high-contrast, monochrome, or a theme file\n"
	    "  --idle-lock SECONDS   lock after this long without a key (10..86400, default 120)\n"
	    "  --ca FILE             https: the site CA that signed chartgated's certificate\n"
	    "                        (PEM; default: the system's CAs)\n"
	    "  --cert FILE           https: this workstation's client certificate (PEM)\n"
	    "  --key FILE            ... and its private key (PEM)\n"
	    "  --config FILE         read FILE instead of /etc/chartgate/chartgate.conf and\n"
	    "                        ~/.config/chartgate/chartgate.conf\n"
	    "  --check-config        check the configuration, print it and exit (0 good, 2 bad)\n"
	    "  --verbose             log debugging detail too\n"
	    "  --help, --version\n"
	    "\n"
	    "Settings: chartgate.conf(5). Flags override files; the user's file overrides /etc.\n");
}

static void
version(void)
{
	printf("chartgate %s\n"
	    "There is NO WARRANTY, to the extent permitted by law. Demo authenticators are not real credentials.\n",
	    CHARTGATE_VERSION);
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

/* One line on stderr, exit status 2: what every configuration mistake gets. */
static int
bad_config(const char *what)
{
	fprintf(stderr, "chartgate: %s\n", what);
	return EXIT_USAGE;
}

/* /etc (or $CHARTGATE_SYSCONFDIR, for tests), then the user's XDG file; or only --config. */
static int
load_files(struct conf *c, const char *config_path)
{
	char path[CONF_NAME_MAX];
	const char *sys = getenv("CHARTGATE_SYSCONFDIR");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int rc;

	if (config_path != NULL)
		return conf_load_file(c, config_path, 1);
	snprintf(path, sizeof(path), "%s/chartgate.conf", sys != NULL && *sys ? sys : "/etc/chartgate");
	if ((rc = conf_load_file(c, path, 0)) != CONF_OK)
		return rc;
	/* The XDG spec says a relative $XDG_CONFIG_HOME is to be ignored. */
	if (xdg != NULL && xdg[0] == '/')
		snprintf(path, sizeof(path), "%s/chartgate/chartgate.conf", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(path, sizeof(path), "%s/.config/chartgate/chartgate.conf", home);
	else
		return CONF_OK;
	return conf_load_file(c, path, 0);
}

/* Files named in the configuration must be readable now, not at the first tap. */
static int
check_paths(const struct conf *c, char *err, size_t errlen)
{
	char where[CONF_NAME_MAX + 16];
	size_t k;

	for (k = 0; k < K_COUNT; k++) {
		if (client_keys[k].type != CONF_PATH || !conf_is_set(c, k))
			continue;
		if (access(conf_str(c, k, NULL), R_OK) != 0) {
			snprintf(err, errlen, "%s: %s: cannot read %s: %s",
			    conf_where(c, k, where, sizeof(where)), client_keys[k].name,
			    conf_str(c, k, NULL), strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Everything the lock screen does not need, once it shows: libfido2 and
 * libcrypto, libcurl and the 25 libraries it brings, OpenSSL's configuration
 * and init (curl_global_init), the network client. A first tap needs a human,
 * so none of this is waited for. */
static int
start_network(struct app *app, char *err, size_t errlen)
{
	if (crypto_dl_load() != 0) {
		snprintf(err, errlen, "cannot load the authenticator libraries: %s", crypto_dl_error());
		return -1;
	}
	/* Nothing has called into libcrypto yet, so it takes the wiping allocator;
	 * if it refuses, something did, and freed memory could keep key material. */
	if (net_wipe_alloc_install_openssl() != 0) {
		snprintf(err, errlen, "libcrypto was used before its wiping allocator was installed");
		return -1;
	}
	if (curl_dl_load() != 0) {
		snprintf(err, errlen, "cannot load libcurl: %s", curl_dl_error());
		return -1;
	}
	/* Before app_start's first curl_global_init: the first one sets the functions. */
	net_wipe_alloc_install_curl();
	return app_start(app, err, errlen);
}

int
main(int argc, char **argv)
{
	enum { O_CONFIG = 256, O_CHECK, O_VERBOSE, O_HELP, O_VERSION };
	/* Options that set a key carry its index; val = 1000 + key. */
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 1000 + K_SERVER },
		{ "softkey", required_argument, NULL, 1000 + K_SOFTKEY },
		{ "workstation", required_argument, NULL, 1000 + K_WORKSTATION },
		{ "theme", required_argument, NULL, 1000 + K_THEME },
		{ "idle-lock", required_argument, NULL, 1000 + K_IDLE_LOCK },
		{ "ca", required_argument, NULL, 1000 + K_CA },
		{ "cert", required_argument, NULL, 1000 + K_CERT },
		{ "key", required_argument, NULL, 1000 + K_KEY },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "check-config", no_argument, NULL, O_CHECK },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	static struct conf conf;
	static struct app app;
	const char *flag_value[K_COUNT] = { 0 }, *flag_name[K_COUNT] = { 0 };
	const char *config_path = NULL;
	struct app_config cfg = { 0 };
	struct theme theme;
	char host[256], why[256], err[CONF_ERR_MAX + 64], where[CONF_NAME_MAX + 16], flag[32];
	int c, rc, check = 0, verbose = 0, idx;
	size_t k;

	/* One malloc arena: each tap's worker thread otherwise got an arena of its
	 * own (~100-200 KiB resident apiece, kept) for a few small allocations. */
	mallopt(M_ARENA_MAX, 1);
	/* Before anything allocates through jansson (OpenSSL's and libcurl's
	 * hooks go in as they are loaded, in start_network). */
	net_wipe_alloc_install_jansson();
	no_core_dumps();
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, &idx)) != -1) {
		switch (c) {
		case O_CONFIG: config_path = optarg; break;
		case O_CHECK: check = 1; break;
		case O_VERBOSE: verbose = 1; break;
		case O_HELP: usage(stdout); return 0;
		case O_VERSION: version(); return 0;
		default:
			if (c < 1000 || c >= 1000 + K_COUNT) {
				snprintf(err, sizeof(err), "unknown option or missing argument: %s (try --help)",
				    argv[optind - 1]);
				return bad_config(err);
			}
			flag_value[c - 1000] = optarg;
			flag_name[c - 1000] = opts[idx].name;
		}
	}
	if (optind != argc) {
		snprintf(err, sizeof(err), "unexpected argument: %s (try --help)", argv[optind]);
		return bad_config(err);
	}

	if (conf_init(&conf, client_keys, K_COUNT) != CONF_OK ||
	    load_files(&conf, config_path) != CONF_OK)
		return bad_config(conf_error(&conf));
	for (k = 0; k < K_COUNT; k++) {
		if (flag_value[k] == NULL)
			continue;
		snprintf(flag, sizeof(flag), "--%s", flag_name[k]);
		if (conf_set(&conf, k, flag_value[k], flag) != CONF_OK)
			return bad_config(conf_error(&conf));
	}
	if (!conf_is_set(&conf, K_SERVER))
		return bad_config("no server: give --server URL or set server in chartgate.conf");
	if (check_paths(&conf, err, sizeof(err)) != 0)
		return bad_config(err);
	if (conf_is_set(&conf, K_CERT) != conf_is_set(&conf, K_KEY))
		return bad_config("cert and key go together: give both --cert FILE and --key FILE");
	cfg.theme_path = conf_str(&conf, K_THEME, "default");
	if (load_theme(cfg.theme_path, &theme, why, sizeof(why)) != THEME_OK) {
		snprintf(err, sizeof(err), "%s: theme: %s",
		    conf_where(&conf, K_THEME, where, sizeof(where)), why);
		return bad_config(err);
	}
	if (check) {
		conf_dump(&conf, stdout);
		printf("chartgate: configuration OK\n");
		return 0;
	}

	cfg.server_url = conf_str(&conf, K_SERVER, NULL);
	cfg.softkey_path = conf_str(&conf, K_SOFTKEY, NULL);
	cfg.tls_ca = conf_str(&conf, K_CA, NULL);
	cfg.tls_cert = conf_str(&conf, K_CERT, NULL);
	cfg.tls_key = conf_str(&conf, K_KEY, NULL);
	cfg.idle_lock_s = (int)conf_num(&conf, K_IDLE_LOCK, APP_IDLE_LOCK_DEFAULT_S);
	cfg.workstation = conf_str(&conf, K_WORKSTATION, NULL);
	if (cfg.workstation == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "workstation");
		host[sizeof(host) - 1] = '\0';
		cfg.workstation = host;
	}
	/* A terminal client logs to syslog by default: stderr is the screen. */
	log_open("chartgate", (enum log_target)conf_num(&conf, K_LOG, LOG_TARGET_SYSLOG), verbose);
	log_event(LOG_LEVEL_NOTICE, "start: version %s, workstation %s, server %s, %s authenticator",
	    CHARTGATE_VERSION, cfg.workstation, cfg.server_url,
	    cfg.softkey_path != NULL ? "software (demo)" : "hardware");
	if (app_init(&app, &cfg) != 0) {
		log_event(LOG_LEVEL_ERROR, "could not start (see stderr)");
		app_fini(&app);
		return 1;
	}
	if (term_init() != 0) {
		log_event(LOG_LEVEL_ERROR, "no usable terminal");
		app_fini(&app);
		return 1;
	}
	draw_set_theme(&theme);
	app_paint(&app);
	if (start_network(&app, err, sizeof(err)) != 0) {
		term_fini();
		fprintf(stderr, "chartgate: %s\n", err);
		log_event(LOG_LEVEL_ERROR, "could not start: %s", err);
		app_fini(&app);
		return 1;
	}
	rc = app_run(&app);
	term_fini();
	app_fini(&app);
	log_event(LOG_LEVEL_NOTICE, "quit: status %d", rc == 0 ? 0 : 1);
	log_close();
	return rc == 0 ? 0 : 1;
}
