/* Unit tests: ImmutableID <-> objectGUID, and `hybridtls immutableid`. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_immutableid.h"
#include "immutableid.h"

/* The reference table (exchange-hybrid-facts.md, section 8). "wrong" is the
 * Base64 of the RFC 4122 byte order, which must never come out; the reference
 * leaves it blank for the first two, so it is computed here
 * (base64(uuid.UUID(g).bytes)). */
static const struct vec {
	const char *guid, *hex, *id, *wrong;
} vecs[] = {
	{ "f7cc07d7-7c15-447d-876d-c01b0e5a9e38", "D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38",
	  "1wfM9xV8fUSHbcAbDlqeOA==", "98wH13wVRH2HbcAbDlqeOA==" },
	{ "bcd2e574-8d58-4136-a9df-8a19b145db79", "74 E5 D2 BC 58 8D 36 41 A9 DF 8A 19 B1 45 DB 79",
	  "dOXSvFiNNkGp34oZsUXbeQ==", "vNLldI1YQTap34oZsUXbeQ==" },
	{ "00112233-4455-6677-8899-aabbccddeeff", "33 22 11 00 55 44 77 66 88 99 AA BB CC DD EE FF",
	  "MyIRAFVEd2aImaq7zN3u/w==", "ABEiM0RVZneImaq7zN3u/w==" },
	{ "12345678-90ab-cdef-1234-567890abcdef", "78 56 34 12 AB 90 EF CD 12 34 56 78 90 AB CD EF",
	  "eFY0EquQ780SNFZ4kKvN7w==", "EjRWeJCrze8SNFZ4kKvN7w==" },
	{ "a1b2c3d4-e5f6-4789-abcd-ef0123456789", "D4 C3 B2 A1 F6 E5 89 47 AB CD EF 01 23 45 67 89",
	  "1MOyofbliUerze8BI0VniQ==", "obLD1OX2R4mrze8BI0VniQ==" },
};
#define NVEC (sizeof vecs / sizeof vecs[0])

/* "D7 07 CC" -> "\D7\07\CC" */
static void ldap_of(const char *hex, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = hex; *p && o + 3 < len; p += p[2] ? 3 : 2) {
		out[o++] = '\\';
		out[o++] = p[0];
		out[o++] = p[1];
		if (!p[2])
			break;
	}
	out[o] = '\0';
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

Test(immutableid, vectors_guid_to_id)
{
	for (size_t i = 0; i < NVEC; i++) {
		char id[IMMID_B64_SIZE], err[200] = "";

		cr_assert(immutableid_from_guid(vecs[i].guid, id, sizeof id, err, sizeof err),
		    "%s: %s", vecs[i].guid, err);
		cr_assert_str_eq(id, vecs[i].id, "%s", vecs[i].guid);
		cr_assert_str_neq(id, vecs[i].wrong, "RFC byte order produced for %s", vecs[i].guid);
		cr_assert_eq(strlen(id), 24);
		cr_assert_str_eq(id + 22, "==");
	}
}

Test(immutableid, vectors_id_to_guid)
{
	for (size_t i = 0; i < NVEC; i++) {
		char guid[IMMID_GUID_SIZE], err[200] = "";

		cr_assert(immutableid_to_guid(vecs[i].id, guid, sizeof guid, err, sizeof err), "%s: %s",
		    vecs[i].id, err);
		cr_assert_str_eq(guid, vecs[i].guid);
	}
}

/* The wrong (RFC order) Base64 is a valid ImmutableId of another GUID: it must
 * not read back as the vector's GUID. */
Test(immutableid, vectors_wrong_column_is_another_guid)
{
	for (size_t i = 0; i < NVEC; i++) {
		char guid[IMMID_GUID_SIZE];

		cr_assert(immutableid_to_guid(vecs[i].wrong, guid, sizeof guid, NULL, 0));
		cr_assert_str_neq(guid, vecs[i].guid);
	}
}

