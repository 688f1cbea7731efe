/*
 * A TLS client over an already-connected, non-blocking socket (after
 * STARTTLS). The handshake goes on past a bad certificate so that its facts
 * can be recorded; tls_conn_facts() then verifies the chain itself and says
 * exactly what is wrong. Nothing is ever sent over a connection that failed
 * verification except EHLO and QUIT. Nothing here raises SIGPIPE, whatever
 * the caller's signal settings.
 */
#ifndef HTLS_TLS_H
#define HTLS_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "facts.h"

struct tls_conn;

enum tls_io {
	TLS_IO_DONE,
	TLS_IO_WANT_READ,
	TLS_IO_WANT_WRITE,
	TLS_IO_CLOSED,		/* the peer closed (cleanly or not) */
	TLS_IO_RESET,		/* the connection was reset (TCP RST) */
	TLS_IO_ERROR,
};

/*
 * sni: the server name to send (NULL for none). legacy: also offer TLS 1.0
 * and 1.1 at security level 0, to recognise servers that speak nothing newer.
 */
struct onpremcert;
/* client: a certificate with its key to present when the server asks (NULL: none). */
struct tls_conn *tls_conn_new(int fd, const char *sni, bool legacy, const struct onpremcert *client,
    char **cause);
/* Whether the server asked for a client certificate during the handshake. */
bool tls_conn_cert_requested(const struct tls_conn *c);
void tls_conn_free(struct tls_conn *c);

/* Drive the handshake; on TLS_IO_ERROR err holds the reason (with any alert). */
enum tls_io tls_conn_handshake(struct tls_conn *c, char *err, size_t errlen);
enum tls_io tls_conn_read(struct tls_conn *c, char *buf, size_t cap, size_t *got);
enum tls_io tls_conn_write(struct tls_conn *c, const char *buf, size_t len, size_t *sent);
/* Bytes OpenSSL already holds decrypted: read them before polling again. */
bool tls_conn_pending(struct tls_conn *c);
/* The TLS alert the peer sent, "" if none. */
const char *tls_conn_alert(struct tls_conn *c);

/*
 * After a completed handshake: protocol, cipher, the chain as sent and its
 * verification against ca_file (NULL: the system store) at the current time,
 * and the name check against name (NULL: not checked). Fills *t.
 */
void tls_conn_facts(struct tls_conn *c, const char *ca_file, const char *name,
    struct tls_facts *t);

#endif
