/* chartgated: command line, then either the demo seed or the API server. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fido.h>

#include "backend/audit.h"
#include "backend/policy.h"
#include "backend/ratelimit.h"
#include "backend/seed.h"
#include "backend/server.h"
#include "backend/store.h"
#include "common/conf.h"
#include "common/log.h"

static const char usage[] =
    "usage: chartgated --demo-seed DIR [--rp-id ID] [--review-events N]\n"
    "       chartgated --db FILE [--listen 127.0.0.1:PORT] [--rp-id ID]\n"
    "                  [--challenge-ttl SECONDS] [--session-idle SECONDS]\n"
    "                  [--session-max SECONDS] [--discharge-grace SECONDS]\n"
    "                  [--step-up-ttl SECONDS] [--break-glass-ttl SECONDS]\n"
    "                  [--challenge-rate N]\n"
    "                  [--tls-cert FILE --tls-key FILE [--client-ca FILE]]\n"
    "       chartgated --verify-audit FILE\n"
    "       chartgated --help | --version\n"
    "       any of them: [--config FILE] [--check-config] [--verbose]\n"
    "\n"
    "  --config FILE          settings file (default /etc/chartgate/chartgated.conf,\n"
    "                         see chartgate.conf(5)); options override it\n"
    "  --check-config         check settings and options, print them, exit 0 or 2\n"
    "  --verbose              log more detail (never bodies, tokens or patient data)\n"
    "  --demo-seed DIR        create DIR/chartgate.db (synthetic demo world) and\n"
    "                         DIR/softkey.json (one badge per demo user, PIN 1234)\n"
    "  --review-events N      with --demo-seed: fill the reviewers' break-glass queue\n"
    "                         up to N events (synthetic ones after the ~25 hand-made)\n"
    "  --db FILE              serve the API from this database\n"
    "  --listen ADDR:PORT     default 127.0.0.1:8443; plain HTTP on loopback only,\n"
    "                         any address with --tls-cert, --tls-key and --client-ca\n"
    "  --tls-cert FILE        serve HTTPS (TLS 1.2 or 1.3) with this certificate (PEM)...\n"
    "  --tls-key FILE         ... and its private key (PEM)\n"
    "  --client-ca FILE       require a client certificate from this CA (PEM): its CN names\n"
    "                         the workstation, its OU the unit (see docs/security.md)\n"
    "  --rp-id ID             WebAuthn relying party id (default chartgate.local)\n"
    "  --challenge-ttl S      login challenge lifetime (default 60)\n"
    "  --session-idle S       session idle timeout (default 900)\n"
    "  --session-max S        absolute session lifetime (default 43200)\n"
    "  --discharge-grace S    care-team access after discharge (default 86400)\n"
    "  --step-up-ttl S        a step-up opens one patient's sensitive sections (default 300)\n"
    "  --break-glass-ttl S    break-glass grant lifetime (default 1800)\n"
    "  --challenge-rate N     challenges per workstation per minute (default 30, 0: no limit)\n"
    "  --verify-audit FILE    check the audit hash chain of FILE (read-only); exit 1 if broken\n";

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

/* chartgated.conf (chartgate.conf(5)): the file sets what the flags of the same name set; flags win. */
enum { O_CONFIG = 512, O_CHECK_CONFIG, O_VERBOSE };
enum {
	S_DB, S_LISTEN, S_RP_ID, S_TLS_CERT, S_TLS_KEY, S_CLIENT_CA,
	S_SESSION_IDLE, S_SESSION_MAX, S_CHALLENGE_TTL, S_DISCHARGE_GRACE, S_STEP_UP_TTL,
	S_BREAK_GLASS_TTL, S_LOG, S_COUNT
};
#define S_SECONDS(n) { .name = n, .type = CONF_SECONDS, .min = 1, .max = 10LL * 365 * 86400 }
static const struct conf_key server_keys[S_COUNT] = {
	[S_DB] = { .name = "db", .type = CONF_PATH },
	[S_LISTEN] = { .name = "listen", .type = CONF_STRING },
	[S_RP_ID] = { .name = "rp_id", .type = CONF_STRING },
	[S_TLS_CERT] = { .name = "tls_cert", .type = CONF_PATH },
	[S_TLS_KEY] = { .name = "tls_key", .type = CONF_PATH },
	[S_CLIENT_CA] = { .name = "client_ca", .type = CONF_PATH },
	[S_SESSION_IDLE] = S_SECONDS("session_idle"),
	[S_SESSION_MAX] = S_SECONDS("session_max"),
	[S_CHALLENGE_TTL] = S_SECONDS("challenge_ttl"),
	[S_DISCHARGE_GRACE] = S_SECONDS("discharge_grace"),
	[S_STEP_UP_TTL] = S_SECONDS("step_up_ttl"),
	[S_BREAK_GLASS_TTL] = S_SECONDS("break_glass_ttl"),
	[S_LOG] = { .name = "log", .type = CONF_ENUM, .choices = log_target_names },
};

