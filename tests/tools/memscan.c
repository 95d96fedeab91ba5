/* memscan: search a live process's memory (/proc/PID/maps + mem) for a string, or list the 43-character base64url runs (session token candidates). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOKEN_LEN 43	/* base64url of 32 bytes, unpadded */
#define CHUNK (1 << 20)
/* Sanitizer shadow: terabytes of reserved anonymous memory that holds no program data. */
#define HUGE_REGION (64UL << 30)

static int
b64url(int ch)
{
	return isalnum(ch) || ch == '-' || ch == '_';
}

/* Print each maximal base64url run of exactly TOKEN_LEN in buf[0..n) (ASCII-bounded). */
static void
tokens(const unsigned char *buf, size_t n)
{
	size_t i = 0, start;

	while (i < n) {
		if (!b64url(buf[i])) {
			i++;
			continue;
		}
		for (start = i; i < n && b64url(buf[i]); i++)
			;
		if (i - start == TOKEN_LEN)
			printf("%.*s\n", TOKEN_LEN, (const char *)buf + start);
	}
}

static size_t
count(const unsigned char *buf, size_t n, const char *needle)
{
	size_t k = strlen(needle), hits = 0;
	const unsigned char *p = buf, *end = buf + n;

	while (k > 0 && (size_t)(end - p) >= k && (p = memmem(p, (size_t)(end - p), needle, k)) != NULL) {
		hits++;
		p++;
	}
	return hits;
}

int
main(int argc, char **argv)
{
	char path[64], line[512];
	FILE *maps;
	int fd, list;
	unsigned char *buf;
	size_t hits = 0, regions = 0;

	if (argc != 3 || argv[2][0] == '\0' || strlen(argv[2]) > 64) {
		fputs("usage: memscan PID --tokens | memscan PID STRING (1-64 bytes)\n", stderr);
		return 2;
	}
	list = strcmp(argv[2], "--tokens") == 0;
	snprintf(path, sizeof(path), "/proc/%s/maps", argv[1]);
	if ((maps = fopen(path, "r")) == NULL) {
		fprintf(stderr, "memscan: %s: %s\n", path, strerror(errno));
		return 2;
	}
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	if ((fd = open(path, O_RDONLY)) < 0 || (buf = malloc(CHUNK + 64)) == NULL) {
		fprintf(stderr, "memscan: %s: %s\n", path, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), maps) != NULL) {
		unsigned long lo, hi, at;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
		    strstr(line, "[vvar]") != NULL || strstr(line, "[vsyscall]") != NULL)
			continue;
		if (hi - lo >= HUGE_REGION) {
			fprintf(stderr, "memscan: skipping %lu GiB at %lx (sanitizer shadow)\n",
			    (hi - lo) >> 30, lo);
			continue;
		}
		regions++;
		/* Chunks overlap by 63 bytes so that a match across a boundary is seen once. */
		for (at = lo; at < hi; at += CHUNK) {
			size_t want = hi - at > CHUNK + 63 ? CHUNK + 63 : hi - at;
			ssize_t got = pread(fd, buf, want, (off_t)at);

			if (got <= 0)
				break;
			if (list)	/* a run in the overlap prints twice: callers sort -u */
				tokens(buf, (size_t)got);
			else
				hits += count(buf, (size_t)got > CHUNK ? CHUNK + strlen(argv[2]) - 1 : (size_t)got,
				    argv[2]);
		}
	}
	fclose(maps);
	close(fd);
	free(buf);
	if (regions == 0) {
		fprintf(stderr, "memscan: no readable region of %s\n", argv[1]);
		return 2;
	}
	if (!list)
		printf("%zu\n", hits);
	return 0;
}
