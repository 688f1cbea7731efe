#include "config.h"

#include <errno.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cert.h"
#include "clock.h"
#include "onpremcert.h"
#include "tls.h"

/* Certificates recorded as facts. All that were sent are verified; OpenSSL
 * caps the certificate message at 100 KiB, so this bounds only the copy. */
#define MAX_CHAIN 128

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

/*
 * A socket BIO whose writes never raise SIGPIPE (send with MSG_NOSIGNAL):
 * OpenSSL's own socket BIO uses write(), and a server that resets the
 * connection would kill a caller that left SIGPIPE at its default. The
 * engine must not depend on its caller's signal settings.
 */
static BIO_METHOD *nosig_method;

static int nosig_fd(BIO *b)
{
	return (int)(intptr_t)BIO_get_data(b);
}

static int nosig_write(BIO *b, const char *buf, int len)
{
	ssize_t n = send(nosig_fd(b), buf, (size_t)len, MSG_NOSIGNAL);

	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_write(b);
	return (int)n;
}

static int nosig_read(BIO *b, char *buf, int len)
{
	ssize_t n = recv(nosig_fd(b), buf, (size_t)len, 0);

	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_read(b);
	else if (n == 0)
		BIO_set_flags(b, BIO_FLAGS_IN_EOF);	/* OpenSSL tells EOF from an error by it */
	return (int)n;
}

static int nosig_puts(BIO *b, const char *s)
{
	return nosig_write(b, s, (int)strlen(s));
}

static long nosig_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)num;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_EOF:
		return BIO_test_flags(b, BIO_FLAGS_IN_EOF) != 0;
	case BIO_C_GET_FD:
		if (ptr != NULL)
			*(int *)ptr = nosig_fd(b);
		return nosig_fd(b);
	default:
		return 0;
	}
}

static BIO *nosig_bio(int fd)
{
	BIO *b;

	if (nosig_method == NULL) {
		/* Made once and kept for the life of the process. */
		if ((nosig_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK |
		    BIO_TYPE_DESCRIPTOR, "hybridtls socket")) == NULL)
			return NULL;
		BIO_meth_set_write(nosig_method, nosig_write);
		BIO_meth_set_read(nosig_method, nosig_read);
		BIO_meth_set_puts(nosig_method, nosig_puts);
		BIO_meth_set_ctrl(nosig_method, nosig_ctrl);
	}
	if ((b = BIO_new(nosig_method)) == NULL)
		return NULL;
	BIO_set_data(b, (void *)(intptr_t)fd);
	BIO_set_init(b, 1);
	return b;
}

struct tls_conn *tls_conn_new(int fd, const char *sni, bool legacy, const struct onpremcert *client,
    char **cause)
{
	struct tls_conn *c = calloc(1, sizeof *c);
	BIO *bio;

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
	if ((c->ssl = SSL_new(c->ctx)) == NULL || (bio = nosig_bio(fd)) == NULL)
		goto fail;
	SSL_set_bio(c->ssl, bio, bio);	/* the SSL owns it now */
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
	case SSL_ERROR_SYSCALL: {
		int sys = errno;

		ossl = ERR_peek_error();
		if (err)
			snprintf(err, errlen, "%s", ossl ? ERR_reason_error_string(ossl) :
			    sys == ECONNRESET || sys == EPIPE ? "the connection was reset during TLS" :
			    "the connection was closed during TLS");
		ERR_clear_error();
		if (ossl)
			return TLS_IO_ERROR;
		return sys == ECONNRESET || sys == EPIPE ? TLS_IO_RESET : TLS_IO_CLOSED;
	}
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
	X509 **chain = NULL;
	size_t n = 0, nrec;
	X509_STORE *store;
	char *cause = NULL;
	const SSL_CIPHER *cipher = SSL_get_current_cipher(c->ssl);

	t->ok = true;
	snprintf(t->version, sizeof t->version, "%s", SSL_get_version(c->ssl));
	snprintf(t->cipher, sizeof t->cipher, "%s", cipher ? SSL_CIPHER_get_name(cipher) : "");
	t->checked_at = clock_wall();
	t->trust_store = cert_store_label(ca_file);
	/* Verify what was sent, all of it: a cut chain would fail for the wrong reason. */
	if (sk != NULL && sk_X509_num(sk) > 0 &&
	    (chain = calloc((size_t)sk_X509_num(sk), sizeof *chain)) != NULL)
		for (int i = 0; i < sk_X509_num(sk); i++)
			chain[n++] = sk_X509_value(sk, i);
	t->nsent = n;
	nrec = n < MAX_CHAIN ? n : MAX_CHAIN;
	if (nrec > 0 && (t->chain = calloc(nrec, sizeof *t->chain)) != NULL) {
		for (size_t i = 0; i < nrec; i++)
			if (cert_facts_from_x509(chain[i], &t->chain[t->nchain]))
				t->nchain++;
	}
	if (n == 0) {
		free(chain);
		return;
	}
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
	free(chain);
	ERR_clear_error();
}