Test(immutableid, vectors_bytes_hex_and_ldap)
{
	for (size_t i = 0; i < NVEC; i++) {
		unsigned char b[IMMID_GUID_BYTES], b2[IMMID_GUID_BYTES];
		char hex[IMMID_HEX_SIZE], ldap[IMMID_LDAP_SIZE], want[IMMID_LDAP_SIZE], err[200] = "";

		cr_assert(guid_parse(vecs[i].guid, b, err, sizeof err), "%s", err);
		cr_assert(guid_hex_format(b, hex, sizeof hex));
		cr_assert_str_eq(hex, vecs[i].hex);
		cr_assert_eq(strlen(hex), IMMID_HEX_SIZE - 1);
		cr_assert(guid_ldap_format(b, ldap, sizeof ldap));
		ldap_of(vecs[i].hex, want, sizeof want);
		cr_assert_str_eq(ldap, want);
		cr_assert_eq(strlen(ldap), IMMID_LDAP_SIZE - 1);
		/* And back from each. */
		cr_assert(guid_hex_parse(vecs[i].hex, b2, err, sizeof err), "%s", err);
		cr_assert_arr_eq(b, b2, 16);
		cr_assert(guid_ldap_parse(ldap, b2, err, sizeof err), "%s", err);
		cr_assert_arr_eq(b, b2, 16);
		cr_assert(immutableid_decode(vecs[i].id, b2, err, sizeof err), "%s", err);
		cr_assert_arr_eq(b, b2, 16);
	}
}

Test(immutableid, ldap_example_from_the_reference)
{
	unsigned char b[IMMID_GUID_BYTES];
	char guid[IMMID_GUID_SIZE], err[200] = "";

	cr_assert(guid_ldap_parse("(objectGUID=\\74\\E5\\D2\\BC\\58\\8D\\36\\41\\A9\\DF\\8A\\19\\B1\\45\\DB\\79)",
	    b, err, sizeof err), "%s", err);
	guid_format(b, guid, sizeof guid);
	cr_assert_str_eq(guid, "bcd2e574-8d58-4136-a9df-8a19b145db79");
}

Test(immutableid, braces_case_and_blanks)
{
	for (size_t i = 0; i < NVEC; i++) {
		char in[64], id[IMMID_B64_SIZE], err[200] = "";
		/* Around the GUID: before, after. */
		const char *const wrap[][2] = { { "{", "}" }, { "  ", "\n" }, { "\"", "\"" },
		    { "'{", "}'" }, { "\t{", "}  " }, { "", "" } };

		for (size_t f = 0; f < sizeof wrap / sizeof wrap[0]; f++) {
			for (int up = 0; up < 2; up++) {
				snprintf(in, sizeof in, "%s%s%s", wrap[f][0], vecs[i].guid, wrap[f][1]);
				if (up)
					upper(in);
				cr_assert(immutableid_from_guid(in, id, sizeof id, err, sizeof err), "%s: %s",
				    in, err);
				cr_assert_str_eq(id, vecs[i].id, "%s", in);
			}
		}
	}
	/* Mixed case inside one GUID. */
	{
		char id[IMMID_B64_SIZE];

		cr_assert(immutableid_from_guid("F7cC07d7-7C15-447D-876d-C01B0E5A9e38", id, sizeof id,
		    NULL, 0));
		cr_assert_str_eq(id, "1wfM9xV8fUSHbcAbDlqeOA==");
	}
}

Test(immutableid, output_is_lower_case_guid)
{
	char guid[IMMID_GUID_SIZE];

	cr_assert(immutableid_to_guid("  1MOyofbliUerze8BI0VniQ==\r\n", guid, sizeof guid, NULL, 0));
	cr_assert_str_eq(guid, "a1b2c3d4-e5f6-4789-abcd-ef0123456789");
}

/* A small deterministic generator, for round trips over many GUIDs. */
static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned char rng_byte(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned char)(rng_state >> 24);
}

