/* libFuzzer harness: theme files are read from disk an operator may not control; the parser must fail cleanly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t, before;
	char err[256], *text = malloc(size + 1);
	int rc, r;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&t, 0x5a, sizeof(t));
	before = t;
	rc = theme_parse_string(text, "<fuzz>", &t, err, sizeof(err));
	/* All-or-nothing: a failed parse leaves *out alone. */
	if (rc != THEME_OK && memcmp(&t, &before, sizeof(t)) != 0)
		abort();
	if (rc == THEME_OK)
		for (r = 0; r < ROLE_COUNT; r++)
			if (t.role[r].fg < THEME_COLOR_DEFAULT || t.role[r].fg > 255 ||
			    t.role[r].bg < THEME_COLOR_DEFAULT || t.role[r].bg > 255)
				abort();
	free(text);
	return 0;
}