static int
bad_config(const struct conf *conf, size_t key, const char *what)
{
	char where[CONF_NAME_MAX + 16];

	if (what == NULL)
		fprintf(stderr, "chartgated: %s\n", conf_error(conf));
	else
		fprintf(stderr, "chartgated: %s: %s: %s\n", conf_where(conf, key, where, sizeof(where)),
		    server_keys[key].name, what);
	return 2;
}

/* A first pass over argv for --config, --check-config and --verbose, then the
 * file onto cfg, so that the ordinary option loop afterwards overrides it.
 * Returns 0 or the exit status. */
static int
load_config(int argc, char **argv, const struct option *opts, struct config *cfg,
    struct conf *conf, int *check, int *verbose)
{
	const char *path = NULL, *sys = getenv("CHARTGATE_SYSCONFDIR");
	char def[CONF_NAME_MAX], why[256];
	int c, idx, own_db = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, &idx)) != -1) {
		if (c == O_CONFIG)
			path = optarg;
		else if (c == O_CHECK_CONFIG)
			*check = 1;
		else if (c == O_VERBOSE)
			*verbose = 1;
		/* These modes name their own database: the served one stays out of it. */
		else if (c != '?' && (strcmp(opts[idx].name, "demo-seed") == 0 ||
		    strcmp(opts[idx].name, "verify-audit") == 0))
			own_db = 1;
	}
	optind = 0;	/* glibc: start the next getopt_long from scratch */
	snprintf(def, sizeof(def), "%s/chartgated.conf", sys != NULL && *sys ? sys : "/etc/chartgate");
	if (conf_init(conf, server_keys, S_COUNT) != CONF_OK ||
	    conf_load_file(conf, path != NULL ? path : def, path != NULL) != CONF_OK)
		return bad_config(conf, 0, NULL);
	cfg->tls_cert = conf_str(conf, S_TLS_CERT, cfg->tls_cert);
	cfg->tls_key = conf_str(conf, S_TLS_KEY, cfg->tls_key);
	cfg->client_ca = conf_str(conf, S_CLIENT_CA, cfg->client_ca);
	cfg->listen = conf_str(conf, S_LISTEN, cfg->listen);
	/* The file's listen against the file's own TLS keys, so the line can be named. */
	if (conf_is_set(conf, S_LISTEN) && server_check_config(cfg, why, sizeof(why)) != 0)
		return bad_config(conf, S_LISTEN, why);
	if (strlen(conf_str(conf, S_RP_ID, "")) > 253)
		return bad_config(conf, S_RP_ID, "must be a host name");
	if (!own_db)
		cfg->db_path = conf_str(conf, S_DB, cfg->db_path);
	cfg->rp_id = conf_str(conf, S_RP_ID, cfg->rp_id);
	cfg->session_idle = conf_num(conf, S_SESSION_IDLE, cfg->session_idle);
	cfg->session_max = conf_num(conf, S_SESSION_MAX, cfg->session_max);
	cfg->challenge_ttl = conf_num(conf, S_CHALLENGE_TTL, cfg->challenge_ttl);
	cfg->discharge_grace = conf_num(conf, S_DISCHARGE_GRACE, cfg->discharge_grace);
	cfg->step_up_ttl = conf_num(conf, S_STEP_UP_TTL, cfg->step_up_ttl);
	cfg->break_glass_ttl = conf_num(conf, S_BREAK_GLASS_TTL, cfg->break_glass_ttl);
	return 0;
}

