/* chartgated: command line, then either the demo seed or the API server. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fido.h>

#include "backend/seed.h"
#include "backend/server.h"
#include "backend/store.h"

static const char usage[] =
    "usage: chartgated --demo-seed DIR [--rp-id ID]\n"
    "       chartgated --db FILE [--listen 127.0.0.1:PORT] [--rp-id ID]\n"
    "                  [--challenge-ttl SECONDS] [--session-idle SECONDS]\n"
    "                  [--session-max SECONDS]\n"
    "       chartgated --help | --version\n"
    "\n"
    "  --demo-seed DIR        create DIR/chartgate.db (synthetic demo world) and\n"
    "                         DIR/softkey.json (one badge per demo user, PIN 1234)\n"
    "  --db FILE              serve the API from this database\n"
    "  --listen ADDR:PORT     default 127.0.0.1:8443; plain HTTP on loopback only\n"
    "  --rp-id ID             WebAuthn relying party id (default chartgate.local)\n"
    "  --challenge-ttl S      login challenge lifetime (default 60)\n"
    "  --session-idle S       session idle timeout (default 900)\n"
    "  --session-max S        absolute session lifetime (default 43200)\n";

static int
bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "chartgated: %s%s%s (try --help)\n", msg, arg ? ": " : "", arg ? arg : "");
	return 2;
}

static int
seconds(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 1 || v > 10LL * 365 * 86400)
		return -1;
	*out = v;
	return 0;
}

int
main(int argc, char **argv)
{
	enum { O_SEED = 256, O_DB, O_LISTEN, O_RP, O_CTTL, O_IDLE, O_MAX, O_HELP, O_VERSION };
	static const struct option opts[] = {
		{ "demo-seed", required_argument, NULL, O_SEED },
		{ "db", required_argument, NULL, O_DB },
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "rp-id", required_argument, NULL, O_RP },
		{ "challenge-ttl", required_argument, NULL, O_CTTL },
		{ "session-idle", required_argument, NULL, O_IDLE },
		{ "session-max", required_argument, NULL, O_MAX },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct config cfg = {
		.db_path = NULL, .listen = "127.0.0.1:8443", .rp_id = "chartgate.local",
		.challenge_ttl = 60, .session_idle = 900, .session_max = 43200,
	};
	struct app app;
	const char *seed_dir = NULL;
	char why[256];
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_SEED: seed_dir = optarg; break;
		case O_DB: cfg.db_path = optarg; break;
		case O_LISTEN: cfg.listen = optarg; break;
		case O_RP: cfg.rp_id = optarg; break;
		case O_CTTL:
			if (seconds(optarg, &cfg.challenge_ttl) != 0)
				return bad_usage("--challenge-ttl wants a positive number of seconds", optarg);
			break;
		case O_IDLE:
			if (seconds(optarg, &cfg.session_idle) != 0)
				return bad_usage("--session-idle wants a positive number of seconds", optarg);
			break;
		case O_MAX:
			if (seconds(optarg, &cfg.session_max) != 0)
				return bad_usage("--session-max wants a positive number of seconds", optarg);
			break;
		case O_HELP:
			fputs(usage, stdout);
			return 0;
		case O_VERSION:
			printf("chartgated %s\n", CHARTGATED_VERSION);
			return 0;
		default:
			return bad_usage("unknown option or missing argument",
			    optind > 0 && optind <= argc ? argv[optind - 1] : NULL);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument", argv[optind]);
	if (cfg.rp_id[0] == '\0' || strlen(cfg.rp_id) > 253)
		return bad_usage("--rp-id must be a host name", cfg.rp_id);
	if (seed_dir != NULL) {
		if (cfg.db_path != NULL)
			return bad_usage("--demo-seed and --db do not go together", NULL);
		return seed_demo(seed_dir, cfg.rp_id);
	}
	if (cfg.db_path == NULL)
		return bad_usage("give --db FILE to serve, or --demo-seed DIR", NULL);
	if (server_check_listen(cfg.listen, why, sizeof(why)) != 0) {
		fprintf(stderr, "chartgated: %s\n", why);
		return 2;
	}
	fido_init(0);
	app.cfg = &cfg;
	if (store_open(cfg.db_path, 0, &app.store) != STORE_OK)
		return 1;
	rc = server_run(&app, cfg.listen);
	store_close(&app.store);
	return rc;
}
