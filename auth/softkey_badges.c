/* Softkey badges: listing for lock screens and the CLI, and the knobs tests and enrolment turn. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "auth/softkey_int.h"

size_t
softkey_count(const struct softkey *sk)
{
	size_t n;

	if (sk == NULL)
		return 0;
	sk_lock(sk);
	n = sk->n;
	sk_unlock(sk);
	return n;
}

static const struct sk_badge *
badge_at(const struct softkey *sk, size_t i)
{
	const struct sk_badge *b = NULL;

	if (sk == NULL)
		return NULL;
	sk_lock(sk);
	if (i < sk->n)
		b = sk->badges[i];
	sk_unlock(sk);
	return b;
}

const char *
softkey_user_id(const struct softkey *sk, size_t i)
{
	const struct sk_badge *b = badge_at(sk, i);

	return b != NULL ? b->user_id : NULL;
}

const char *
softkey_display_name(const struct softkey *sk, size_t i)
{
	const struct sk_badge *b = badge_at(sk, i);

	return b != NULL ? b->display_name : NULL;
}

const char *
softkey_roles(const struct softkey *sk, size_t i)
{
	const struct sk_badge *b = badge_at(sk, i);

	return b != NULL ? b->roles : NULL;
}

const char *
softkey_rp_id(const struct softkey *sk, size_t i)
{
	const struct sk_badge *b = badge_at(sk, i);

	return b != NULL ? b->rp_id : NULL;
}

unsigned long
softkey_sign_count(const struct softkey *sk, size_t i)
{
	const struct sk_badge *b = badge_at(sk, i);
	unsigned long c = 0;

	if (b != NULL) {
		sk_lock(sk);
		c = b->sign_count;
		sk_unlock(sk);
	}
	return c;
}

int
softkey_find_user(const struct softkey *sk, const char *user_id)
{
	size_t i;
	int found = -1;

	if (sk == NULL || user_id == NULL)
		return -1;
	sk_lock(sk);
	for (i = 0; i < sk->n && i < INT_MAX; i++)
		if (strcmp(sk->badges[i]->user_id, user_id) == 0) {
			found = (int)i;
			break;
		}
	sk_unlock(sk);
	return found;
}

int
softkey_set_enrol_roles(struct softkey *sk, const char *roles)
{
	char *r;

	if (sk == NULL)
		return SOFTKEY_E_ARG;
	if ((r = strdup(roles != NULL ? roles : "")) == NULL)
		return SOFTKEY_E_NOMEM;
	sk_lock(sk);
	free(sk->enrol_roles);
	sk->enrol_roles = r;
	sk_unlock(sk);
	return SOFTKEY_OK;
}

void
softkey_set_touch_delay(struct softkey *sk, int ms)
{
	if (sk == NULL)
		return;
	sk_lock(sk);
	sk->touch_ms = ms < 0 ? 0 : ms;
	sk_unlock(sk);
}

void
softkey_set_pin_protocols(struct softkey *sk, unsigned mask)
{
	if (sk == NULL || (mask & 3) == 0)
		return;
	sk_lock(sk);
	sk->pin_protocols = mask & 3;
	sk_unlock(sk);
}
