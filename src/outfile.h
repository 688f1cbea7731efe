/* Writing a report to a file atomically: a temporary file renamed into place,
 * so a reader never sees half a report and a failed run leaves the old one. */
#ifndef HTLS_OUTFILE_H
#define HTLS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	char *path;
	char *tmp;
	FILE *fp;
	bool cut;	/* stdout: the reader closed before the report was all written */
	bool direct;	/* a device or a pipe, written in place: no temporary file */
};

/* Open path for writing ("-" or NULL: stdout). false with a message in err. */
bool outfile_open(struct outfile *of, const char *path, char *err, size_t errlen);
/* Flush, sync and rename into place (nothing for stdout). false with a message.
 * When the reader of stdout went away (| head), true with of->cut set. */
bool outfile_commit(struct outfile *of, char *err, size_t errlen);
/* Drop the temporary file. */
void outfile_abort(struct outfile *of);

#endif