Test(immutableid, round_trips)
{
	for (int n = 0; n < 2000; n++) {
		unsigned char b[IMMID_GUID_BYTES], b2[IMMID_GUID_BYTES];
		char guid[IMMID_GUID_SIZE], id[IMMID_B64_SIZE], guid2[IMMID_GUID_SIZE],
		    hex[IMMID_HEX_SIZE], ldap[IMMID_LDAP_SIZE], err[200] = "";
		enum immid_form form;

		for (int i = 0; i < 16; i++)
			b[i] = n == 0 ? 0 : n == 1 ? 0xff : rng_byte();
		cr_assert(guid_format(b, guid, sizeof guid));
		cr_assert(immutableid_encode(b, id, sizeof id));
		cr_assert(guid_hex_format(b, hex, sizeof hex));
		cr_assert(guid_ldap_format(b, ldap, sizeof ldap));

		cr_assert(immutableid_from_guid(guid, id, sizeof id, err, sizeof err), "%s", err);
		cr_assert(immutableid_to_guid(id, guid2, sizeof guid2, err, sizeof err), "%s: %s", id, err);
		cr_assert_str_eq(guid, guid2);

		cr_assert(immutableid_parse(guid, b2, &form, err, sizeof err), "%s", err);
		cr_assert_eq(form, IMMID_FORM_GUID);
		cr_assert_arr_eq(b, b2, 16);
		cr_assert(immutableid_parse(id, b2, &form, err, sizeof err), "%s: %s", id, err);
		cr_assert_eq(form, IMMID_FORM_BASE64, "%s", id);
		cr_assert_arr_eq(b, b2, 16);
		cr_assert(immutableid_parse(hex, b2, &form, err, sizeof err), "%s", err);
		cr_assert_eq(form, IMMID_FORM_HEX);
		cr_assert_arr_eq(b, b2, 16);
		cr_assert(immutableid_parse(ldap, b2, &form, err, sizeof err), "%s", err);
		cr_assert_eq(form, IMMID_FORM_LDAP);
		cr_assert_arr_eq(b, b2, 16);
	}
}

static void reject_id(const char *in, const char *why)
{
	char guid[IMMID_GUID_SIZE] = "junk", err[300] = "";

	cr_assert_not(immutableid_to_guid(in, guid, sizeof guid, err, sizeof err), "accepted \"%s\"", in);
	cr_assert_str_eq(guid, "", "output not cleared for \"%s\"", in);
	cr_assert_not_null(strstr(err, why), "\"%s\": message \"%s\" lacks \"%s\"", in, err, why);
}

Test(immutableid, rejects_bad_base64)
{
	/* 15 and 17 bytes; 8 and 32. */
	reject_id("1wfM9xV8fUSHbcAbDlqe", "decodes to 15 bytes");
	reject_id("1wfM9xV8fUSHbcAbDlqeOAE=", "decodes to 17 bytes");
	reject_id("1wfM9xV8fUQ=", "decodes to 8 bytes");
	reject_id("1wfM9xV8fUSHbcAbDlqeONcHzPcVfH1Eh23AGw5anjg=", "decodes to 32 bytes");
	/* Bad characters. */
	reject_id("1wfM9xV8fUSHbcAbDlqe*A==", "'*' (character 21) is not a Base64 character");
	reject_id("1wfM9xV8fUSH bcAbDlqeOA=", "' ' (character 13) is not a Base64 character");
	reject_id("1wfM9xV8fUSHbcAbDlqeO\x01==", "'\\x01' (character 22) is not a Base64");
	reject_id("1wfM9xV8fU-HbcAbDlqeOA==", "Base64url");
	reject_id("1wfM9xV8fU_HbcAbDlqeOA==", "Base64url");
	/* Bad padding. */
	reject_id("1wfM9xV8fUSHbcAbDlqeOA", "22 characters");
	reject_id("1wfM9xV8fUSHbcAbDlqeOA=", "23 characters");
	reject_id("1wfM9xV8fUSHbcAbDlqeOA===", "3 '='");
	reject_id("1wfM9xV8fUSH=bcAbDlqeOA=", "'=' (character 13) inside the value");
	reject_id("====", "4 '=' at the end");
	/* The bits after the 16th byte must be zero. */
	reject_id("1wfM9xV8fUSHbcAbDlqeOB==", "bits beyond the 16 bytes");
	/* Empty, garbage, a GUID, 32 hex digits. */
	reject_id("", "empty value");
	reject_id("   ", "empty value");
	reject_id("\"\"", "empty value");
	reject_id("hello world!", "not a Base64 character");
	reject_id("f7cc07d7-7c15-447d-876d-c01b0e5a9e38", "Base64url");
	reject_id("f7cc07d77c15447d876dc01b0e5a9e38", "32 hex digits");
}

