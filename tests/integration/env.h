/* What tests/run-integration.sh tells the integration tests: ports, files, the binary. */
#ifndef HTLS_TEST_ENV_H
#define HTLS_TEST_ENV_H

#include <stdint.h>

#include "facts.h"
#include "findings.h"

/* The port of a scenario ("HEALTHY" reads HTLS_PORT_HEALTHY); fails the test if unset. */
uint16_t env_port(const char *scenario);
/* The test CA file. */
const char *env_ca(void);
/* The hybridtls binary. */
const char *env_bin(void);
/* In a child: exec the binary with args (NULL-terminated), behind the command
 * in HTLS_WRAP when set (words split at spaces, e.g. "valgrind --error-exitcode=99"),
 * with a --timeout value multiplied by HTLS_TIME_SCALE. Never returns; exit 127
 * if the exec fails. */
void env_exec_bin(const char *const *args) __attribute__((noreturn));
/* ms scaled by HTLS_TIME_SCALE (an integer, default 1; 10 under valgrind):
 * waits of the tests that assume the binary runs at native speed. */
int env_ms(int ms);

/* Run one SMTP probe against 127.0.0.1:port as the CLI would, then the rules. */
void probe_port(uint16_t port, const char *tls_name, int timeout_ms, struct smtp_facts *f,
    struct findings *fs);
/* Same, against any host name or address. */
void probe_host(const char *host, uint16_t port, const char *tls_name, int timeout_ms,
    struct smtp_facts *f, struct findings *fs);

/* The test DNS server, as "127.0.0.1:PORT". */
const char *env_resolver(void);

struct check_options;
/* Run a check (the engine on the test resolver, the test blocklist zones) and the rules. */
void run_check(struct check_options *co, struct diagnosis *d, struct findings *fs);

/* Assert that fs holds exactly these "id:severity" pairs, in any order. */
void assert_findings(const struct findings *fs, const char *const *expected);
/* Assert that the transcript holds these lines ("-> EHLO client.test"), in this
 * order, possibly with other lines between; a trailing '*' matches any rest. */
void assert_transcript(const struct smtp_facts *f, const char *const *lines);
/* The transcript as text, for failure messages (static buffer). */
const char *transcript_text(const struct smtp_facts *f);

/* Run the binary with args and input on its stdin (NULL: none). */
int run_bin_in(const char *const *args, const char *input, char **out);
/* Run the binary with args; returns its exit status and its stdout and stderr (caller frees). */
int run_bin(const char *const *args, char **out);

#define EHLO_NAME "client.test"

#endif
