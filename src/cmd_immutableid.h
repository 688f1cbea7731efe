/* `hybridtls immutableid VALUE`: ImmutableID <-> objectGUID and the forms around them. */
#ifndef HTLS_CMD_IMMUTABLEID_H
#define HTLS_CMD_IMMUTABLEID_H

#include <stdio.h>

/*
 * argv[0] is VALUE (the arguments after the subcommand): an objectGUID, an
 * ImmutableId, the hex bytes or an LDAP filter value. Prints every form and
 * the cmdlets that use them to out. Returns 0, or 64 (usage error, message on
 * err) for a missing, extra or invalid argument. "-h" / "--help" prints the
 * usage to out and returns 0.
 */
int cmd_immutableid(int argc, char **argv, FILE *out, FILE *err);

#endif
