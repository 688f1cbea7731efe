#include "config.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "clock.h"
#include "onpremcert.h"
#include "tls.h"

#define MAX_CHAIN 32

struct tls_conn {
	SSL_CTX *ctx;
	SSL *ssl;
	char alert[64];
	bool cert_requested;
};

/* See the server's CertificateRequest go by (TLS 1.2 and 1.3 alike). */
static void msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
    SSL *ssl, void *arg)
{
	struct tls_conn *c = arg;

	(void)version;
	(void)ssl;
	if (!write_p && content_type == SSL3_RT_HANDSHAKE && len > 0 &&
	    ((const unsigned char *)buf)[0] == SSL3_MT_CERTIFICATE_REQUEST)
		c->cert_requested = true;
}

bool tls_conn_cert_requested(const struct tls_conn *c)
{
	return c->cert_requested;
}

static int alert_index = -1;

/* Remember the alert the server sent: it says why a handshake failed. */
static void info_cb(const SSL *ssl, int where, int ret)
{
	struct tls_conn *c;

	if (!(where & SSL_CB_ALERT) || !(where & SSL_CB_READ))
		return;
	if ((c = SSL_get_ex_data(ssl, alert_index)) == NULL || c->alert[0] != '\0')
		return;
	snprintf(c->alert, sizeof c->alert, "%s", SSL_alert_desc_string_long(ret));
}

struct tls_conn *tls_conn_new(int fd, const char *sni, bool legacy, const struct onpremcert *client,
    char **cause)
{
	struct tls_conn *c = calloc(1, sizeof *c);

	*cause = NULL;
	if (c == NULL)
		goto fail;
	if (alert_index < 0)
		alert_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	/* Verification happens afterwards, on the recorded chain (tls_conn_facts). */
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_info_callback(c->ctx, info_cb);
	if (legacy) {
		SSL_CTX_set_min_proto_version(c->ctx, TLS1_VERSION);
		SSL_CTX_set_max_proto_version(c->ctx, TLS1_1_VERSION);
		SSL_CTX_set_security_level(c->ctx, 0);
		SSL_CTX_set_cipher_list(c->ctx, "DEFAULT:@SECLEVEL=0");
	} else {
		SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	}
	if (client != NULL) {
		char err[256];

		if (!onpremcert_attach(client, c->ctx, err, sizeof err)) {
			if (asprintf(cause, "cannot present the certificate: %s", err) < 0)
				*cause = NULL;
			tls_conn_free(c);
			return NULL;
		}
	}
	if ((c->ssl = SSL_new(c->ctx)) == NULL || SSL_set_fd(c->ssl, fd) != 1)
		goto fail;
	SSL_set_msg_callback(c->ssl, msg_cb);
	SSL_set_msg_callback_arg(c->ssl, c);
	SSL_set_ex_data(c->ssl, alert_index, c);
	if (sni != NULL && *sni != '\0')
		SSL_set_tlsext_host_name(c->ssl, sni);
	SSL_set_connect_state(c->ssl);
	return c;
fail:
	*cause = strdup("cannot set up TLS (out of memory?)");
	ERR_clear_error();
	tls_conn_free(c);
	return NULL;
}

void tls_conn_free(struct tls_conn *c)
{
	if (c == NULL)
		return;
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
	free(c);
}

const char *tls_conn_alert(struct tls_conn *c)
{
	return c->alert;
}

static enum tls_io map_error(struct tls_conn *c, int ret, char *err, size_t errlen)
{
	int e = SSL_get_error(c->ssl, ret);
	unsigned long ossl;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return TLS_IO_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_IO_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		ERR_clear_error();
		if (err)
			snprintf(err, errlen, "the server closed the TLS session");
		return TLS_IO_CLOSED;
	case SSL_ERROR_SYSCALL:
		ossl = ERR_peek_error();
		if (err)
			snprintf(err, errlen, "%s", ossl ? ERR_reason_error_string(ossl) :
			    "the connection was closed during TLS");
		ERR_clear_error();
		return ossl ? TLS_IO_ERROR : TLS_IO_CLOSED;
	default:
		ossl = ERR_get_error();
		if (err) {
			const char *r = ossl ? ERR_reason_error_string(ossl) : NULL;

			snprintf(err, errlen, "%s%s%s%s", r ? r : "TLS error",
			    c->alert[0] ? " (server sent alert: " : "", c->alert,
			    c->alert[0] ? ")" : "");
		}
		ERR_clear_error();
		/* "unexpected eof" is a close in disguise. */
		if (ossl && ERR_GET_REASON(ossl) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return TLS_IO_CLOSED;
		return TLS_IO_ERROR;
	}
}

enum tls_io tls_conn_handshake(struct tls_conn *c, char *err, size_t errlen)
{
	int ret = SSL_do_handshake(c->ssl);

	if (ret == 1)
		return TLS_IO_DONE;
	return map_error(c, ret, err, errlen);
}

enum tls_io tls_conn_read(struct tls_conn *c, char *buf, size_t cap, size_t *got)
{
	int ret = SSL_read_ex(c->ssl, buf, cap, got);

	if (ret == 1)
		return TLS_IO_DONE;
	*got = 0;
	return map_error(c, ret, NULL, 0);
}

enum tls_io tls_conn_write(struct tls_conn *c, const char *buf, size_t len, size_t *sent)
{
	int ret = SSL_write_ex(c->ssl, buf, len, sent);

	if (ret == 1)
		return TLS_IO_DONE;
	*sent = 0;
	return map_error(c, ret, NULL, 0);
}

bool tls_conn_pending(struct tls_conn *c)
{
	return SSL_pending(c->ssl) > 0;
}

void tls_conn_facts(struct tls_conn *c, const char *ca_file, const char *name,
    struct tls_facts *t)
{
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(c->ssl);
	X509 *chain[MAX_CHAIN];
	size_t n = 0;
	X509_STORE *store;
	char *cause = NULL;
	const SSL_CIPHER *cipher = SSL_get_current_cipher(c->ssl);

	t->ok = true;
	snprintf(t->version, sizeof t->version, "%s", SSL_get_version(c->ssl));
	snprintf(t->cipher, sizeof t->cipher, "%s", cipher ? SSL_CIPHER_get_name(cipher) : "");
	t->checked_at = clock_wall();
	t->trust_store = strdup(ca_file ? ca_file : "system");
	if (sk != NULL)
		for (int i = 0; i < sk_X509_num(sk) && n < MAX_CHAIN; i++)
			chain[n++] = sk_X509_value(sk, i);
	if (n > 0 && (t->chain = calloc(n, sizeof *t->chain)) != NULL) {
		for (size_t i = 0; i < n; i++)
			if (cert_facts_from_x509(chain[i], &t->chain[t->nchain]))
				t->nchain++;
	}
	if (n == 0)
		return;
	if ((store = cert_store_new(ca_file, &cause)) != NULL) {
		t->verified = cert_verify_chain(store, chain, n, t->checked_at, &t->verr, &t->nverr);
		X509_STORE_free(store);
	} else {
		/* The trust store itself is the problem: say so instead of guessing. */
		if ((t->verr = calloc(1, sizeof *t->verr)) != NULL) {
			t->nverr = 1;
			t->verr[0].code = -1;
			snprintf(t->verr[0].text, sizeof t->verr[0].text, "%s", cause ? cause : "no trust store");
		}
	}
	free(cause);
	if (name != NULL && *name != '\0') {
		t->name_checked = strdup(name);
		t->name = cert_matches_name(chain[0], name) ? NAME_MATCH : NAME_MISMATCH;
	}
	ERR_clear_error();
}
