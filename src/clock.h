/* Monotonic time in milliseconds: every deadline in the engine is on this clock. */
#ifndef HTLS_CLOCK_H
#define HTLS_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t clock_now_ms(void);
/* Wall-clock seconds since the epoch (for certificate dates and reports). */
time_t clock_wall(void);

#endif
