/* Token buckets keyed by strings in a fixed open-addressed table, and the request-side limits built on them. */
#include "backend/ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/access.h"
#include "backend/util.h"

#define KEY_MAX 80
#define PROBES 32

struct slot {
	char key[KEY_MAX];	/* "" = free */
	double tokens;
	int64_t at_ms;		/* when tokens was last brought up to date */
};

struct rate_limit {
	pthread_mutex_t mu;
	double burst, per_ms;	/* refill: tokens per millisecond */
	struct slot slots[RATE_KEYS];
};

struct rate_limit *
rate_new(unsigned burst, unsigned window)
{
	struct rate_limit *rl;

	if (burst == 0 || window == 0 || (rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	pthread_mutex_init(&rl->mu, NULL);
	rl->burst = burst;
	rl->per_ms = (double)burst / (1000.0 * window);
	return rl;
}

void
rate_free(struct rate_limit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

static void
refill(const struct rate_limit *rl, struct slot *s, int64_t now_ms)
{
	if (now_ms > s->at_ms) {
		s->tokens += (double)(now_ms - s->at_ms) * rl->per_ms;
		if (s->tokens > rl->burst)
			s->tokens = rl->burst;
		s->at_ms = now_ms;
	}
}

static uint32_t
fnv1a(const char *k)
{
	uint32_t h = 2166136261u;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

/* The key's slot; with make, claim a free one, else a refilled one, else the fullest. NULL: absent. */
static struct slot *
find(struct rate_limit *rl, const char *key, int64_t now_ms, int make)
{
	uint32_t h = fnv1a(key);
	struct slot *s, *spare = NULL;
	double score, best = -1.0;
	size_t i;

	for (i = 0; i < PROBES; i++) {
		s = &rl->slots[(h + i) % RATE_KEYS];
		if (s->key[0] != '\0') {
			refill(rl, s, now_ms);
			if (strcmp(s->key, key) == 0)
				return s;
		}
		score = s->key[0] == '\0' ? rl->burst + 1.0 : s->tokens;
		if (score > best) {
			best = score;
			spare = s;
		}
	}
	if (!make)
		return NULL;
	snprintf(spare->key, KEY_MAX, "%s", key);
	spare->tokens = rl->burst;
	spare->at_ms = now_ms;
	return spare;
}

static int
blocked_locked(struct rate_limit *rl, const char *key, int64_t now_ms, unsigned *retry_s)
{
	struct slot *s = find(rl, key, now_ms, 0);
	double wait_ms;

	if (s == NULL || s->tokens >= 1.0)
		return 0;
	wait_ms = (1.0 - s->tokens) / rl->per_ms;
	*retry_s = (unsigned)(wait_ms / 1000.0) + 1;
	return 1;
}

static void
spend_locked(struct rate_limit *rl, const char *key, int64_t now_ms)
{
	struct slot *s = find(rl, key, now_ms, 1);

	if (s != NULL)
		s->tokens = s->tokens >= 1.0 ? s->tokens - 1.0 : 0.0;
}

int
rate_blocked(struct rate_limit *rl, const char *key, int64_t now_ms, unsigned *retry_s)
{
	int b;

	pthread_mutex_lock(&rl->mu);
	b = blocked_locked(rl, key, now_ms, retry_s);
	pthread_mutex_unlock(&rl->mu);
	return b;
}

void
rate_spend(struct rate_limit *rl, const char *key, int64_t now_ms)
{
	pthread_mutex_lock(&rl->mu);
	spend_locked(rl, key, now_ms);
	pthread_mutex_unlock(&rl->mu);
}

int
rate_take(struct rate_limit *rl, const char *key, int64_t now_ms, unsigned *retry_s)
{
	int b;

	pthread_mutex_lock(&rl->mu);
	if ((b = blocked_locked(rl, key, now_ms, retry_s)) == 0)
		spend_locked(rl, key, now_ms);
	pthread_mutex_unlock(&rl->mu);
	return b;
}

/* ---- the request side: one limiter per limit, per process ---- */

static struct rate_limit *challenges, *step_ups;
static pthread_mutex_t init_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned challenge_burst;
static int inited;

/* The first request sets the limiters up; --challenge-rate 0 turns that one off. */
static void
limits(const struct req *r)
{
	pthread_mutex_lock(&init_mu);
	if (!inited) {
		challenge_burst = (unsigned)r->app->cfg->challenge_rate;
		challenges = challenge_burst ? rate_new(challenge_burst, RATE_CHALLENGE_WINDOW) : NULL;
		step_ups = rate_new(RATE_STEP_UP_FAILURES, RATE_STEP_UP_WINDOW);
		inited = 1;
	}
	pthread_mutex_unlock(&init_mu);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
too_many(struct req *r, unsigned retry_s, const char *message)
{
	r->retry_after = retry_s;
	reply_error(r, 429, "too_many_requests", message);
}

int
ratelimit_challenge(struct req *r)
{
	const char *ws = req_workstation(r);	/* the certificate's CN under mTLS */
	char key[KEY_MAX], unit[STORE_ID_MAX];
	unsigned retry = 0;

	limits(r);
	if (challenges == NULL)
		return 0;
	/* Made-up ids must not each get a bucket of their own. */
	if (ws == NULL)
		snprintf(key, sizeof(key), "(none)");
	else if (strlen(ws) < STORE_ID_MAX && store_workstation_unit(r->app->store, ws, unit) == STORE_OK)
		snprintf(key, sizeof(key), "ws:%s", ws);
	else
		snprintf(key, sizeof(key), "(unknown)");
	if (!rate_take(challenges, key, now_ms(), &retry))
		return 0;
	fprintf(stderr, "chartgated: %s: challenge refused: more than %u a minute from %s\n",
	    r->request_id, challenge_burst, key);
	too_many(r, retry, "too many challenges from this workstation; wait and tap again");
	return 1;
}

/* "s:<session>" and "c:<credential>" (when the body names one). */
static void
step_up_keys(const struct req *r, char skey[KEY_MAX], char ckey[KEY_MAX])
{
	const char *cid = json_string_value(json_object_get(r->body, "credential_id"));

	snprintf(skey, KEY_MAX, "s:%s", r->session.id);
	ckey[0] = '\0';
	if (cid != NULL && cid[0] != '\0' && strlen(cid) < KEY_MAX - 3)
		snprintf(ckey, KEY_MAX, "c:%s", cid);
}

int
ratelimit_step_up_blocked(struct req *r, const char *kind, const char *pid, const char *purpose)
{
	char skey[KEY_MAX], ckey[KEY_MAX];
	unsigned retry = 0;
	int64_t t = now_ms();

	limits(r);
	if (step_ups == NULL)
		return 0;
	step_up_keys(r, skey, ckey);
	if (!rate_blocked(step_ups, skey, t, &retry) &&
	    (ckey[0] == '\0' || !rate_blocked(step_ups, ckey, t, &retry)))
		return 0;
	fprintf(stderr, "chartgated: %s: %s refused for %s: too_many_failures\n", r->request_id,
	    kind, r->user.id);
	access_audit(r, &(struct audit_note){ .kind = kind, .patient_id = pid, .purpose = purpose,
	    .decision = "deny", .rule = "too_many_failures" });
	too_many(r, retry, "too many failed confirmations; wait before trying again");
	return 1;
}

void
ratelimit_step_up_failed(struct req *r)
{
	char skey[KEY_MAX], ckey[KEY_MAX];
	int64_t t = now_ms();

	limits(r);
	if (step_ups == NULL)
		return;
	step_up_keys(r, skey, ckey);
	rate_spend(step_ups, skey, t);
	if (ckey[0] != '\0')
		rate_spend(step_ups, ckey, t);
}
