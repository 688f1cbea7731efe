#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

bool outfile_open(struct outfile *of, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	memset(of, 0, sizeof *of);
	if (path == NULL || strcmp(path, "-") == 0) {
		of->fp = stdout;
		return true;
	}
	/* A device or a pipe (/dev/stdout, a FIFO) is written to as it is: renaming over it would replace it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot write '%s': it is a directory", path);
			return false;
		}
		if ((of->fp = fopen(path, "w")) == NULL) {
			snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
			return false;
		}
		of->direct = true;
		return true;
	}
	if ((of->path = strdup(path)) == NULL || asprintf(&of->tmp, "%s.XXXXXX", path) < 0) {
		free(of->path);
		of->tmp = NULL;
		snprintf(err, errlen, "out of memory");
		return false;
	}
	/* Beside the target, so the rename stays on one file system. */
	if ((fd = mkstemp(of->tmp)) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		outfile_abort(of);
		return false;
	}
	{
		/* mkstemp makes 0600; a report gets what the umask gives a new file. */
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	if ((of->fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		outfile_abort(of);
		return false;
	}
	return true;
}

bool outfile_commit(struct outfile *of, char *err, size_t errlen)
{
	bool ok;

	if (of->fp == stdout) {
		struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };

		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return true;
		/* A reader that went away (| head) is no failure of ours, but the
		 * report did not all arrive: say so. A pipe's write end polls POLLERR
		 * once the last reader closed, whatever errno an earlier write left. */
		if (errno == EPIPE || (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP)))) {
			of->cut = true;
			return true;
		}
		snprintf(err, errlen, "cannot write the report: %s", errno ? strerror(errno) : "write error");
		return false;
	}
	if (of->direct) {
		ok = !ferror(of->fp) && fflush(of->fp) == 0;
		if (fclose(of->fp) != 0)
			ok = false;
		of->fp = NULL;
		if (!ok)
			snprintf(err, errlen, "cannot write the report: %s", strerror(errno));
		return ok;
	}
	/* A write that failed half way (ENOSPC) must not replace the old report. */
	ok = !ferror(of->fp) && fflush(of->fp) == 0 && fsync(fileno(of->fp)) == 0;
	if (fclose(of->fp) != 0)
		ok = false;
	of->fp = NULL;
	if (!ok || rename(of->tmp, of->path) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", of->path, strerror(errno));
		outfile_abort(of);
		return false;
	}
	free(of->tmp);
	free(of->path);
	of->tmp = of->path = NULL;
	return true;
}

void outfile_abort(struct outfile *of)
{
	if (of->fp != NULL && of->fp != stdout)
		fclose(of->fp);
	of->fp = NULL;
	if (of->tmp != NULL)
		unlink(of->tmp);
	free(of->tmp);
	free(of->path);
	of->tmp = of->path = NULL;
}
