/* Rules: read facts, emit findings. Pure functions: no I/O, no clock. */
#ifndef HTLS_RULES_H
#define HTLS_RULES_H

#include "facts.h"
#include "findings.h"

/* Findings of one SMTP/STARTTLS/TLS probe. Dates are judged at the time the
 * facts were taken (tls.checked_at), so a replayed capture gives the same answer. */
void rules_smtp(const struct smtp_facts *f, struct findings *out);

/* Days before expiry at which a certificate is reported as expiring. */
#define RULES_EXPIRY_WARN_DAYS 30
/* A greeting slower than this looks like a tarpit or a struggling server. */
#define RULES_SLOW_BANNER_MS 5000

#endif