static void reject_guid(const char *in, const char *why)
{
	char id[IMMID_B64_SIZE] = "junk", err[300] = "";

	cr_assert_not(immutableid_from_guid(in, id, sizeof id, err, sizeof err), "accepted \"%s\"", in);
	cr_assert_str_eq(id, "");
	cr_assert_not_null(strstr(err, why), "\"%s\": message \"%s\" lacks \"%s\"", in, err, why);
}

Test(immutableid, rejects_bad_guid)
{
	reject_guid("f7cc07d7-7c15-447d-876d-c01b0e5a9e3", "group 5 has 11 hex digits, expected 12");
	reject_guid("f7cc07d7-7c15-447d-876d-c01b0e5a9e381", "group 5 has 13 hex digits, expected 12");
	reject_guid("f7cc07d-7c15-447d-876d-c01b0e5a9e38", "group 1 has 7 hex digits, expected 8");
	reject_guid("f7cc07d7-7c1-5447d-876d-c01b0e5a9e38", "group 2 has 3 hex digits, expected 4");
	reject_guid("f7cc07d7-7c15-447d-876dc01b0e5a9e38", "this has 4");
	reject_guid("f7cc07d7-7c15-447d-876d-c01b-0e5a9e38", "this has more");
	reject_guid("f7cc07d77c15447d876dc01b0e5a9e38", "this has 1");
	reject_guid("g7cc07d7-7c15-447d-876d-c01b0e5a9e38", "'g' (character 1) is not a hex digit");
	reject_guid("{f7cc07d7-7c15-447d-876d-c01b0e5a9e3x}", "'x' (character 37) is not a hex digit");
	reject_guid("{f7cc07d7-7c15-447d-876d-c01b0e5a9e38", "brace");
	reject_guid("f7cc07d7-7c15-447d-876d-c01b0e5a9e38}", "brace");
	reject_guid("{}", "nothing between the braces");
	reject_guid("", "empty value");
	reject_guid("1wfM9xV8fUSHbcAbDlqeOA==", "is not a hex digit");
	reject_guid("----", "group 1 has 0 hex digits, expected 8");
	reject_guid("--------", "this has more");
}

Test(immutableid, output_buffer_too_small)
{
	char small[24], err[200] = "";
	unsigned char b[IMMID_GUID_BYTES] = { 0 };

	cr_assert_not(immutableid_from_guid(vecs[0].guid, small, sizeof small, err, sizeof err));
	cr_assert_not_null(strstr(err, "too small"));
	cr_assert_not(immutableid_to_guid(vecs[0].id, small, sizeof small, err, sizeof err));
	cr_assert_not_null(strstr(err, "too small"));
	cr_assert_not(guid_hex_format(b, small, sizeof small));
	cr_assert_str_eq(small, "");
	cr_assert_not(guid_ldap_format(b, small, sizeof small));
	cr_assert_not(guid_format(b, small, 0));
}