int
main(int argc, char **argv)
{
	enum { O_SEED = 256, O_DB, O_LISTEN, O_RP, O_CTTL, O_IDLE, O_MAX, O_HELP, O_VERSION, O_VERIFY,
		O_GRACE, O_STEPUP, O_BTG, O_TLS_CERT, O_TLS_KEY, O_CLIENT_CA, O_CRATE, O_REVIEW_EVENTS };
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
		{ "verify-audit", required_argument, NULL, O_VERIFY },
		{ "discharge-grace", required_argument, NULL, O_GRACE },
		{ "step-up-ttl", required_argument, NULL, O_STEPUP },
		{ "break-glass-ttl", required_argument, NULL, O_BTG },
		{ "tls-cert", required_argument, NULL, O_TLS_CERT },
		{ "tls-key", required_argument, NULL, O_TLS_KEY },
		{ "client-ca", required_argument, NULL, O_CLIENT_CA },
		{ "challenge-rate", required_argument, NULL, O_CRATE },
		{ "review-events", required_argument, NULL, O_REVIEW_EVENTS },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "check-config", no_argument, NULL, O_CHECK_CONFIG },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ NULL, 0, NULL, 0 },
	};
	struct config cfg = {
		.db_path = NULL, .listen = "127.0.0.1:8443", .rp_id = "chartgate.local",
		.challenge_ttl = 60, .session_idle = 900, .session_max = 43200,
		.discharge_grace = 86400, .step_up_ttl = 300, .break_glass_ttl = 1800,
		.challenge_rate = RATE_CHALLENGES,
	};
	struct policy policy;
	struct app app;
	const char *seed_dir = NULL, *verify_path = NULL;
	long review_events = SEED_REVIEW_DEFAULT;
	char why[256];
	int c, rc;
	static struct conf conf;
	int check = 0, verbose = 0;

	if ((rc = load_config(argc, argv, opts, &cfg, &conf, &check, &verbose)) != 0)
		return rc;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_SEED: seed_dir = optarg; break;
		case O_CONFIG: case O_CHECK_CONFIG: case O_VERBOSE: break;	/* load_config read them */
		case O_VERIFY: verify_path = optarg; break;
		case O_DB: cfg.db_path = optarg; break;
		case O_LISTEN: cfg.listen = optarg; break;
		case O_TLS_CERT: cfg.tls_cert = optarg; break;
		case O_TLS_KEY: cfg.tls_key = optarg; break;
		case O_CLIENT_CA: cfg.client_ca = optarg; break;
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
		case O_GRACE:
			if (seconds(optarg, &cfg.discharge_grace) != 0)
				return bad_usage("--discharge-grace wants a positive number of seconds", optarg);
			break;
		case O_STEPUP:
			if (seconds(optarg, &cfg.step_up_ttl) != 0)
				return bad_usage("--step-up-ttl wants a positive number of seconds", optarg);
			break;
		case O_BTG:
			if (seconds(optarg, &cfg.break_glass_ttl) != 0)
				return bad_usage("--break-glass-ttl wants a positive number of seconds", optarg);
			break;
		case O_CRATE:
			if (strcmp(optarg, "0") == 0)
				cfg.challenge_rate = 0;
			else if (seconds(optarg, &cfg.challenge_rate) != 0 || cfg.challenge_rate > 1000000)
				return bad_usage("--challenge-rate wants a number of challenges a minute (0: no limit)", optarg);
			break;
		case O_REVIEW_EVENTS: {
			char *end;

			review_events = strtol(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' || review_events > 10000000)
				return bad_usage("--review-events wants a number of break-glass events", optarg);
			break;
		}
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
	if (verify_path != NULL)
		return seed_dir || cfg.db_path ? bad_usage("--verify-audit goes alone", NULL)
		    : audit_verify_file(verify_path);
	if (seed_dir != NULL) {
		if (cfg.db_path != NULL)
			return bad_usage("--demo-seed and --db do not go together", NULL);
		return seed_demo(seed_dir, cfg.rp_id, review_events);
	}
	if (cfg.db_path == NULL)
		return bad_usage("give --db FILE to serve, or --demo-seed DIR", NULL);
	if (server_check_config(&cfg, why, sizeof(why)) != 0) {
		fprintf(stderr, "chartgated: %s\n", why);
		return 2;
	}
	if (check) {
		struct tls_files tls;

		conf_dump(&conf, stdout);
		if (cfg.tls_cert != NULL) {
			if (tls_files_load(&tls, cfg.tls_cert, cfg.tls_key, cfg.client_ca, why,
			    sizeof(why)) != 0) {
				fprintf(stderr, "chartgated: %s\n", why);
				return 2;
			}
			tls_files_free(&tls);
		}
		printf("chartgated: configuration OK: would serve %s on %s%s\n", cfg.db_path,
		    cfg.listen, cfg.client_ca != NULL ? " (https, client certificates required)" :
		    cfg.tls_cert != NULL ? " (https)" : "");
		return 0;
	}
	log_open("chartgated", (enum log_target)conf_num(&conf, S_LOG, LOG_TARGET_STDERR), verbose);
	fido_init(0);
	app.cfg = &cfg;
	if (store_open(cfg.db_path, 0, &app.store) != STORE_OK)
		return 1;
	if (policy_load(app.store, &policy, why, sizeof(why)) != 0) {
		fprintf(stderr, "chartgated: %s\n", why);
		store_close(&app.store);
		return 1;
	}
	app.policy = &policy;
	fprintf(stderr, "chartgated: %zu policy rules loaded\n", policy.n);
	rc = server_run(&app, cfg.listen);
	policy_free(&policy);
	store_close(&app.store);
	return rc;
}
