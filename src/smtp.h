/*
 * The SMTP probe: resolve, connect (trying each address in turn), banner,
 * EHLO, STARTTLS, the TLS handshake, EHLO again over TLS, QUIT — an explicit
 * state machine driven by the engine loop, every phase under a deadline.
 * It opens at most max_connections connections to the target in all,
 * including the retry that tells a TLS 1.0/1.1-only server from a broken one,
 * and, with a ledger, no more than the run's budget to any address:port
 * counting every other probe of the run (see ledger.h).
 */
#ifndef HTLS_SMTP_H
#define HTLS_SMTP_H

#include <stdint.h>

#include "facts.h"

struct engine;
struct ledger;
struct onpremcert;
struct smtp_probe;

struct smtp_options {
	const char *host;
	uint16_t port;		/* 25 when 0 */
	const char *ehlo_name;	/* NULL: this machine's FQDN */
	const char *tls_name;	/* name the certificate must carry; NULL: host unless it is an address */
	const char *ca_file;	/* NULL: the system trust store */
	int phase_timeout_ms;	/* deadline of each phase; 0 for the default (15 s) */
	int max_connections;	/* 0 for the default (3) */
	int overall_timeout_ms;	/* the whole probe; 0 for 8 times the phase deadline */
	/* The opt-in envelope probe: MAIL FROM and RCPT TO before and after
	 * STARTTLS, then RSET; never DATA. Both NULL: not done. */
	const char *envelope_from;
	const char *envelope_to;
	/* The on-premises certificate, presented when the server asks (NULL: none). */
	const struct onpremcert *client_cert;
	/* The run's connection ledger, shared by all its probes (NULL: none). */
	struct ledger *ledger;
};

/* Called once when the probe has finished, from the engine loop. */
typedef void (*smtp_done_fn)(void *arg, struct smtp_probe *p);

/* Start a probe; returns NULL only when out of memory. */
struct smtp_probe *smtp_probe_start(struct engine *e, const struct smtp_options *opt,
    smtp_done_fn done, void *arg);
/* The facts so far (live while running: the transcript grows as it happens). */
const struct smtp_facts *smtp_probe_facts(const struct smtp_probe *p);
/* Time spent waiting for free slots in the run's ledger (while waiting too). */
int64_t smtp_probe_waited_ms(const struct smtp_probe *p);
/* Move the facts out into *out (caller frees with smtp_facts_free). */
void smtp_probe_take_facts(struct smtp_probe *p, struct smtp_facts *out);
/* Stop (if running; the done callback is not called) and free. */
void smtp_probe_free(struct smtp_probe *p);

/* This machine's fully qualified name, for EHLO: "host.example.com" or "localhost". */
void smtp_default_ehlo(char *buf, size_t len);

#endif