Test(immutableid, guess_the_form)
{
	cr_assert_eq(immutableid_guess("f7cc07d7-7c15-447d-876d-c01b0e5a9e38"), IMMID_FORM_GUID);
	cr_assert_eq(immutableid_guess("{F7CC07D7-7C15-447D-876D-C01B0E5A9E38}"), IMMID_FORM_GUID);
	cr_assert_eq(immutableid_guess("f7cc07d7-7c15"), IMMID_FORM_GUID);
	cr_assert_eq(immutableid_guess("1wfM9xV8fUSHbcAbDlqeOA=="), IMMID_FORM_BASE64);
	cr_assert_eq(immutableid_guess(" 'MyIRAFVEd2aImaq7zN3u/w==' "), IMMID_FORM_BASE64);
	cr_assert_eq(immutableid_guess("D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38"), IMMID_FORM_HEX);
	cr_assert_eq(immutableid_guess("D7-07-CC-F7-15-7C-7D-44-87-6D-C0-1B-0E-5A-9E-38"), IMMID_FORM_HEX);
	cr_assert_eq(immutableid_guess("d7:07:cc:f7"), IMMID_FORM_HEX);
	cr_assert_eq(immutableid_guess("\\D7\\07\\CC"), IMMID_FORM_LDAP);
	cr_assert_eq(immutableid_guess("(objectGUID=\\D7\\07)"), IMMID_FORM_LDAP);
	cr_assert_eq(immutableid_guess(""), IMMID_FORM_INVALID);
	cr_assert_eq(immutableid_guess("  "), IMMID_FORM_INVALID);
	cr_assert_eq(immutableid_guess(NULL), IMMID_FORM_INVALID);
	cr_assert_eq(immutableid_guess("hello!"), IMMID_FORM_INVALID);
	cr_assert_str_eq(immid_form_name(IMMID_FORM_BASE64), "ImmutableId (Base64)");
	cr_assert_str_eq(immid_form_name(IMMID_FORM_GUID), "objectGUID");
}

Test(immutableid, hex_forms_admins_paste)
{
	static const char *const ok[] = {
		"D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38",
		"d7 07 cc f7 15 7c 7d 44 87 6d c0 1b 0e 5a 9e 38",
		"D7-07-CC-F7-15-7C-7D-44-87-6D-C0-1B-0E-5A-9E-38",	/* [BitConverter]::ToString */
		"D7:07:CC:F7:15:7C:7D:44:87:6D:C0:1B:0E:5A:9E:38",
		"0xD7 0x07 0xCC 0xF7 0x15 0x7C 0x7D 0x44 0x87 0x6D 0xC0 0x1B 0x0E 0x5A 0x9E 0x38",
		"  D7  07 CC F7 15 7C 7D 44\t87 6D C0 1B 0E 5A 9E 38 \n",
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		unsigned char b[IMMID_GUID_BYTES];
		char guid[IMMID_GUID_SIZE], err[200] = "";
		enum immid_form form;

		cr_assert(immutableid_parse(ok[i], b, &form, err, sizeof err), "%s: %s", ok[i], err);
		cr_assert_eq(form, IMMID_FORM_HEX);
		guid_format(b, guid, sizeof guid);
		cr_assert_str_eq(guid, vecs[0].guid);
	}
}

static void reject_any(const char *in, enum immid_form want_form, const char *why)
{
	unsigned char b[IMMID_GUID_BYTES];
	char err[300] = "";
	enum immid_form form;

	cr_assert_not(immutableid_parse(in, b, &form, err, sizeof err), "accepted \"%s\"", in);
	cr_assert_eq(form, want_form, "\"%s\" read as %s", in, immid_form_name(form));
	cr_assert_not_null(strstr(err, why), "\"%s\": message \"%s\" lacks \"%s\"", in, err, why);
}

