/*
 * ImmutableID <-> objectGUID: the link between an Active Directory account and
 * its Entra ID (Azure AD) identity. Pure functions, no I/O.
 *
 * The ImmutableId of a synced object is the Base64 of the 16 bytes of its GUID
 * in .NET Guid.ToByteArray() order: Data1 (4 bytes), Data2 and Data3 (2 bytes
 * each) little-endian, the last 8 bytes as written. AD stores objectGUID and
 * ms-DS-ConsistencyGuid in that same order. The RFC 4122 (big-endian) order
 * gives a wrong value and is never produced here.
 *
 *   objectGUID   f7cc07d7-7c15-447d-876d-c01b0e5a9e38
 *   bytes        D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38
 *   ImmutableId  1wfM9xV8fUSHbcAbDlqeOA==
 *   LDAP         \D7\07\CC\F7\15\7C\7D\44\87\6D\C0\1B\0E\5A\9E\38
 *
 * Every function taking err, errlen writes a one-line reason there on failure
 * (err may be NULL). Inputs may carry surrounding blanks and quotes (pasted
 * from a console); they are ignored.
 */
#ifndef HTLS_IMMUTABLEID_H
#define HTLS_IMMUTABLEID_H

#include <stdbool.h>
#include <stddef.h>

#define IMMID_GUID_BYTES 16
/* Buffer sizes of each form, with the NUL. */
#define IMMID_GUID_SIZE 37	/* "f7cc07d7-7c15-447d-876d-c01b0e5a9e38" */
#define IMMID_B64_SIZE 25	/* "1wfM9xV8fUSHbcAbDlqeOA==" */
#define IMMID_HEX_SIZE 48	/* "D7 07 CC ... 38" */
#define IMMID_LDAP_SIZE 49	/* "\D7\07...\38" (without "(objectGUID=" ")") */

/* The forms a value may be written in. */
enum immid_form {
	IMMID_FORM_INVALID,	/* none of the below */
	IMMID_FORM_GUID,	/* f7cc07d7-7c15-447d-876d-c01b0e5a9e38, {braces} optional, any case */
	IMMID_FORM_BASE64,	/* ImmutableId: 1wfM9xV8fUSHbcAbDlqeOA== */
	IMMID_FORM_HEX,		/* bytes: "D7 07 CC F7 ..." (also '-' ':' ',' between bytes) */
	IMMID_FORM_LDAP,	/* \D7\07\CC... or (objectGUID=\D7\07...) */
};

/* GUID string -> ImmutableId (24 characters ending "=="). out needs IMMID_B64_SIZE. */
bool immutableid_from_guid(const char *guid, char *out, size_t outlen, char *err, size_t errlen);
/* ImmutableId -> GUID string in lower case (as Get-ADUser shows it). out needs
 * IMMID_GUID_SIZE. Rejects Base64 that is malformed or does not decode to
 * exactly 16 bytes. */
bool immutableid_to_guid(const char *b64, char *out, size_t outlen, char *err, size_t errlen);

/* Which form value is written in, judged by its shape only (it may still fail
 * to parse in that form: immutableid_parse says why). */
enum immid_form immutableid_guess(const char *value);
/* "objectGUID", "ImmutableId (Base64)", "hex bytes", "LDAP filter", "not recognised" */
const char *immid_form_name(enum immid_form f);

/* Any form -> the 16 bytes in ToByteArray order; *form (may be NULL) gets the
 * form it was read as. */
bool immutableid_parse(const char *value, unsigned char bytes[IMMID_GUID_BYTES],
    enum immid_form *form, char *err, size_t errlen);

/* Each form alone, to and from the 16 bytes. The formatters return false only
 * when outlen is too small (out is then ""). */
bool guid_parse(const char *guid, unsigned char bytes[IMMID_GUID_BYTES], char *err, size_t errlen);
bool guid_format(const unsigned char bytes[IMMID_GUID_BYTES], char *out, size_t outlen);
bool immutableid_decode(const char *b64, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen);
bool immutableid_encode(const unsigned char bytes[IMMID_GUID_BYTES], char *out, size_t outlen);
bool guid_hex_parse(const char *hex, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen);
/* "D7 07 CC F7 15 7C 7D 44 87 6D C0 1B 0E 5A 9E 38", as AD tools show ms-DS-ConsistencyGuid. */
bool guid_hex_format(const unsigned char bytes[IMMID_GUID_BYTES], char *out, size_t outlen);
/* Accepts "\D7\07..." alone or inside "(objectGUID=...)" (any attribute name). */
bool guid_ldap_parse(const char *ldap, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen);
/* "\D7\07\CC...": the value of an LDAP filter; wrap it as "(objectGUID=%s)". */
bool guid_ldap_format(const unsigned char bytes[IMMID_GUID_BYTES], char *out, size_t outlen);

#endif
