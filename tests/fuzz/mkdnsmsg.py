#!/usr/bin/env python3
"""Write the seed DNS responses of tests/fuzz/corpus/dnsmsg (run once, at
authoring time; the binaries are committed). Valid answers for every type
hybridtls asks, with and without name compression, the rcodes it treats
apart, a CNAME chain, the AD bit, and a few broken messages."""
import os
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus', 'dnsmsg')

T = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'MX': 15, 'TXT': 16, 'AAAA': 28, 'SRV': 33, 'TLSA': 52}


def name(n):
    out = b''
    for label in n.rstrip('.').split('.'):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b'\0'


PTR_QNAME = b'\xc0\x0c'  # compression pointer to the question name


def msg(qname, qtype, answers, rcode=0, ad=False, qd=1, flags=None):
    f = 0x8180 | rcode | (0x20 if ad else 0) if flags is None else flags
    h = struct.pack('>HHHHHH', 0x1234, f, qd, len(answers), 0, 0)
    q = name(qname) + struct.pack('>HH', T[qtype], 1) if qd else b''
    body = b''
    for owner, typ, rdata in answers:
        o = owner if isinstance(owner, bytes) else name(owner)
        body += o + struct.pack('>HHIH', T[typ], 1, 3600, len(rdata)) + rdata
    return h + q + body


def txt(*strings):
    return b''.join(bytes([len(s)]) + s.encode() for s in strings)


seeds = {
    'a': msg('mail.contoso.com', 'A', [(PTR_QNAME, 'A', bytes([203, 0, 113, 7])),
                                       (PTR_QNAME, 'A', bytes([203, 0, 113, 8]))]),
    'a-ad': msg('mail.contoso.com', 'A', [(PTR_QNAME, 'A', bytes([127, 0, 0, 2]))], ad=True),
    'aaaa': msg('mail.contoso.com', 'AAAA', [('mail.contoso.com', 'AAAA',
                                               bytes.fromhex('20010db8000000000000000000000001'))]),
    'mx': msg('contoso.com', 'MX', [(PTR_QNAME, 'MX', struct.pack('>H', 0) +
                                     name('contoso-com.mail.protection.outlook.com')),
                                    (PTR_QNAME, 'MX', struct.pack('>H', 10) + b'\x04mail\xc0\x0c')]),
    'mx-null': msg('contoso.com', 'MX', [(PTR_QNAME, 'MX', struct.pack('>H', 0) + b'\0')]),
    'txt': msg('contoso.com', 'TXT', [
        (PTR_QNAME, 'TXT', txt('v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all')),
        (PTR_QNAME, 'TXT', txt('MS=ms12345678')),
        (PTR_QNAME, 'TXT', txt('v=spf1 ip4:192.0.2.0/24 ', 'ip4:198.51.100.0/24 -all'))]),
    'txt-binary': msg('x.test', 'TXT', [(PTR_QNAME, 'TXT', bytes([5]) + b'\x00\x1b[0m' + bytes([0]))]),
    'cname': msg('autodiscover.contoso.com', 'CNAME',
                 [(PTR_QNAME, 'CNAME', name('autodiscover.outlook.com'))]),
    'cname-chain-a': msg('autodiscover.contoso.com', 'A', [
        (PTR_QNAME, 'CNAME', name('autodiscover.outlook.com')),
        ('autodiscover.outlook.com', 'CNAME', name('autod.ms-acdc-autod.office.com')),
        ('autod.ms-acdc-autod.office.com', 'A', bytes([52, 97, 1, 1]))]),
    'srv': msg('_sipfederationtls._tcp.contoso.com', 'SRV', [
        (PTR_QNAME, 'SRV', struct.pack('>HHH', 100, 1, 5061) + name('sipfed.online.lync.com'))]),
    'ptr': msg('7.113.0.203.in-addr.arpa', 'PTR', [(PTR_QNAME, 'PTR', name('mail.contoso.com'))]),
    'ns': msg('contoso.com', 'NS', [(PTR_QNAME, 'NS', name('ns1.contoso.com')),
                                    (PTR_QNAME, 'NS', b'\x03ns2\xc0\x0c')]),
    'tlsa': msg('_25._tcp.mail.contoso.com', 'TLSA', [
        (PTR_QNAME, 'TLSA', bytes([3, 1, 1]) + bytes(range(32)))]),
    'nxdomain': msg('nope.contoso.com', 'A', [], rcode=3),
    'servfail': msg('contoso.com', 'MX', [], rcode=2),
    'refused': msg('contoso.com', 'MX', [], rcode=5),
    'formerr': msg('contoso.com', 'MX', [], rcode=1),
    'nodata': msg('contoso.com', 'AAAA', []),
    'no-question': msg('contoso.com', 'A', [(name('contoso.com'), 'A', bytes([192, 0, 2, 1]))], qd=0),
    'loop': msg('contoso.com', 'A', [(b'\xc0\x22', 'A', bytes([192, 0, 2, 1]))]),
    'short-rdata': msg('contoso.com', 'A', [(PTR_QNAME, 'A', bytes([192, 0, 2]))]),
    'truncated': msg('contoso.com', 'MX', [(PTR_QNAME, 'MX', struct.pack('>H', 0) +
                                            name('mx.contoso.com'))])[:-5],
    'header-only': struct.pack('>HHHHHH', 1, 0x8180, 0, 0, 0, 0),
}

os.makedirs(OUT, exist_ok=True)
for k, v in seeds.items():
    with open(os.path.join(OUT, k), 'wb') as f:
        f.write(v)