Test(immutableid, rejects_bad_hex_and_ldap)
{
	reject_any("D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E", IMMID_FORM_HEX, "15 bytes; a GUID is 16");
	reject_any("D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38 00", IMMID_FORM_HEX, "17 bytes");
	reject_any("D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 3", IMMID_FORM_HEX,
	    "byte 16 (\"3\") is not two hex digits");
	reject_any("D7 07 ZZ F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38", IMMID_FORM_HEX, "byte 3 (\"ZZ\")");
	reject_any("\\D7\\07\\CC\\F7\\15\\7C\\7D\\44\\87\\6D\\C0\\1B\\0E\\5A\\9E", IMMID_FORM_LDAP,
	    "15 bytes");
	reject_any("\\D7\\07\\CC\\F7\\15\\7C\\7D\\44\\87\\6D\\C0\\1B\\0E\\5A\\9E\\3", IMMID_FORM_LDAP,
	    "must be followed by two hex digits");
	reject_any("\\D7\\G7\\CC\\F7\\15\\7C\\7D\\44\\87\\6D\\C0\\1B\\0E\\5A\\9E\\38", IMMID_FORM_LDAP,
	    "(character 4) must be followed by two hex digits");
	reject_any("(objectGUID=\\D7\\07\\CC\\F7\\15\\7C\\7D\\44\\87\\6D\\C0\\1B\\0E\\5A\\9E\\38",
	    IMMID_FORM_LDAP, "must end with ')'");
	reject_any("(objectGUID\\D7)", IMMID_FORM_LDAP, "'=' is missing");
	reject_any("(objectGUID=)", IMMID_FORM_LDAP, "no value");
	reject_any("(objectGUID=*)", IMMID_FORM_LDAP, "'*' (character 1) must be escaped");
	reject_any("hello!", IMMID_FORM_INVALID, "not an objectGUID");
	reject_any("", IMMID_FORM_INVALID, "empty value");
	reject_any("f7cc07d77c15447d876dc01b0e5a9e38", IMMID_FORM_BASE64, "32 hex digits");
	reject_any("{f7cc07d77c15447d876dc01b0e5a9e38}", IMMID_FORM_GUID, "this has 1");
}

Test(immutableid, ldap_value_with_unescaped_bytes)
{
	/* RFC 4515: printable bytes other than * ( ) \ may stand as they are. */
	unsigned char b[IMMID_GUID_BYTES];
	char guid[IMMID_GUID_SIZE], err[200] = "";

	cr_assert(guid_ldap_parse("(ms-DS-ConsistencyGuid=t\\E5\\D2\\BCX\\8D6A\\A9\\DF\\8A\\19\\B1E\\DBy)",
	    b, err, sizeof err), "%s", err);
	guid_format(b, guid, sizeof guid);
	cr_assert_str_eq(guid, "bcd2e574-8d58-4136-a9df-8a19b145db79");
}

/* ---- the subcommand ---- */

struct run {
	int status;
	char *out, *err;
};

static struct run run_cmd(int argc, const char *const *argv)
{
	struct run r;
	size_t ol = 0, el = 0;
	FILE *out, *err;
	char *v[8];

