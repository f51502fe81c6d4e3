/*
 * standalone.c — replay a fuzz corpus without libFuzzer (libgit2's
 * tests/fuzz/standalone_driver.c): `fuzz_X DIR` feeds every regular file of
 * DIR, in sorted name order, to LLVMFuzzerTestOneInput once, prints how
 * many it ran and exits 0.  A target that crashes, aborts or trips a
 * sanitizer ends the process with that failure instead; the file is named
 * on stderr when the crash is a signal this driver sees (abort, and SEGV
 * etc. when no sanitizer owns them), or always with FUZZ_VERBOSE=1, which
 * names each file before it runs.  Linked with each tests/fuzz/fuzz_X.c by
 * the Makefile (build/fuzz-replay/fuzz_X, `make fuzz-replay`).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#if defined(__SANITIZE_ADDRESS__)
#define OWN_SEGV 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OWN_SEGV 0
#endif
#endif
#ifndef OWN_SEGV
#define OWN_SEGV 1
#endif

static char current[4096]; /* file being run, for the crash handler */

static void on_crash(int sig)
{
	static const char pre[] = "fuzz replay: crashed on ";
	size_t len = strlen(current);

	if (write(2, pre, sizeof(pre) - 1) < 0 || write(2, current, len) < 0 || write(2, "\n", 1) < 0) {
		/* nothing more can be done in a signal handler */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_crashes(void)
{
	static const int sigs[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;

		if (sigs[i] != SIGABRT && !OWN_SEGV)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_crash;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_file(const char *path, uint8_t **out, size_t *out_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0;

	if (!f)
		return -1;
	for (;;) {
		size_t got;

		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 65536;
			if (!(nb = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*out = buf;
	*out_len = len;
	return 0;
}

int main(int argc, char **argv)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i, ran = 0;
	struct dirent *e;
	DIR *d;
	int verbose;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
		return 64;
	}
	verbose = getenv("FUZZ_VERBOSE") && strcmp(getenv("FUZZ_VERBOSE"), "0") != 0;
	catch_crashes();
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (!(d = opendir(argv[1]))) {
		fprintf(stderr, "%s: cannot open %s: %s\n", argv[0], argv[1], strerror(errno));
		return 66;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			if (!(nn = realloc(names, cap * sizeof(*names)))) {
				fprintf(stderr, "%s: out of memory\n", argv[0]);
				return 70;
			}
			names = nn;
		}
		if (!(names[n] = malloc(len + 1))) {
			fprintf(stderr, "%s: out of memory\n", argv[0]);
			return 70;
		}
		memcpy(names[n], e->d_name, len + 1);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);

	for (i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		uint8_t *data = NULL;
		size_t size = 0;

		if (snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]) >= (int)sizeof(path)) {
			fprintf(stderr, "%s: path too long: %s\n", argv[0], names[i]);
			return 70;
		}
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(names[i]);
			continue;
		}
		if (read_file(path, &data, &size) != 0) {
			fprintf(stderr, "%s: cannot read %s: %s\n", argv[0], path, strerror(errno));
			return 74;
		}
		memcpy(current, path, strlen(path) + 1);
		if (verbose)
			fprintf(stderr, "%s\n", path);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		free(names[i]);
		ran++;
	}
	free(names);
	printf("%s: %zu inputs from %s\n", argv[0], ran, argv[1]);
	return 0;
}
