#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd_immutableid.h"
#include "immutableid.h"

#define EXIT_USAGE 64

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: hybridtls immutableid VALUE\n"
	    "  VALUE is any of:\n"
	    "    an objectGUID          f7cc07d7-7c15-447d-876d-c01b0e5a9e38 (braces and any case allowed)\n"
	    "    an ImmutableId         1wfM9xV8fUSHbcAbDlqeOA==\n"
	    "    the bytes in hex       \"D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38\"\n"
	    "                           (as AD tools show ms-DS-ConsistencyGuid)\n"
	    "    an LDAP filter value   '\\D7\\07\\CC\\F7...' or '(objectGUID=\\D7\\07...)'\n"
	    "  and hybridtls prints all four forms and the cmdlets that use them.\n");
}

/* The value as typed, safe for the terminal and cut short. */
static void show_value(FILE *f, const char *s)
{
	size_t i;

	fputc('\'', f);
	for (i = 0; s[i] != '\0' && i < 80; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fprintf(f, "%s'", s[i] != '\0' ? "..." : "");
}

int cmd_immutableid(int argc, char **argv, FILE *out, FILE *err)
{
	unsigned char b[IMMID_GUID_BYTES];
	char msg[300], guid[IMMID_GUID_SIZE], id[IMMID_B64_SIZE], hex[IMMID_HEX_SIZE],
	    ldap[IMMID_LDAP_SIZE];
	enum immid_form form;

	if (argc < 1 || argv == NULL || argv[0] == NULL) {
		fprintf(err, "hybridtls immutableid: a VALUE is needed\n");
		usage(err);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0) {
		usage(out);
		return 0;
	}
	if (argc > 1) {
		fprintf(err, "hybridtls immutableid: one VALUE only (quote a value with blanks, "
		    "such as the hex bytes); unexpected ");
		show_value(err, argv[1]);
		fputc('\n', err);
		usage(err);
		return EXIT_USAGE;
	}
	if (!immutableid_parse(argv[0], b, &form, msg, sizeof msg)) {
		fprintf(err, "hybridtls immutableid: ");
		show_value(err, argv[0]);
		if (form == IMMID_FORM_INVALID)
			fprintf(err, ": %s\n", msg);
		else
			fprintf(err, " read as %s: %s\n", form == IMMID_FORM_GUID ? "an objectGUID" :
			    form == IMMID_FORM_BASE64 ? "an ImmutableId (Base64)" :
			    form == IMMID_FORM_HEX ? "hex bytes" : "an LDAP filter value", msg);
		fprintf(err, "Run 'hybridtls immutableid --help' for the forms accepted.\n");
		return EXIT_USAGE;
	}
	guid_format(b, guid, sizeof guid);
	immutableid_encode(b, id, sizeof id);
	guid_hex_format(b, hex, sizeof hex);
	guid_ldap_format(b, ldap, sizeof ldap);

	fprintf(out, "Read as      %s\n\n", immid_form_name(form));
	fprintf(out, "objectGUID   %s\n", guid);
	fprintf(out, "ImmutableId  %s\n", id);
	fprintf(out, "Bytes        %s\n", hex);
	fprintf(out, "LDAP filter  (objectGUID=%s)\n", ldap);
	fprintf(out,
	    "\nThe ImmutableId (the Entra ID source anchor) is the Base64 of the objectGUID's 16 bytes\n"
	    "in .NET Guid.ToByteArray() order: the first three groups byte-reversed, the last\n"
	    "eight bytes as written. Active Directory stores objectGUID and ms-DS-ConsistencyGuid\n"
	    "in that order; AD tools show ms-DS-ConsistencyGuid as the bytes above.\n");

	fprintf(out, "\nFind the on-premises account (ActiveDirectory module):\n");
	fprintf(out, "  Get-ADUser -Filter \"objectGUID -eq '%s'\"\n", guid);
	fprintf(out, "  Get-ADUser -LDAPFilter '(objectGUID=%s)'\n", ldap);
	fprintf(out, "  Get-ADUser -LDAPFilter '(mS-DS-ConsistencyGuid=%s)'\n", ldap);
	fprintf(out, "\nFind the cloud account (Microsoft Graph PowerShell):\n");
	fprintf(out, "  Get-MgUser -Filter \"onPremisesImmutableId eq '%s'\"\n", id);
	fprintf(out, "\nHard-match a cloud account to this AD account (set its anchor, then sync):\n");
	fprintf(out, "  Update-MgUser -UserId <upn> -OnPremisesImmutableId '%s'\n", id);
	fprintf(out, "  Set-MsolUser -UserPrincipalName <upn> -ImmutableId '%s'\n", id);
	fprintf(out, "    (the MSOnline module is retired and no longer works: use Update-MgUser)\n");
	return 0;
}