	cr_assert_leq(argc, 8);
	for (int i = 0; i < argc; i++)
		v[i] = (char *)argv[i];
	r.out = r.err = NULL;
	out = open_memstream(&r.out, &ol);
	err = open_memstream(&r.err, &el);
	cr_assert(out && err);
	r.status = cmd_immutableid(argc, argc ? v : NULL, out, err);
	fclose(out);
	fclose(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void has(const char *text, const char *needle)
{
	cr_assert_not_null(strstr(text, needle), "missing \"%s\" in:\n%s", needle, text);
}

static void expect_all_forms(const char *out, size_t v)
{
	char line[200], ldap[IMMID_LDAP_SIZE];

	ldap_of(vecs[v].hex, ldap, sizeof ldap);
	snprintf(line, sizeof line, "\nobjectGUID   %s\n", vecs[v].guid);
	has(out, line);
	snprintf(line, sizeof line, "\nImmutableId  %s\n", vecs[v].id);
	has(out, line);
	snprintf(line, sizeof line, "\nBytes        %s\n", vecs[v].hex);
	has(out, line);
	snprintf(line, sizeof line, "\nLDAP filter  (objectGUID=%s)\n", ldap);
	has(out, line);
	snprintf(line, sizeof line, "  Get-ADUser -Filter \"objectGUID -eq '%s'\"\n", vecs[v].guid);
	has(out, line);
	snprintf(line, sizeof line, "  Get-ADUser -LDAPFilter '(objectGUID=%s)'\n", ldap);
	has(out, line);
	snprintf(line, sizeof line, "  Update-MgUser -UserId <upn> -OnPremisesImmutableId '%s'\n",
	    vecs[v].id);
	has(out, line);
	snprintf(line, sizeof line, "  Set-MsolUser -UserPrincipalName <upn> -ImmutableId '%s'\n",
	    vecs[v].id);
	has(out, line);
	has(out, "MSOnline module is retired");
	cr_assert_null(strstr(out, vecs[v].wrong), "RFC byte order in the output");
}

Test(cmd_immutableid, from_guid)
{
	const char *argv[] = { "{F7CC07D7-7C15-447D-876D-C01B0E5A9E38}" };
	struct run r = run_cmd(1, argv);

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
	cr_assert(strncmp(r.out, "Read as      objectGUID\n", 24) == 0, "%s", r.out);
	expect_all_forms(r.out, 0);
	run_free(&r);
}

Test(cmd_immutableid, from_immutableid)
{
	for (size_t i = 0; i < NVEC; i++) {
		const char *argv[] = { vecs[i].id };
		struct run r = run_cmd(1, argv);

		cr_assert_eq(r.status, 0, "%s", r.err);
		has(r.out, "Read as      ImmutableId (Base64)\n");
		expect_all_forms(r.out, i);
		run_free(&r);
	}
}

Test(cmd_immutableid, from_hex_and_ldap)
{
	const char *a1[] = { "74 E5 D2 BC 58 8D 36 41 A9 DF 8A 19 B1 45 DB 79" };
	const char *a2[] = { "(objectGUID=\\74\\E5\\D2\\BC\\58\\8D\\36\\41\\A9\\DF\\8A\\19\\B1\\45\\DB\\79)" };
	struct run r = run_cmd(1, a1);

	cr_assert_eq(r.status, 0, "%s", r.err);
	has(r.out, "Read as      hex bytes\n");
	expect_all_forms(r.out, 1);
	run_free(&r);
	r = run_cmd(1, a2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	has(r.out, "Read as      LDAP filter\n");
	expect_all_forms(r.out, 1);
	run_free(&r);
}

Test(cmd_immutableid, usage_errors)
{
	const char *two[] = { "1wfM9xV8fUSHbcAbDlqeOA==", "extra" };
	struct run r = run_cmd(0, NULL);

	cr_assert_eq(r.status, 64);
	cr_assert_str_eq(r.out, "");
	has(r.err, "a VALUE is needed");
	has(r.err, "usage: hybridtls immutableid VALUE");
	run_free(&r);

	r = run_cmd(2, two);
	cr_assert_eq(r.status, 64);
	cr_assert_str_eq(r.out, "");
	has(r.err, "one VALUE only");
	has(r.err, "'extra'");
	run_free(&r);
}

Test(cmd_immutableid, invalid_values)
{
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{ "1wfM9xV8fUSHbcAbDlqe", "'1wfM9xV8fUSHbcAbDlqe' read as an ImmutableId (Base64): decodes to 15 bytes" },
		{ "1wfM9xV8fUSHbcAbDlqeOAE=", "decodes to 17 bytes" },
		{ "f7cc07d7-7c15-447d-876d-c01b0e5a9e3", "read as an objectGUID: group 5 has 11 hex digits" },
		{ "garbage!", "'garbage!': not an objectGUID" },
		{ "", "'': empty value" },
		{ "D7 07", "read as hex bytes: 2 bytes; a GUID is 16" },
		{ "bad\x1b[31m", "'bad\\x1b[31m'" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *argv[] = { bad[i].in };
		struct run r = run_cmd(1, argv);

		cr_assert_eq(r.status, 64, "%s", bad[i].in);
		cr_assert_str_eq(r.out, "", "%s", bad[i].in);
		cr_assert(strncmp(r.err, "hybridtls immutableid: ", 23) == 0, "%s", r.err);
		has(r.err, bad[i].msg);
		cr_assert_null(strchr(r.err, '\x1b'), "raw escape byte echoed");
		run_free(&r);
	}
}

Test(cmd_immutableid, help)
{
	const char *argv[] = { "--help" };
	struct run r = run_cmd(1, argv);

	cr_assert_eq(r.status, 0);
	has(r.out, "usage: hybridtls immutableid VALUE");
	cr_assert_str_eq(r.err, "");
	run_free(&r);
}
